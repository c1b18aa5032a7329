package dev.meshforge.server.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SQLite's write-ahead log is copied into the database file by the background checkpoint, not by a writer's commit:
 * what the file alone holds (a copy of it without its log, opened on its own) shows which of the two ran.
 */
class CheckpointTest {
    @TempDir
    Path dir;

    private static final String INSERT = "INSERT INTO rate_windows (key_id, bucket, window_start, count) "
            + "VALUES ('key', 'tasks', ?, 1)";

    @Test
    void commitsLeaveTheLogAndTheBackgroundCheckpointEmptiesItIntoTheFile() throws Exception {
        try (Database db = Database.openEmbedded(dir)) {
            Path file = dir.resolve("meshforge.db");
            int written = 1500;
            for (int i = 0; i < written; i++) {
                int v = i;
                db.transaction(c -> Database.update(c, INSERT, v));
            }
            // No commit follows the last one, so only a checkpoint that runs by itself can bring the last rows into
            // the file (with SQLite's default, a commit past 1,000 log pages, the rows after the last such commit
            // stay in the log): within a few of its periods the file alone holds every row.
            long deadline = System.nanoTime() + 60_000_000_000L;
            long inFile = -1;
            while (System.nanoTime() < deadline) {
                inFile = rowsInFileAlone(file);
                if (inFile == written) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals(written, inFile, "rows in the database file without its log");
        }
    }

    @Test
    void theCheckpointThreadEndsWithTheDatabase() throws Exception {
        Database db = Database.openEmbedded(dir);
        db.transaction(c -> Database.update(c, INSERT, 1));
        int[] done = db.checkpoint();
        assertEquals(done[0], done[1], "a checkpoint with no reader copies every frame of the log");
        db.close();
        long alive = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("meshforge-checkpoint") && t.isAlive()).count();
        assertEquals(0, alive);
    }

    /** The rows of rate_windows in a copy of the database file made without its log (-1: no such table yet). */
    private long rowsInFileAlone(Path file) throws Exception {
        Path copy = dir.resolve("alone-" + System.nanoTime() + ".db");
        Files.copy(file, copy);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM rate_windows")) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            return -1;
        } finally {
            Files.deleteIfExists(copy);
        }
    }
}
