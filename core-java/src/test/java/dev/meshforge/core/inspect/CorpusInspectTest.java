// Every STL of the shared corpus: triangle counts read, and inspect equal to the checker facts.
package dev.meshforge.core.inspect;

import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.testing.Corpus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class CorpusStlInspectTest {
    /** The integer keys of corpus-facts.json that inspect reports under the same names. */
    private static final List<String> KEYS = List.of("triangles", "holes", "open_edges", "non_manifold_edges",
            "inconsistent_orientation_edges", "degenerate_faces", "duplicate_faces", "components",
            "intersecting_pairs");

    static List<Corpus.Fact> stlFiles() {
        List<Corpus.Fact> facts = Corpus.facts("stl/");
        assertFalse(facts.isEmpty(), "corpus-facts.json lists no STL file");
        return facts;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stlFiles")
    void readsTheTriangleCountOfTheFacts(Corpus.Fact fact) {
        try (Scene scene = Formats.read(fact.path())) {
            assertEquals(fact.get("triangles"), scene.triangleCount());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stlFiles")
    void inspectAgreesExactlyWithTheCheckerFacts(Corpus.Fact fact) {
        Assumptions.assumeTrue(fact.checked(), "no checker facts for " + fact.file());
        try (Scene scene = Formats.read(fact.path())) {
            Map<String, Object> report = Inspector.inspect(scene).toMap();
            assertAll(KEYS.stream().map(key -> () ->
                    assertEquals(fact.get(key), ((Number) report.get(key)).longValue(), key)));
            // The checker calls a file "closed manifold" when it lists no defect at all, and "inverted" when it
            // is closed but its volume is negative.
            boolean clean = (Boolean) report.get("watertight") && (Double) report.get("volume") > 0
                    && KEYS.stream().skip(1).filter(k -> !k.equals("components"))
                    .allMatch(k -> ((Number) report.get(k)).longValue() == 0)
                    && ((Number) report.get("components")).longValue() == 1;
            assertEquals(fact.json().path("closed_manifold").asBoolean(), clean, "closed manifold");
            boolean inverted = (Boolean) report.get("watertight") && (Double) report.get("volume") < 0;
            assertEquals(fact.json().path("inverted").asBoolean(), inverted, "inverted");
        }
    }
}
