// Models of ended tasks kept in the directory store to be written over by later models instead of new files.
package dev.meshforge.server.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded set of files, each the model of a task that has ended, which the directory store writes later models over
 * instead of deleting them and creating new files (as databases recycle their log segments). A model written into
 * pages the page cache holds already skips what new pages cost: allocating and zeroing each, and on a virtual machine
 * that hands freed memory back to its host, a fault in the host each (the load test's submits of 720 KB models spent
 * about 2.4 ms of the server's CPU less a task: ARCHITECTURE.md). At most {@link #MAX_FILES} files of
 * {@link #MAX_BYTES} in all are kept, none over {@link #MAX_FILE_BYTES}, the most recently kept taken first (its pages
 * the likeliest to be cached still). The folder is emptied when the store opens.
 *
 * <p>Only the model of a task that ran once is kept: a task taken up again after a lost lease may still be read by
 * the run that lost it, and its file must not change under that run ({@link TaskFiles#deleteInput}).
 *
 * <p>A spare holds an earlier model's bytes: the store cuts the file to the new model's length once it is written,
 * before anything can read it, and deletes it where the write fails ({@link DirectoryTaskFiles#putInput(String,
 * String, byte[], int)}), so no byte of one model is ever read as part of another.
 */
final class SpareFiles {
    static final int MAX_FILES = 64;
    static final long MAX_BYTES = 64L << 20;
    static final long MAX_FILE_BYTES = 16L << 20;

    private record Spare(Path file, long bytes) {
    }

    private final Path dir;
    private final ConcurrentLinkedDeque<Spare> kept = new ConcurrentLinkedDeque<>();
    /** Files and bytes kept or being moved in: reserved before the move, so the bounds hold under races. */
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong names = new AtomicLong();

    SpareFiles(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir).toAbsolutePath().normalize();
        DirectoryTaskFiles.deleteInside(this.dir, null);
    }

    /** Takes {@code file} (moved into the spare folder) where the bounds allow; false where it was left where it is. */
    boolean keep(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            return false;
        }
        if (size > MAX_FILE_BYTES) {
            return false;
        }
        if (files.incrementAndGet() > MAX_FILES | bytes.addAndGet(size) > MAX_BYTES) {
            release(size);
            return false;
        }
        Path to = dir.resolve("m" + ProcessHandle.current().pid() + "-" + names.incrementAndGet());
        try {
            Files.move(file, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            release(size);
            return false;
        }
        kept.push(new Spare(to, size));
        return true;
    }

    /**
     * Moves the most recently kept file to {@code to}, which the caller then writes over from its start and cuts to
     * what it wrote; false where none is kept (or the move failed: that file is deleted).
     */
    boolean moveTo(Path to) throws IOException {
        Spare s = kept.poll();
        if (s == null) {
            return false;
        }
        release(s.bytes());
        try {
            Files.move(s.file(), to, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            Files.deleteIfExists(s.file());
            return false;
        }
    }

    /** The files kept now. */
    int count() {
        return kept.size();
    }

    private void release(long size) {
        files.decrementAndGet();
        bytes.addAndGet(-size);
    }
}
