// Locates the shared corpus for benchmarks and picks the largest well-formed file of a format.
package dev.meshforge.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/** The corpus is at -Dmeshforge.corpus, $MESHFORGE_CORPUS, or ../shared/corpus from the working directory. */
final class CorpusFiles {
    private CorpusFiles() {
    }

    static Path root() {
        String p = System.getProperty("meshforge.corpus", System.getenv("MESHFORGE_CORPUS"));
        Path dir = Path.of(p != null ? p : "../shared/corpus").toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("the corpus is not at " + dir
                    + "; set -Dmeshforge.corpus or MESHFORGE_CORPUS");
        }
        return dir;
    }

    /** The largest file with this extension outside the broken folders. */
    static Path largest(String extension) {
        String suffix = "." + extension.toLowerCase(Locale.ROOT);
        try (Stream<Path> files = Files.walk(root())) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(suffix))
                    .filter(f -> !f.toString().contains("/broken/"))
                    .max(Comparator.comparingLong(CorpusFiles::size))
                    .orElseThrow(() -> new IllegalStateException("no ." + extension + " file in the corpus"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
