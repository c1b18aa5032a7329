// Where meshforge keeps what it makes for itself: the extracted kernel library, crash reports.
package dev.meshforge.core;

import java.nio.file.Path;

/**
 * The system property {@code meshforge.cache.dir}, else {@code $XDG_CACHE_HOME/meshforge}, else
 * {@code ~/.cache/meshforge}.
 */
public final class CacheDirectory {
    private CacheDirectory() {
    }

    public static Path root() {
        String dir = System.getProperty("meshforge.cache.dir");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "meshforge");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "meshforge");
    }
}
