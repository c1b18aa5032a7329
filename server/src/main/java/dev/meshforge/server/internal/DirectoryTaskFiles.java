// Task files in the data directory: tasks/<id>/<model> for inputs, results/<id>/<name> for results.
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

/** The embedded store. Names are sanitized before they get here; {@link #inside} checks it again. */
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
        Path to = inside(results, taskId, name);
        Files.createDirectories(to.getParent());
        Files.move(file, to, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public InputStream openResult(String taskId, String name) throws IOException {
        return Files.newInputStream(inside(results, taskId, name));
    }

    @Override
    public void delete(String taskId) throws IOException {
        deleteTree(inside(inputs, taskId, "x").getParent());
        deleteTree(inside(results, taskId, "x").getParent());
    }

    /** The path of a task's file, refusing any name or id that would lead outside the task's folder. */
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
