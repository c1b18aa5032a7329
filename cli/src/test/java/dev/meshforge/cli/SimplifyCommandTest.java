// `meshforge simplify` end to end: the three targets, what it prints as JSON, what it writes (re-read), and one
// sentence with exit 1 or 2 for a point cloud, a zero target or a bad error.
package dev.meshforge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimplifyCommandTest {
    @TempDir
    Path dir;

    /** A corpus file, or the test aborted where the corpus is not there (an error on CI). */
    static Path corpus(String file) {
        String root = System.getProperty("meshforge.corpus", System.getenv("MESHFORGE_CORPUS"));
        Path p = root == null ? null : Path.of(root).resolve(file);
        if (p == null || !Files.exists(p)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("the corpus file " + file + " is missing");
            }
            Assumptions.abort("the corpus is not available (-Dmeshforge.corpus)");
        }
        return p;
    }

    private static long triangles(Path file) {
        try (Scene s = Formats.read(file)) {
            return s.triangleCount();
        }
    }

    @Test
    void ratioTrianglesAndErrorEachSimplifyAndTheOutputReadsBack() throws Exception {
        Path duck = corpus("glb/Duck.glb");
        long before = triangles(duck);
        Path half = dir.resolve("half.glb");
        CommandRun r = CommandRun.of("simplify", duck.toString(), half.toString(), "--ratio", "0.5", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(before, json.get("triangles_before").asLong());
        assertEquals(Math.round(before * 0.5), json.get("target_triangles").asLong());
        assertEquals("target", json.get("stop").asText());
        assertEquals(json.get("triangles_after").asLong(), triangles(half));
        assertTrue(triangles(half) <= before / 2);

        Path count = dir.resolve("count.obj");
        CommandRun n = CommandRun.of("simplify", duck.toString(), count.toString(), "--triangles", "1000");
        assertEquals(0, n.code(), n.err());
        long kept = triangles(count);
        assertTrue(kept <= 1000 && kept >= 990, "kept " + kept);

        Path bounded = dir.resolve("bounded.stl");
        CommandRun e = CommandRun.of("simplify", duck.toString(), bounded.toString(), "--error", "0.5%", "--json");
        assertEquals(0, e.code(), e.err());
        JsonNode ej = new ObjectMapper().readTree(e.out());
        assertTrue(ej.get("relative_error").asDouble() <= 0.005, ej.toString());
        assertTrue(triangles(bounded) < before, "fewer triangles within 0.5%");
    }

    @Test
    void aPointCloudIsRefusedInOneSentence() {
        CommandRun r = CommandRun.of("simplify", corpus("ply/points.ply").toString(), dir.resolve("x.ply").toString(),
                "--ratio", "0.5");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("no triangles to simplify"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void zeroTargetsAndBadErrorsAreUsageErrors() {
        String in = corpus("glb/Duck.glb").toString();
        String out = dir.resolve("x.glb").toString();
        CommandRun zero = CommandRun.of("simplify", in, out, "--triangles", "0");
        assertEquals(2, zero.code(), zero.err());
        assertTrue(zero.err().contains("triangle target must be at least 1"), zero.err());
        CommandRun ratio = CommandRun.of("simplify", in, out, "--ratio", "NaN");
        assertEquals(2, ratio.code(), ratio.err());
        CommandRun error = CommandRun.of("simplify", in, out, "--error", "tiny");
        assertEquals(2, error.code(), error.err());
        assertTrue(error.err().contains("--error must be a number"), error.err());
        CommandRun weight = CommandRun.of("simplify", in, out, "--ratio", "0.5", "--uv-weight", "NaN");
        assertEquals(2, weight.code(), weight.err());
        assertTrue(weight.err().contains("weight of TEXCOORD"), weight.err());
        CommandRun none = CommandRun.of("simplify", in, out);
        assertEquals(2, none.code(), none.err());
    }
}
