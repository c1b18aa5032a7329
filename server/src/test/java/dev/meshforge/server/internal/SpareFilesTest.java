// The directory store writes a later model over an ended task's model file, cut to the later model's length.
package dev.meshforge.server.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpareFilesTest {
    @TempDir
    Path data;

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** The model stored for a task, as the store keeps it. */
    private static Path put(DirectoryTaskFiles store, String task, String name, byte[] model) throws IOException {
        store.putInput(task, name, model, model.length);
        return store.input(task, name, null);
    }

    private static Object inode(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    }

    /**
     * A shorter model written over a longer one's file reads back as itself alone, a longer one as itself too: the
     * file is the ended task's (same inode), and nothing of the earlier model is left in it.
     */
    @Test
    void aLaterModelIsWrittenOverAnEndedTasksFileAndCutToItsLength() throws IOException {
        DirectoryTaskFiles store = new DirectoryTaskFiles(data);
        Path a = put(store, "task_a", "a.glb", bytes(300_000, 1));
        Object aInode = inode(a);
        Object aFolder = inode(a.getParent());
        store.deleteInput("task_a", "a.glb", true);
        assertFalse(Files.exists(a));
        assertEquals(1, spareFiles(), "the ended task's model is kept as a spare");

        byte[] second = bytes(1_000, 2);
        Path b = put(store, "task_b", "b.stl", second);
        assertEquals(0, spareFiles(), "the spare is taken");
        assertEquals(aInode, inode(b), "the ended task's file is reused");
        assertEquals(aFolder, inode(b.getParent()), "and its folder");
        assertFalse(Files.exists(a.getParent()));
        assertArrayEquals(second, Files.readAllBytes(b));

        store.deleteInput("task_b", "b.stl", true);
        byte[] third = bytes(500_000, 3);
        Path c = put(store, "task_c", "c.obj", third);
        assertEquals(aInode, inode(c));
        assertArrayEquals(third, Files.readAllBytes(c));
    }

    private long spareFiles() throws IOException {
        try (var listed = Files.list(data.resolve("spare"))) {
            return listed.count();
        }
    }

    /**
     * A model whose task ran more than once (taken up again after a lost lease) is deleted, not kept: the run that lost
     * its lease may still be reading the file, which must then not change under it.
     */
    @Test
    void aModelOfATaskRunMoreThanOnceIsDeletedNotKept() throws IOException {
        DirectoryTaskFiles store = new DirectoryTaskFiles(data);
        Path a = put(store, "task_a", "a.glb", bytes(2_000, 6));
        store.deleteInput("task_a", "a.glb", false);
        assertFalse(Files.exists(a));
        assertFalse(Files.exists(a.getParent()));
        assertEquals(0, spareFiles());
    }

    /** With nothing kept, a model gets a file of its own; a model of another length than its array's is cut there. */
    @Test
    void withoutASpareTheModelGetsANewFile() throws IOException {
        DirectoryTaskFiles store = new DirectoryTaskFiles(data);
        byte[] model = bytes(10_000, 4);
        store.putInput("task_a", "a.ply", model, 7_000);
        assertArrayEquals(Arrays.copyOf(model, 7_000), Files.readAllBytes(store.input("task_a", "a.ply", null)));
        store.putInput("task_b", "b.ply", model, model.length);
        assertNotEquals(inode(store.input("task_a", "a.ply", null)), inode(store.input("task_b", "b.ply", null)));
    }

    /** A model of {@code size} bytes alone in a task folder of its own, as the store keeps one. */
    private Path model(String folder, long size) throws IOException {
        Path f = Files.createDirectories(data.resolve(folder)).resolve("model.glb");
        try (var ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{1}), size - 1);
        }
        return f;
    }

    /**
     * No more models are kept than the bounds (count, bytes, each model's size); a folder that holds more than its
     * model is not kept either. What is not kept is left where it is, for the caller to delete.
     */
    @Test
    void theSpareFilesAreBounded() throws IOException {
        SpareFiles spares = new SpareFiles(data.resolve("spare"));
        for (int i = 0; i < SpareFiles.MAX_FILES + 5; i++) {
            spares.keep(model("t" + i, 10));
        }
        assertEquals(SpareFiles.MAX_FILES, spares.count());
        try (var listed = Files.list(data.resolve("spare"))) {
            assertEquals(SpareFiles.MAX_FILES, listed.count());
        }

        SpareFiles fresh = new SpareFiles(data.resolve("spare2"));
        Path big = model("big", SpareFiles.MAX_FILE_BYTES + 1);
        assertFalse(fresh.keep(big));
        assertTrue(Files.exists(big));
        Path crowded = model("crowded", 10);
        Files.write(crowded.resolveSibling("other"), bytes(10, 7));
        assertFalse(fresh.keep(crowded));
        assertTrue(Files.exists(crowded));
        assertEquals(0, fresh.count());

        // The byte bound: models of a quarter of it each, so that at most four are kept.
        SpareFiles byBytes = new SpareFiles(data.resolve("spare3"));
        for (int i = 0; i < 6; i++) {
            byBytes.keep(model("q" + i, SpareFiles.MAX_BYTES / 4));
        }
        assertEquals(4, byBytes.count());
    }

    /** The sweep deletes a model kept for its age or longer, folder and all, and leaves a younger one. */
    @Test
    void theSweepDeletesAModelKeptTooLong() throws IOException {
        SpareFiles spares = new SpareFiles(data.resolve("spare"));
        spares.keep(model("t1", 100));
        spares.expire(Duration.ofHours(1));
        assertEquals(1, spares.count());
        assertEquals(1, spareFiles());
        spares.expire(Duration.ZERO);
        assertEquals(0, spares.count());
        assertEquals(0, spareFiles(), "the kept folder is deleted");
        assertFalse(spares.moveTo(data.resolve("tasks").resolve("task_b").resolve("b.glb")));
    }

    /** What an earlier run of the server kept is deleted when the store opens: its count and sizes are unknown. */
    @Test
    void theStoreEmptiesTheSpareFolderWhenItOpens() throws IOException {
        Files.createDirectories(data.resolve("spare"));
        Files.createDirectories(data.resolve("spare").resolve("m1-1"));
        Files.write(data.resolve("spare").resolve("m1-1").resolve("a.glb"), bytes(100, 5));
        new DirectoryTaskFiles(data);
        try (var listed = Files.list(data.resolve("spare"))) {
            assertEquals(0, listed.count());
        }
    }
}
