package dev.meshforge.server.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The workers' sweep of tasks past their time: from an index of the tasks not yet purged, not a scan of them all. */
class TaskSweepTest {
    @TempDir
    Path dir;

    @Test
    void theSweepsReadUsesTheExpiryIndex() {
        try (Database db = Database.openEmbedded(dir)) {
            String plan = QueryPlans.of(db, TaskStore.EXPIRED, 0L);
            assertTrue(plan.contains("USING INDEX tasks_expiry"), plan);
            assertFalse(plan.contains("SCAN tasks"), plan);
        }
    }

    @Test
    void theSweepFindsTheTasksPastTheirTimeThatAreNotPurged() {
        try (Database db = Database.openEmbedded(dir)) {
            KeyStore.ApiKey key = new KeyStore(db).create("sweep", null, null, false, KeyStore.Defaults.STANDARD)
                    .record();
            TaskStore tasks = new TaskStore(db, Duration.ofHours(24));
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            // a and b finish at t0 and expire a day later; c finishes an hour later; a is purged already. Each is
            // claimed as the one before has finished (a key runs few tasks at once).
            for (String id : List.of("task_a", "task_b", "task_c")) {
                Instant end = id.equals("task_c") ? t0.plus(Duration.ofHours(1)) : t0;
                db.transaction(c -> TaskStore.insert(c, id, key.accountId(), key.id(), "inspect", "{}", "m.obj", 0,
                        null, "", t0));
                assertEquals(id, tasks.claim("w", Duration.ofMinutes(1), t0).id());
                assertTrue(tasks.finish(id, "w", "{}", List.of(), end, null).stored());
            }
            tasks.markPurged("task_a", t0.plus(Duration.ofDays(1)));
            Instant later = t0.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(30));
            assertEquals(List.of("task_b"), tasks.expired(later).stream().map(TaskStore.Task::id).toList());
            assertEquals(List.of("task_b", "task_c"), tasks.expired(later.plus(Duration.ofHours(1))).stream()
                    .map(TaskStore.Task::id).toList());
        }
    }
}
