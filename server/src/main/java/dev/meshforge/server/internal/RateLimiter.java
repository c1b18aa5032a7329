// Requests per key and minute, counted in the database so that every API process sees the same count.
package dev.meshforge.server.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Fixed one-minute windows per key and bucket, in the table {@code rate_windows}.
 *
 * <p>Task-creating requests ({@link #hit}) are counted in the database as they come: the first request of a
 * window inserts its row, the others add one to it, in one statement, so two processes counting at once cannot
 * both take the last slot. The API counts them in the transaction that makes the task, after refusing early by a
 * read ({@link #peek}) a key already at its limit.
 *
 * <p>Reads (status polls, downloads: {@link #read}) are many and cheap, and a database write each would make every
 * poll wait for the writer. They are counted in this process and added to the same rows every
 * {@link #FLUSH_EVERY} by a background flush, one transaction for all keys; a process decides on the count the
 * database gave at its last flush plus its own reads since. Within one process the limit is exact; across
 * processes it holds to within the reads the others made since their last flush.
 */
public final class RateLimiter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

    /** What a request may do next. */
    public record Decision(boolean allowed, int limit, int remaining, long retryAfterSeconds) {
    }

    public static final String TASKS = "tasks";
    public static final String READS = "reads";
    private static final long WINDOW_MS = 60_000;
    static final Duration FLUSH_EVERY = Duration.ofMillis(500);

    /** A key's reads in one window: what the database counted at the last flush, and this process's since. */
    private static final class Reads {
        final long window;
        int counted;
        int pending;
        boolean flushed;

        Reads(long window) {
            this.window = window;
        }
    }

    private final Database db;
    private final Map<String, Reads> reads = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;

    /** Counts reads in memory and flushes them in the background. */
    public RateLimiter(Database db) {
        this(db, true);
    }

    /** @param background false to flush only through {@link #flush()} (a test's two "processes") */
    RateLimiter(Database db, boolean background) {
        this.db = db;
        if (background) {
            flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                    .name("meshforge-rate-flush").factory());
            long every = FLUSH_EVERY.toMillis();
            flusher.scheduleWithFixedDelay(this::flushQuietly, every, every, TimeUnit.MILLISECONDS);
        } else {
            flusher = null;
        }
    }

    /** Counts one task-creating request of the key, in a transaction of its own. */
    public Decision hit(String keyId, String bucket, int perMinute, Instant now) {
        return db.transaction(c -> hit(c, keyId, bucket, perMinute, now));
    }

    /**
     * Counts one task-creating request of the key in the caller's transaction (the one that makes the task, so a
     * task costs one write transaction, not two), and says whether it is within the limit. A caller that refuses
     * the request rolls the count back with it.
     */
    public static Decision hit(Connection c, String keyId, String bucket, int perMinute, Instant now)
            throws SQLException {
        long ms = now.toEpochMilli();
        long window = windowOf(ms);
        return decision(add(c, keyId, bucket, window, 1), perMinute, window, ms);
    }

    /** Whether one more request of the key would be within the limit, by a read: refuses early, counts nothing. */
    public Decision peek(String keyId, String bucket, int perMinute, Instant now) {
        long ms = now.toEpochMilli();
        long window = windowOf(ms);
        Integer count = db.read(c -> Database.one(c, rs -> rs.getInt(1), "SELECT count FROM rate_windows WHERE "
                + "key_id = ? AND bucket = ? AND window_start = ?", keyId, bucket, window));
        return decision((count == null ? 0 : count) + 1, perMinute, window, ms);
    }

    /** Counts one read of the key without touching the database, and says whether it is within the limit. */
    public Decision read(String keyId, int perMinute, Instant now) {
        long ms = now.toEpochMilli();
        long window = windowOf(ms);
        Reads r = reads.compute(keyId, (k, old) -> old == null || old.window < window ? new Reads(window) : old);
        int count;
        synchronized (r) {
            r.pending++;
            count = r.counted + r.pending;
        }
        return decision(count, perMinute, window, ms);
    }

    /** Adds every key's pending reads to the database in one transaction and takes back the totals. */
    public void flush() {
        flush(Instant.now());
    }

    /** {@link #flush()} as at {@code now}: windows before now's are flushed a last time and forgotten. */
    void flush(Instant now) {
        long current = windowOf(now.toEpochMilli());
        List<String> keys = new ArrayList<>();
        List<Reads> windows = new ArrayList<>();
        List<Integer> pendings = new ArrayList<>();
        for (Map.Entry<String, Reads> e : reads.entrySet()) {
            Reads r = e.getValue();
            int pending;
            synchronized (r) {
                pending = r.pending;
                r.pending = 0;
            }
            if (pending == 0 && r.flushed) {
                // Nothing of this process's to add: only the other processes' reads to learn, which needs no write.
                Integer total = db.read(c -> Database.one(c, rs -> rs.getInt(1), "SELECT count FROM rate_windows "
                        + "WHERE key_id = ? AND bucket = ? AND window_start = ?", e.getKey(), READS, r.window));
                synchronized (r) {
                    r.counted = Math.max(r.counted, total == null ? 0 : total);
                }
            } else {
                keys.add(e.getKey());
                windows.add(r);
                pendings.add(pending);
            }
        }
        if (!keys.isEmpty()) {
            // Every key's count in one write transaction: under SQLite one turn of the one writer a flush, not one
            // a key.
            int[] totals;
            try {
                totals = db.transaction(c -> {
                    int[] t = new int[keys.size()];
                    for (int i = 0; i < t.length; i++) {
                        Reads r = windows.get(i);
                        t[i] = add(c, keys.get(i), READS, r.window, pendings.get(i));
                        if (!r.flushed) {
                            // This process's first count of the key in this window: older windows are of no use.
                            Database.update(c, "DELETE FROM rate_windows WHERE key_id = ? AND bucket = ? AND "
                                    + "window_start < ?", keys.get(i), READS, r.window);
                        }
                    }
                    return t;
                });
            } catch (RuntimeException failure) {
                for (int i = 0; i < keys.size(); i++) {
                    Reads r = windows.get(i);
                    synchronized (r) {
                        r.pending += pendings.get(i);
                    }
                }
                throw failure;
            }
            for (int i = 0; i < keys.size(); i++) {
                Reads r = windows.get(i);
                synchronized (r) {
                    r.counted = totals[i];
                    r.flushed = true;
                }
            }
        }
        for (Map.Entry<String, Reads> e : reads.entrySet()) {
            if (e.getValue().window < current) {
                reads.remove(e.getKey(), e.getValue());
            }
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            // A busy or gone database: the reads stay pending and go with the next flush.
            LOG.warn("rate-limit flush: {}", e.toString());
        }
    }

    /** Adds {@code n} to the key's window row (making it where needed) and returns the row's count. */
    private static int add(Connection c, String keyId, String bucket, long window, int n) throws SQLException {
        Integer count = Database.one(c, rs -> rs.getInt(1), "INSERT INTO rate_windows (key_id, bucket, window_start, "
                + "count) VALUES (?, ?, ?, ?) ON CONFLICT (key_id, bucket, window_start) DO UPDATE SET count = "
                + "rate_windows.count + ? RETURNING count", keyId, bucket, window, n, n);
        if (bucket.equals(TASKS) && count == n) {
            // A new window for this key: the key's older windows are of no more use.
            Database.update(c, "DELETE FROM rate_windows WHERE key_id = ? AND bucket = ? AND window_start < ?",
                    keyId, bucket, window);
        }
        return count;
    }

    private static long windowOf(long ms) {
        return ms - Math.floorMod(ms, WINDOW_MS);
    }

    private static Decision decision(int count, int perMinute, long window, long ms) {
        long retry = Math.max(1, (window + WINDOW_MS - ms + 999) / 1000);
        return new Decision(count <= perMinute, perMinute, Math.max(0, perMinute - count), retry);
    }

    /** Stops the background flush after one last flush, so that a stopping process's reads still count. */
    @Override
    public void close() {
        if (flusher != null) {
            flusher.shutdownNow();
            try {
                flusher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flushQuietly();
    }
}
