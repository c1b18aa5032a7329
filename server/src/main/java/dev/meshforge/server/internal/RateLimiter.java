// Requests per key and minute, counted in the database so that every API process sees the same count.
package dev.meshforge.server.internal;

import java.time.Instant;

/**
 * Fixed one-minute windows: the first request of a window inserts its row, the others add one to it, in one
 * statement, so two processes counting at once cannot both take the last slot. Old windows are deleted now and then.
 */
public final class RateLimiter {
    /** What a request may do next. */
    public record Decision(boolean allowed, int limit, int remaining, long retryAfterSeconds) {
    }

    public static final String TASKS = "tasks";
    public static final String READS = "reads";
    private static final long WINDOW_MS = 60_000;

    private final Database db;

    public RateLimiter(Database db) {
        this.db = db;
    }

    /** Counts one request of {@code bucket} for the key and says whether it is within {@code perMinute}. */
    public Decision hit(String keyId, String bucket, int perMinute, Instant now) {
        long ms = now.toEpochMilli();
        long window = ms - Math.floorMod(ms, WINDOW_MS);
        int count = db.transaction(c -> {
            Integer n = Database.one(c, rs -> rs.getInt(1), "INSERT INTO rate_windows (key_id, bucket, "
                    + "window_start, count) VALUES (?, ?, ?, 1) ON CONFLICT (key_id, bucket, window_start) DO UPDATE "
                    + "SET count = rate_windows.count + 1 RETURNING count", keyId, bucket, window);
            if (n == 1) {
                // A new window for this key: the key's older windows are of no more use.
                Database.update(c, "DELETE FROM rate_windows WHERE key_id = ? AND bucket = ? AND window_start < ?",
                        keyId, bucket, window);
            }
            return n;
        });
        long retry = Math.max(1, (window + WINDOW_MS - ms + 999) / 1000);
        return new Decision(count <= perMinute, perMinute, Math.max(0, perMinute - count), retry);
    }
}
