// `meshforge inspect` end to end: JSON keys, values, exit codes and one-line errors.
package dev.meshforge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectCommandTest {
    @TempDir
    Path dir;

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    /** An ASCII STL of a tetrahedron with one face missing: 3 faces, one hole of 3 edges. */
    private Path openTetrahedron() throws IOException {
        String text = """
                solid t
                facet normal 0 0 0
                outer loop
                vertex 0 0 0
                vertex 0 1 0
                vertex 1 0 0
                endloop
                endfacet
                facet normal 0 0 0
                outer loop
                vertex 0 0 0
                vertex 1 0 0
                vertex 0 0 1
                endloop
                endfacet
                facet normal 0 0 0
                outer loop
                vertex 0 0 0
                vertex 0 0 1
                vertex 0 1 0
                endloop
                endfacet
                endsolid t
                """;
        Path p = dir.resolve("open tetra.stl");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void jsonHasExactlyTheDocumentedKeysAndTheRightValues() throws Exception {
        CommandRun r = run("inspect", openTetrahedron().toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("vertices", "triangles", "holes", "open_edges", "non_manifold_edges",
                "inconsistent_orientation_edges", "degenerate_faces", "duplicate_faces", "components",
                "intersecting_pairs", "watertight", "volume", "area", "bbox", "warnings", "seconds", "stage_seconds"),
                keys);
        assertEquals(4, json.get("vertices").asLong());
        assertEquals(3, json.get("triangles").asLong());
        assertEquals(1, json.get("holes").asLong());
        assertEquals(3, json.get("open_edges").asLong());
        assertFalse(json.get("watertight").asBoolean());
        assertEquals(1.5, json.get("area").asDouble(), 1e-12);
        assertEquals(1.0, json.get("bbox").get("max").get(2).asDouble());
    }

    @Test
    void humanOutputNamesEveryMeasure() throws Exception {
        CommandRun r = run("inspect", openTetrahedron().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("open edges") && r.out().contains("watertight"), r.out());
    }

    @Test
    void missingFileExitsOneWithOneLineNamingIt() {
        CommandRun r = run("inspect", dir.resolve("nope.stl").toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("nope.stl") && r.err().contains("no such file"), r.err());
    }

    @Test
    void malformedFileExitsOneWithoutAStackTrace() throws IOException {
        Path p = dir.resolve("bad.stl");
        Files.writeString(p, "solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 oops\n");
        CommandRun r = run("inspect", p.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bad.stl") && r.err().contains("line 4"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertEquals(2, run("inspect", "--frobnicate").code());
    }
}
