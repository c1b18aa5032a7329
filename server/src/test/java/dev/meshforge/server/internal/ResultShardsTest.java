// The directory store keeps results in shard folders, reads and deletes results of the old flat layout too.
package dev.meshforge.server.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultShardsTest {
    @TempDir
    Path data;

    private void put(DirectoryTaskFiles store, String task, String name, String content) throws IOException {
        Path f = Files.writeString(data.resolve("scratch-" + task), content);
        store.putResult(task, name, f);
    }

    private static byte[] read(DirectoryTaskFiles store, String task, String name) throws IOException {
        try (InputStream in = store.openResult(task, name)) {
            return in.readAllBytes();
        }
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    /**
     * 5,000 tasks' results, ids made as the server makes them (many in the same millisecond): none is a folder of
     * {@code results/} itself, which holds at most 1,024 folders, the fullest of them a small multiple of the mean;
     * each result reads back as written, and deleting each task leaves no task folder. Fails with the flat layout
     * (5,000 folders in {@code results/}).
     */
    @Test
    void resultsAreSpreadOverAtMost1024ShardFolders() throws IOException {
        DirectoryTaskFiles store = new DirectoryTaskFiles(data);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            String id = Database.newTimedId("task_");
            ids.add(id);
            put(store, id, "model.stl", "result " + i);
        }
        Path results = data.resolve("results");
        long shards = count(results);
        assertTrue(shards <= 1024 && shards > 500, shards + " folders in results/");
        Map<String, Long> perShard = new HashMap<>();
        try (Stream<Path> s = Files.list(results)) {
            for (Path shard : (Iterable<Path>) s::iterator) {
                assertEquals(2, shard.getFileName().toString().length(), shard.toString());
                perShard.put(shard.getFileName().toString(), count(shard));
            }
        }
        long fullest = perShard.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(fullest < 40, "the fullest shard holds " + fullest + " of 5,000 (mean about 5)");
        for (int i = 0; i < ids.size(); i++) {
            assertArrayEquals(("result " + i).getBytes(StandardCharsets.UTF_8), read(store, ids.get(i), "model.stl"));
        }
        for (String id : ids) {
            store.delete(id);
        }
        try (Stream<Path> s = Files.walk(results)) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().startsWith("task_")).count());
        }
    }

    /** A result an earlier version stored in {@code results/<id>/} is read and deleted there. */
    @Test
    void aResultOfTheFlatLayoutIsReadAndDeleted() throws IOException {
        DirectoryTaskFiles store = new DirectoryTaskFiles(data);
        String id = Database.newTimedId("task_");
        Path old = Files.createDirectories(data.resolve("results").resolve(id)).resolve("model.glb");
        Files.writeString(old, "kept before the shards");
        assertArrayEquals("kept before the shards".getBytes(StandardCharsets.UTF_8), read(store, id, "model.glb"));
        store.delete(id);
        assertFalse(Files.exists(old.getParent()));
    }

    /** Ids that could name a shard, a parent or another folder are refused before anything is touched. */
    @Test
    void idsThatAreNotPlainAreRefused() throws IOException {
        DirectoryTaskFiles store = new DirectoryTaskFiles(data);
        String id = Database.newTimedId("task_");
        put(store, id, "model.stl", "x");
        String shard = id.substring(id.length() - 3, id.length() - 1);
        for (String bad : List.of(shard, shard + "a", "..", "task_/..", "task_..", "task_A", "task_a/", "x")) {
            assertThrows(IllegalArgumentException.class, () -> store.delete(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> store.openResult(bad, "model.stl"), bad);
        }
        assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), read(store, id, "model.stl"));
    }
}
