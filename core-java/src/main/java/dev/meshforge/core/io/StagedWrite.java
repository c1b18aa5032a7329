// A model's files written into a hidden folder beside the output first, and moved into place only once the writer has
// finished: a write that fails leaves no half-written model where the output goes, and writing over the input is safe.
package dev.meshforge.core.io;

import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.internal.TempFolders;
import dev.meshforge.core.scene.Scene;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Runs a writer on a stand-in path, {@code .NAME.meshforge-RANDOM/NAME} in the output's own folder (so that the
 * writer's companion files, an OBJ's MTL and textures or a glTF's .bin and images, go there too, named as they would
 * be beside the output), then moves every file it wrote into the output's folder, the model file last, each by a
 * rename that replaces what stood there (taking on its permissions); the stand-in folder is removed either way.
 * Warnings the writer adds to the scene and the messages of what it throws name the output, not the stand-in.
 *
 * <p>Written in place, as before, where the output is not a regular file or missing (a folder, a device, a pipe), is a
 * symbolic link (the link stays a link), or where no folder can be made beside it.
 */
final class StagedWrite {
    /** Where stand-in folders start their name, after a dot and the output's name. */
    static final String MARK = ".meshforge-";

    /**
     * The stand-in folders of writes under way, removed by a shutdown hook too: a command stopped by Ctrl-C while it
     * writes leaves no hidden folder in the user's (a write still running then may leave a file it makes after).
     */
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        // Registered once, when the first staged write loads this class.
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(TempFolders::deleteQuietly),
                    "meshforge-staged-writes"));
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    private StagedWrite() {
    }

    /** Writes the output's files to the path it is given. */
    interface Body {
        void write(Path target) throws IOException;
    }

    /** Runs {@code body} for {@code file} (see the class comment); {@code scene}'s new warnings are renamed. */
    static void run(Path file, Scene scene, Body body) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        BasicFileAttributes there = attributes(absolute, BasicFileAttributes.class);
        if (dir == null || there != null && !there.isRegularFile()) { // a link, a folder, a device, a pipe
            body.write(file);
            return;
        }
        String name = absolute.getFileName().toString();
        Path stage;
        try {
            stage = Files.createTempDirectory(dir, "." + name + MARK);
        } catch (IOException | UnsupportedOperationException e) {
            body.write(file);
            return;
        }
        LIVE.add(stage);
        Path staged = stage.resolve(name);
        int warned = scene.warnings().size();
        try {
            try {
                body.write(staged);
            } finally {
                rename(scene, warned, staged, file);
            }
            moveInto(stage, dir, staged);
        } catch (IOException e) {
            throw new IOException(renamed(e.getMessage(), staged, file), e);
        } catch (LimitExceededException e) {
            throw new LimitExceededException(renamed(e.getMessage(), staged, file));
        } finally {
            // What cannot be removed (a file the writer made meanwhile, say) stays hidden: no later write reads it.
            TempFolders.deleteQuietly(stage);
            LIVE.remove(stage);
        }
    }

    /** The warnings from {@code from} on, with the stand-in's path replaced by the output's. */
    private static void rename(Scene scene, int from, Path staged, Path file) {
        int[] at = {0};
        scene.rewriteWarnings(w -> at[0]++ < from ? w : renamed(w, staged, file));
    }

    private static String renamed(String text, Path staged, Path file) {
        return text == null ? null : text.replace(staged.toString(), file.toString())
                .replace(staged.getParent().toString(), file.toAbsolutePath().getParent().toString());
    }

    /** Moves every file {@code stage} holds into {@code dir} at the same relative path, the model file {@code last}. */
    private static void moveInto(Path stage, Path dir, Path last) throws IOException {
        List<Path> files;
        try (Stream<Path> all = Files.walk(stage)) {
            files = all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !p.equals(last)).toList();
        }
        for (Path f : files) {
            Path to = dir.resolve(stage.relativize(f).toString());
            if (!f.getParent().equals(stage)) {
                Files.createDirectories(to.getParent()); // a subfolder's file
            }
            move(f, to);
        }
        move(last, dir.resolve(last.getFileName().toString()));
    }

    /** Moves {@code from} over {@code to}; a file it replaces passes on its permissions (a private model stays so). */
    private static void move(Path from, Path to) throws IOException {
        try {
            PosixFileAttributes replaced = attributes(to, PosixFileAttributes.class);
            if (replaced != null && replaced.isRegularFile()) {
                Files.setPosixFilePermissions(from, replaced.permissions());
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the new file's own permissions
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * {@code p}'s own attributes (a link's, not its target's), in one call; null where nothing is there or they cannot
     * be read (taken as nothing there, as {@link Files#exists} takes it).
     */
    private static <A extends BasicFileAttributes> A attributes(Path p, Class<A> type) {
        try {
            return Files.readAttributes(p, type, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }
}
