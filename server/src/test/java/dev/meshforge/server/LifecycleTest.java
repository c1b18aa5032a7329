// Results expire into 410 Gone; a restart keeps tasks, keys and credits; a dead worker's task is taken up again.
package dev.meshforge.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshforge.server.internal.Database;
import dev.meshforge.server.internal.TaskStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LifecycleTest {
    static final byte[] CUBE = TestServer.fixture("cube.obj");

    /** The one folder named after the task under the data folder's {@code results/}, at whatever depth. */
    static Path resultFolder(Path dataDir, String id) {
        try (Stream<Path> s = Files.walk(dataDir.resolve("results"))) {
            List<Path> found = s.filter(p -> p.getFileName().toString().equals(id)).toList();
            assertEquals(1, found.size(), "folders named " + id + ": " + found);
            return found.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void resultsPastTheirTimeAnswer410AndTheirFilesAreDeleted(@TempDir Path dir) {
        try (TestServer s = new TestServer(TestServer.config(dir).withKeep(Duration.ofSeconds(2)))) {
            Administration.NewKey k = s.account(100);
            String id = s.submit(k.key(), "convert", "cube.obj", CUBE, java.util.Map.of("output_format", "stl"))
                    .json().get("task_id").asText();
            JsonNode st = s.await(k.key(), id);
            String asset = st.get("results").get(0).get("asset").asText();
            assertEquals(200, s.get(k.key(), asset).status());
            Path folder = resultFolder(dir, id);
            assertTrue(Files.isDirectory(folder), "the task's results folder: " + folder);
            Instant expires = Instant.parse(st.get("expires_at").asText());
            TestServer.sleep(Math.max(0, Duration.between(Instant.now(), expires).toMillis()) + 100);
            s.get(k.key(), "/v1/generation-request/" + id + "/status/").problem(410, "task_expired");
            s.get(k.key(), asset).problem(410, "task_expired");
            // The sweeper runs every 200 ms here.
            Instant end = Instant.now().plusSeconds(5);
            while (Files.exists(folder) && Instant.now().isBefore(end)) {
                TestServer.sleep(50);
            }
            assertFalse(Files.exists(folder));
            assertFalse(Files.exists(dir.resolve("tasks").resolve(id)));
        }
    }

    /**
     * A task's model is kept while the task may still run (queued, or taken up again after a lost lease) and deleted
     * once it has finished or failed; the results stay. Fails where the models are kept until the task expires.
     */
    @Test
    void aTaskThatEndedNoLongerKeepsItsModelButKeepsItsResults(@TempDir Path dir) throws Exception {
        try (TestServer s = new TestServer(TestServer.config(dir))) {
            Administration.NewKey k = s.account(200);
            String done = s.submitMultipart(k.key(), "convert", "cube.obj", CUBE, "{\"output_format\":\"stl\"}")
                    .json().get("task_id").asText();
            String viaJson = s.submit(k.key(), "convert", "cube.obj", CUBE, java.util.Map.of("output_format", "glb"))
                    .json().get("task_id").asText();
            String failed = s.submit(k.key(), "repair", "broken.obj",
                    "this is not a model\nf 1 2 3\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), null)
                    .json().get("task_id").asText();
            JsonNode st = s.await(k.key(), done);
            assertEquals("FINISHED", st.get("status").asText(), st.toString());
            assertEquals("FINISHED", s.await(k.key(), viaJson).get("status").asText());
            assertEquals("FAILED", s.await(k.key(), failed).get("status").asText());
            for (String id : List.of(done, viaJson, failed)) {
                assertFalse(Files.exists(dir.resolve("tasks").resolve(id)), "the model of " + id + " is still kept");
            }
            byte[] stl = s.get(k.key(), st.get("results").get(0).get("asset").asText()).response().body();
            assertEquals(84 + 12 * 50, stl.length, "the cube's binary STL");
            assertTrue(Files.isDirectory(resultFolder(dir, viaJson)));
        }
    }

    @Test
    void aRestartedServerKeepsTasksKeysAndCredits(@TempDir Path dir) {
        Administration.NewKey k;
        String id;
        try (TestServer s = new TestServer(TestServer.config(dir))) {
            k = s.account(100);
            id = s.submit(k.key(), "inspect", "cube.obj", CUBE, null).json().get("task_id").asText();
            assertEquals("FINISHED", s.await(k.key(), id).get("status").asText());
        }
        try (TestServer s = new TestServer(TestServer.config(dir))) {
            JsonNode st = s.get(k.key(), "/v1/generation-request/" + id + "/status/").json();
            assertEquals("FINISHED", st.get("status").asText());
            assertEquals(12, st.get("report").get("triangles").asLong());
            assertEquals(99, s.balance(k.key()));
        }
    }

    @Test
    void aTaskWhoseWorkerDiedIsTakenUpAfterItsLeaseAndChargedOnce(@TempDir Path dir) throws Exception {
        Administration.NewKey k;
        String id;
        // An API-only process accepts the task; a "worker" claims it with a short lease and dies (never reports).
        try (TestServer s = new TestServer(TestServer.config(dir).withWorkers(0))) {
            k = s.account(100);
            id = s.submit(k.key(), "repair", "open-cube.obj", TestServer.fixture("open-cube.obj"),
                    java.util.Map.of("quality", "low")).json().get("task_id").asText();
        }
        try (Database db = Database.openEmbedded(dir)) {
            TaskStore store = new TaskStore(db, Duration.ofHours(1));
            TaskStore.Task claimed = store.claim("dead-worker", Duration.ofMillis(300), Instant.now());
            assertEquals(id, claimed.id());
            assertEquals("IN_PROGRESS", claimed.status());
            assertTrue(store.progress(id, "dead-worker", 40, "repair", Instant.now().plusMillis(300)));
        }
        try (TestServer s = new TestServer(TestServer.config(dir))) {
            JsonNode st = s.await(k.key(), id);
            assertEquals("FINISHED", st.get("status").asText(), st.toString());
            assertEquals(40, s.balance(k.key()));
            try (Database db = Database.openEmbedded(dir)) {
                TaskStore.Task t = new TaskStore(db, Duration.ofHours(1)).find(id);
                assertEquals(2, t.attempts());
                // The dead worker's late word changes nothing: the lease is no longer its own.
                assertFalse(new TaskStore(db, Duration.ofHours(1)).progress(id, "dead-worker", 50, "late",
                        Instant.now().plusSeconds(30)));
                assertFalse(new TaskStore(db, Duration.ofHours(1)).fail(id, "dead-worker", "late", Instant.now()));
            }
            assertEquals(40, s.balance(k.key()));
        }
    }

    @Test
    void aTaskThatKeepsKillingItsWorkersFailsAndIsRefunded(@TempDir Path dir) {
        Administration.NewKey k;
        String id;
        try (TestServer s = new TestServer(TestServer.config(dir).withWorkers(0))) {
            k = s.account(100);
            id = s.submit(k.key(), "repair", "cube.obj", CUBE, null).json().get("task_id").asText();
            assertEquals(40, s.balance(k.key()));
        }
        try (Database db = Database.openEmbedded(dir)) {
            TaskStore store = new TaskStore(db, Duration.ofHours(1));
            for (int i = 0; i < TaskStore.MAX_ATTEMPTS; i++) {
                assertEquals(id, store.claim("dying-" + i, Duration.ofMillis(1), Instant.now()).id());
                TestServer.sleep(5);
            }
        }
        try (TestServer s = new TestServer(TestServer.config(dir))) {
            JsonNode st = s.await(k.key(), id);
            assertEquals("FAILED", st.get("status").asText());
            assertTrue(st.get("failure_reason").asText().contains("3 times"), st.toString());
            assertEquals(100, s.balance(k.key()));
        }
    }

    @Test
    void theLedgerRefusesChangesAndDeletions(@TempDir Path dir) throws Exception {
        try (TestServer s = new TestServer(TestServer.config(dir).withWorkers(0))) {
            Administration.NewKey k = s.account(100);
            assertNotNull(k);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("meshforge.db"))) {
                SQLException update = assertThrows(SQLException.class,
                        () -> c.createStatement().executeUpdate("UPDATE ledger SET delta = 1000000"));
                assertTrue(update.getMessage().contains("append-only"), update.getMessage());
                assertThrows(SQLException.class, () -> c.createStatement().executeUpdate("DELETE FROM ledger"));
            }
            assertEquals(100, s.balance(k.key()));
        }
    }
}
