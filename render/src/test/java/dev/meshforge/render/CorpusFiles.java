// The shared corpus for the render tests: read in place from one configurable location, never copied.
package dev.meshforge.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The corpus directory comes from {@code -Dmeshforge.corpus} (set by the Maven build) or {@code MESHFORGE_CORPUS};
 * where it is absent the tests are skipped, except under CI ({@code CI=true}), where that is a failure.
 */
final class CorpusFiles {
    private CorpusFiles() {
    }

    static Path root() {
        String p = System.getProperty("meshforge.corpus", System.getenv("MESHFORGE_CORPUS"));
        Path dir = p == null ? null : Path.of(p).toAbsolutePath().normalize();
        if (dir == null || !Files.isDirectory(dir)) {
            String why = "the corpus is not at " + dir + " (set -Dmeshforge.corpus or MESHFORGE_CORPUS)";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(why);
            }
            Assumptions.abort(why);
        }
        return dir;
    }

    /** Every model file listed in corpus-facts.json, relative to the corpus root. */
    static List<String> models() {
        Path json = root().resolveSibling("corpus-facts.json");
        try {
            List<String> out = new ArrayList<>();
            for (JsonNode n : new ObjectMapper().readTree(json.toFile())) {
                out.add(n.get("file").asText());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + json, e);
        }
    }
}
