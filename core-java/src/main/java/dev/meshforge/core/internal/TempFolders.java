// The temporary folders that writers, staged writes and the ZIP reader work in, removed when done.
package dev.meshforge.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Removal of a temporary folder that never throws, so that it cannot hide the error a write or read ends with. */
public final class TempFolders {
    private TempFolders() {
    }

    /**
     * Deletes {@code root} and everything under it, deepest first, as far as it can: what cannot be deleted (a file
     * another process holds, a folder that vanished meanwhile) is left to the system's temporary-file cleaning.
     * Returns whether nothing is left.
     */
    public static boolean deleteQuietly(Path root) {
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.sorted(Comparator.reverseOrder()).toList();
        } catch (IOException | UncheckedIOException e) {
            return Files.notExists(root);
        }
        for (Path p : all) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // left behind, as said above
            }
        }
        return Files.notExists(root);
    }
}
