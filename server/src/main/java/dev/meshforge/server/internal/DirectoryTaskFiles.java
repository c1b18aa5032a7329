// Task files in the data directory: tasks/<id>/<model> for inputs, results/<shard>/<id>/<name> for results.
package dev.meshforge.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The embedded store. Names are sanitized before they get here; {@link #inside} checks it again. A task's results are
 * kept in a folder of one of up to 1,024 shard folders, named by two characters of the id's random bits, so that a
 * day of results is not millions of folders side by side in one (some file systems refuse a folder's 32,000th or
 * 65,000th subfolder, and every lookup or listing of a folder that large costs more); results that an earlier version
 * stored in {@code results/<id>/} are still read and deleted there.
 */
public final class DirectoryTaskFiles implements TaskFiles {
    private final Path inputs;
    private final Path results;

    /** Models of ended tasks, written over by later models held in memory. */
    private final SpareFiles spares;

    public DirectoryTaskFiles(Path dataDir) throws IOException {
        this.inputs = Files.createDirectories(dataDir.resolve("tasks")).toAbsolutePath().normalize();
        this.results = Files.createDirectories(dataDir.resolve("results")).toAbsolutePath().normalize();
        this.spares = new SpareFiles(dataDir.resolve("spare"));
    }

    @Override
    public void putInput(String taskId, String name, Path file) throws IOException {
        Path to = inside(inputs, taskId, name);
        Files.createDirectories(to.getParent());
        Files.move(file, to, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void putInput(String taskId, String name, byte[] content, int length) throws IOException {
        Path to = inside(inputs, taskId, name);
        // Written over an ended task's model, in its folder, where one is kept (SpareFiles), then cut to this model's
        // length.
        boolean spare = spares.moveTo(to);
        if (!spare) {
            Files.createDirectories(to.getParent());
        }
        // One channel write for the whole array (Files.write hands a stream 8 KB at a time: a system call each).
        try (FileChannel out = spare ? FileChannel.open(to, StandardOpenOption.WRITE)
                : FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer all = ByteBuffer.wrap(content, 0, length);
            while (all.hasRemaining()) {
                out.write(all);
            }
            out.truncate(length);
        } catch (IOException | RuntimeException e) {
            // Nothing of the task exists yet: a file half written (or holding a spare's bytes) goes.
            Files.deleteIfExists(to);
            throw e;
        }
    }

    @Override
    public Path input(String taskId, String name, Path scratch) throws IOException {
        Path p = inside(inputs, taskId, name);
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(name);
        }
        return p;
    }

    @Override
    public void deleteInput(String taskId, String name, boolean onlyRun) throws IOException {
        Path p = inside(inputs, taskId, name);
        if (onlyRun && spares.keep(p)) {
            return; // the folder and its model went to the spares
        }
        Files.deleteIfExists(p);
        try {
            Files.deleteIfExists(p.getParent());
        } catch (DirectoryNotEmptyException ignored) {
            // Not only the model (nothing else writes there): left for the sweep when the task expires.
        }
    }

    @Override
    public void sweepSpares() throws IOException {
        spares.expire(SpareFiles.MAX_AGE);
    }

    @Override
    public void putResult(String taskId, String name, Path file) throws IOException {
        Path to = inside(shard(taskId), taskId, name);
        Files.createDirectories(to.getParent());
        Files.move(file, to, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public InputStream openResult(String taskId, String name) throws IOException {
        Path p = inside(shard(taskId), taskId, name);
        if (!Files.exists(p)) {
            Path legacy = inside(results, taskId, name);
            if (Files.exists(legacy)) {
                return Files.newInputStream(legacy);
            }
        }
        return Files.newInputStream(p);
    }

    @Override
    public void delete(String taskId) throws IOException {
        Path shard = shard(taskId); // first: an id it refuses could name a shard in the old layout's place
        deleteTree(inside(inputs, taskId, "x").getParent());
        deleteTree(inside(shard, taskId, "x").getParent());
        deleteTree(inside(results, taskId, "x").getParent());
    }

    /**
     * The shard folder of a task's results: {@code results/} and the two characters before the id's last, which must
     * be letters or digits, as all three last are (a task id's are base-32 characters of its random bits; its last
     * character holds only the 128 bits' last three), of an id longer than three.
     */
    Path shard(String taskId) {
        int n = taskId.length();
        if (n <= 3 || !plain(taskId.charAt(n - 3)) || !plain(taskId.charAt(n - 2)) || !plain(taskId.charAt(n - 1))) {
            throw new IllegalArgumentException("not a task id: " + taskId);
        }
        return results.resolve(taskId.substring(n - 3, n - 1));
    }

    private static boolean plain(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    /**
     * The path of a task's file in {@code root} (a store's folder, or a shard of one), refusing any name or id that
     * would lead outside the task's folder.
     */
    private static Path inside(Path root, String taskId, String name) {
        Path dir = root.resolve(taskId).normalize();
        Path p = dir.resolve(name).normalize();
        if (!dir.getParent().equals(root) || !p.getParent().equals(dir)) {
            throw new IllegalArgumentException("not a plain file name: " + name);
        }
        return p;
    }

    /**
     * Deletes everything in {@code dir} but the folder itself and, emptied, its subfolder {@code keep}: a worker's
     * scratch folder made ready for its next task without removing and creating folders again.
     */
    static void deleteInside(Path dir, String keep) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (p.getFileName().toString().equals(keep) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    deleteInside(p, null);
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(p);
                } else {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                try {
                    Files.deleteIfExists(d);
                } catch (DirectoryNotEmptyException ignored) {
                    // A writer still adding a file; the next sweep takes it.
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
