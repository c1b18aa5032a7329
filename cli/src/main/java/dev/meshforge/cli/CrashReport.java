// An internal error's details, written to a file so that the user sees one sentence and can send the file.
package dev.meshforge.cli;

import dev.meshforge.core.CacheDirectory;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes {@code <cache>/crash/meshforge-<time>.txt} (cache: {@code meshforge.cache.dir}, {@code $XDG_CACHE_HOME/meshforge}
 * or {@code ~/.cache/meshforge}, as for the kernel library) with the command line, the versions and the stack
 * trace; falls back to the temporary directory.
 */
final class CrashReport {
    private CrashReport() {
    }

    /** The file written, or null where no file could be written. */
    static Path write(Throwable e, String[] args) {
        StringWriter text = new StringWriter();
        try (PrintWriter w = new PrintWriter(text)) {
            w.println("meshforge internal error at " + Instant.now());
            w.println("arguments: " + String.join(" ", args));
            w.println("java: " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
            w.println("os: " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
            w.println();
            e.printStackTrace(w);
        }
        String name = "meshforge-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT)
                .withZone(java.time.ZoneOffset.UTC).format(Instant.now()) + ".txt";
        for (Path dir : new Path[] {CacheDirectory.root().resolve("crash"), Path.of(System.getProperty("java.io.tmpdir"))}) {
            try {
                Files.createDirectories(dir);
                Path file = dir.resolve(name);
                Files.writeString(file, text.toString());
                return file;
            } catch (IOException | SecurityException ignored) {
                // try the next place
            }
        }
        return null;
    }
}
