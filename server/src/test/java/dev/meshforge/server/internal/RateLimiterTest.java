// Reads counted in memory and flushed: exact within a process, added up across processes at each flush.
package dev.meshforge.server.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {
    /** A moment well inside its minute, so that a test's requests share one window. */
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:20Z");

    private Database db;
    /** Two limiters on one database: two API processes, each flushing only when the test says. */
    private RateLimiter one;
    private RateLimiter two;

    @BeforeEach
    void open(@TempDir Path dir) {
        db = Database.openEmbedded(dir);
        one = new RateLimiter(db, false);
        two = new RateLimiter(db, false);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private int stored(String bucket) {
        return db.read(c -> Database.one(c, rs -> rs.getInt(1), "SELECT COALESCE(SUM(count), 0) FROM rate_windows "
                + "WHERE key_id = 'key_a' AND bucket = ?", bucket));
    }

    /** Flushes the limiter's reads and returns the reads of key_a the database then holds. */
    private int flushed(RateLimiter limiter) {
        limiter.flush(NOW);
        return stored(RateLimiter.READS);
    }

    private static List<Boolean> reads(RateLimiter limiter, int n, int perMinute) {
        List<Boolean> allowed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            allowed.add(limiter.read("key_a", perMinute, NOW.plusMillis(i)).allowed());
        }
        return allowed;
    }

    @Test
    void readsPastTheLimitAreRefusedWithoutAWritePerRead() {
        assertEquals(List.of(true, true, true, true, true, false, false), reads(one, 7, 5));
        RateLimiter.Decision d = one.read("key_a", 5, NOW);
        assertEquals(0, d.remaining());
        assertEquals(40, d.retryAfterSeconds());
        // Nothing in the database until the flush, which adds all eight reads at once.
        assertEquals(0, stored(RateLimiter.READS));
        assertEquals(8, flushed(one));
        // Another key's count is its own.
        assertTrue(one.read("key_b", 5, NOW).allowed());
    }

    @Test
    void twoProcessesShareTheReadsLimitAfterTheirFlushes() {
        assertEquals(List.of(true, true, true, true), reads(one, 4, 6));
        assertEquals(4, flushed(one));
        // The second process learns the first one's four reads at its first flush, then has two left.
        assertTrue(two.read("key_a", 6, NOW).allowed());
        assertEquals(5, flushed(two));
        assertEquals(List.of(true, false), reads(two, 2, 6));
        assertEquals(7, flushed(two));
        // The first process learns the second's reads at its next flush, without a write of its own.
        assertEquals(7, flushed(one));
        assertFalse(one.read("key_a", 6, NOW).allowed());
    }

    @Test
    void taskCreatingRequestsAreCountedInTheDatabaseAsTheyCome() {
        assertTrue(one.hit("key_a", RateLimiter.TASKS, 3, NOW).allowed());
        assertTrue(two.hit("key_a", RateLimiter.TASKS, 3, NOW).allowed());
        assertTrue(one.peek("key_a", RateLimiter.TASKS, 3, NOW).allowed());
        assertTrue(one.hit("key_a", RateLimiter.TASKS, 3, NOW).allowed());
        // A key at its limit is refused by a read, which counts nothing.
        assertFalse(two.peek("key_a", RateLimiter.TASKS, 3, NOW).allowed());
        assertEquals(3, stored(RateLimiter.TASKS));
        assertFalse(two.hit("key_a", RateLimiter.TASKS, 3, NOW).allowed());
        assertEquals(4, stored(RateLimiter.TASKS));
    }
}
