package dev.meshforge.server.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** An SQLite connection's kept statements: every read sees the writes before it, and a failed one is not reused. */
class DatabaseStatementsTest {
    @TempDir
    Path dir;

    @Test
    void readsThroughKeptStatementsSeeEveryEarlierWrite() {
        try (Database db = Database.openEmbedded(dir)) {
            for (int i = 0; i < 300; i++) {
                int v = i;
                db.transaction(c -> Database.update(c, "INSERT INTO rate_windows (key_id, bucket, window_start, count) "
                        + "VALUES (?, 'tasks', ?, 1)", "key", v));
                // The same two statements every time: a kept statement left unreset would hold an old snapshot.
                long n = db.read(c -> Database.one(c, rs -> rs.getLong(1), "SELECT COUNT(*) FROM rate_windows "
                        + "WHERE key_id = ?", "key"));
                long last = db.read(c -> Database.one(c, rs -> rs.getLong(1), "SELECT MAX(window_start) FROM "
                        + "rate_windows WHERE key_id = ? AND bucket = ?", "key", "tasks"));
                assertEquals(i + 1, n);
                assertEquals(i, last);
            }
        }
    }

    @Test
    void aStatementThatFailedIsPreparedAgain() {
        try (Database db = Database.openEmbedded(dir)) {
            String insert = "INSERT INTO rate_windows (key_id, bucket, window_start, count) VALUES (?, ?, ?, 1)";
            db.transaction(c -> Database.update(c, insert, "key", "tasks", 1));
            // The same row again breaks the primary key; the statement is dropped, and the next use works.
            assertThrows(Database.StoreException.class,
                    () -> db.transaction(c -> Database.update(c, insert, "key", "tasks", 1)));
            db.transaction(c -> Database.update(c, insert, "key", "tasks", 2));
            long rows = db.read(c -> Database.one(c, rs -> rs.getLong(1), "SELECT COUNT(*) FROM rate_windows"));
            assertEquals(2, rows);
        }
    }
}
