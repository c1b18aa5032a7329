// Finds the shared third-party corpus and its facts; tests read files in place, never copy them.
package dev.meshforge.core.testing;

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
 * The corpus directory comes from the system property {@code meshforge.corpus} (set by the Maven build to
 * {@code ../shared/corpus}) or the environment variable {@code MESHFORGE_CORPUS}. Where it is absent, corpus
 * tests are skipped with that reason, except under CI ({@code CI=true}), where its absence is a failure.
 */
public final class Corpus {
    private Corpus() {
    }

    public static Path root() {
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

    /** One entry of corpus-facts.json. */
    public record Fact(String file, JsonNode json) {
        public Path path() {
            return root().resolve(file);
        }

        public boolean checked() {
            return json.path("checked").asBoolean(false);
        }

        /** The integer fact under {@code key}, or -1 where the facts give none. */
        public long get(String key) {
            JsonNode n = json.get(key);
            return n == null || n.isNull() ? -1 : n.asLong();
        }

        @Override
        public String toString() {
            return file;
        }
    }

    /** The facts of every corpus file whose path starts with {@code prefix} (e.g. "stl/"). */
    public static List<Fact> facts(String prefix) {
        Path json = root().resolveSibling("corpus-facts.json");
        try {
            JsonNode all = new ObjectMapper().readTree(json.toFile());
            List<Fact> out = new ArrayList<>();
            for (JsonNode n : all) {
                String file = n.get("file").asText();
                if (file.startsWith(prefix)) {
                    out.add(new Fact(file, n));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + json, e);
        }
    }
}
