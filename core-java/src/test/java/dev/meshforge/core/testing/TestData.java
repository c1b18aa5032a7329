// Finds the project's own fixtures in testdata/ at the project root.
package dev.meshforge.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folder comes from the system property {@code meshforge.testdata} (set by the Maven build to
 * {@code <project>/testdata}), else {@code testdata} found from the working directory upwards.
 */
public final class TestData {
    private TestData() {
    }

    public static Path root() {
        String p = System.getProperty("meshforge.testdata");
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("testdata"))) {
                return dir.resolve("testdata");
            }
        }
        throw new IllegalStateException("testdata/ not found: set -Dmeshforge.testdata");
    }

    /** A fixture by its path under testdata/, which must exist. */
    public static Path file(String name) {
        Path f = root().resolve(name);
        if (!Files.isRegularFile(f)) {
            throw new IllegalStateException("the fixture " + f + " is missing");
        }
        return f;
    }
}
