// Folders of ended tasks' models kept in the directory store for later models to be written into, instead of new ones.
package dev.meshforge.server.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded set of task folders, each holding the model of a task that has ended, which the directory store moves to
 * later tasks and writes their models over, instead of deleting the folder and file and creating new ones (as
 * databases recycle their log segments). A model written into pages the page cache holds already skips what new
 * pages cost: allocating and zeroing each, and on a virtual machine that hands freed memory back to its host, a fault
 * in the host each; and a folder renamed costs less than one made (ext4 allocates a new folder an inode and a block,
 * and frees them when it is removed). With 720 KB models sent as multipart, the load test's server CPU beside the ops
 * fell from about 8.0 to 3.9 ms a task (ARCHITECTURE.md). At most {@link #MAX_FILES} models of {@link #MAX_BYTES} in
 * all are kept, none over {@link #MAX_FILE_BYTES}, the most recently kept taken first (its pages the likeliest to be
 * cached still); a folder that holds anything but its model is not kept. A model not taken within {@link #MAX_AGE}
 * is deleted by the next sweep, and the spare folder is emptied when the store opens.
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

    /** How long a model is kept for a later one at most: the sweep deletes it after that ({@link #expire}). */
    static final Duration MAX_AGE = Duration.ofMinutes(1);

    /** A kept task folder, the name of the model in it, and when it was kept ({@link System#nanoTime}). */
    private record Spare(Path folder, String model, long bytes, long keptAt) {
    }

    private final Path dir;
    private final ConcurrentLinkedDeque<Spare> kept = new ConcurrentLinkedDeque<>();
    /** Models and bytes kept or being moved in: reserved before the move, so the bounds hold under races. */
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong names = new AtomicLong();

    SpareFiles(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir).toAbsolutePath().normalize();
        DirectoryTaskFiles.deleteInside(this.dir, null);
    }

    /**
     * Takes the folder of {@code model} (moved into the spare folder) where the bounds allow and the folder holds the
     * model alone; false where both were left where they are.
     */
    boolean keep(Path model) {
        long size;
        try {
            size = Files.size(model);
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
        Path folder = model.getParent();
        Path to = dir.resolve("m" + ProcessHandle.current().pid() + "-" + names.incrementAndGet());
        try {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
                int n = 0;
                for (Path ignored : entries) {
                    n++;
                }
                if (n != 1) {
                    release(size);
                    return false;
                }
            }
            Files.move(folder, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            release(size);
            return false;
        }
        kept.push(new Spare(to, model.getFileName().toString(), size, System.nanoTime()));
        return true;
    }

    /**
     * Moves the most recently kept folder to the folder of {@code to}, which must not exist, and its model to
     * {@code to}, which the caller then writes over from its start and cuts to what it wrote; false where none is kept
     * or a move failed (the spare is then deleted, and the folder of {@code to} may exist, empty).
     */
    boolean moveTo(Path to) throws IOException {
        Spare s = kept.poll();
        if (s == null) {
            return false;
        }
        release(s.bytes());
        Path folder = to.getParent();
        try {
            Files.move(s.folder(), folder, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            DirectoryTaskFiles.deleteTree(s.folder());
            return false;
        }
        Path model = folder.resolve(s.model());
        if (!model.equals(to)) {
            try {
                Files.move(model, to, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.deleteIfExists(model);
                return false;
            }
        }
        return true;
    }

    /**
     * Deletes the models kept longer than {@code age}: a model's bytes stay on the disk only as long as later uploads
     * may overwrite them, not until the next upload, however long that is.
     */
    void expire(Duration age) throws IOException {
        long now = System.nanoTime();
        for (Spare s; (s = kept.peekLast()) != null && now - s.keptAt() >= age.toNanos(); ) {
            if (kept.removeLastOccurrence(s)) {
                release(s.bytes());
                DirectoryTaskFiles.deleteTree(s.folder());
            }
        }
    }

    /** The models kept now. */
    int count() {
        return kept.size();
    }

    private void release(long size) {
        files.decrementAndGet();
        bytes.addAndGet(-size);
    }
}
