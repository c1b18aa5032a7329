package dev.meshforge.server.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The accept transaction answers with the task {@link TaskStore#insert} returns instead of reading it back. */
class TaskInsertTest {
    @TempDir
    Path dir;

    @Test
    void anInsertedTaskIsTheRowThatReadsBack() {
        try (Database db = Database.openEmbedded(dir)) {
            KeyStore.ApiKey key = new KeyStore(db).create("insert", null, null, false, KeyStore.Defaults.STANDARD)
                    .record();
            // Nanoseconds that the stored milliseconds drop, with and without an Idempotency-Key.
            Instant now = Instant.parse("2026-01-02T03:04:05.678901234Z");
            for (String idempotencyKey : new String[]{null, "retry-1"}) {
                String id = Database.newId("task_");
                TaskStore.Task made = db.transaction(c -> TaskStore.insert(c, id, key.accountId(), key.id(),
                        "convert", "{\"output_format\":\"stl\"}", "model.glb", 5, idempotencyKey,
                        idempotencyKey == null ? "" : "hash", now));
                TaskStore.Task read = db.read(c -> TaskStore.find(c, id));
                assertEquals(read, made);
                assertEquals(Instant.parse("2026-01-02T03:04:05.678Z"), made.createdAt());
            }
        }
    }
}
