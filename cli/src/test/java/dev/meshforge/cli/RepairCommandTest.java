// `meshforge repair` end to end: what it prints (human and JSON), what it writes (re-read and inspected),
// exit codes and one-line errors for input it cannot repair.
package dev.meshforge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshforge.core.ops.Inspect;
import dev.meshforge.core.inspect.MeshReport;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepairCommandTest {
    @TempDir
    Path dir;

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    /** The unit right tetrahedron (0,0,0), (1,0,0), (0,1,0), (0,0,1) as an OBJ, outward, with `faces` of its faces. */
    private Path tetrahedron(String name, int faces) throws IOException {
        String[] all = {"f 1 3 2", "f 1 2 4", "f 1 4 3", "f 2 3 4"};
        StringBuilder sb = new StringBuilder("v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\n");
        for (int f = 0; f < faces; ++f) {
            sb.append(all[f]).append('\n');
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sb);
        return p;
    }

    private static MeshReport inspect(Path file) {
        try (Scene scene = Formats.read(file)) {
            return Inspect.report(scene);
        }
    }

    /** `repair IN OUT --json`, which must succeed: its JSON. */
    private static JsonNode repairJson(Path in, Path out) throws IOException {
        CommandRun r = run("repair", in.toString(), out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void anOpenTetrahedronIsClosedInPlaceAndTheJsonSaysSo() throws Exception {
        Path in = tetrahedron("open tetra.obj", 3);
        Path out = dir.resolve("closed.stl");
        JsonNode json = repairJson(in, out);
        assertEquals("topological", json.get("stage").asText());
        assertEquals(3, json.get("triangles_in").asLong());
        assertEquals(4, json.get("triangles_out").asLong());
        assertEquals(1, json.get("holes_filled").asLong());
        assertEquals(1, json.get("hole_triangles").asLong());
        assertEquals(1, json.get("before").get("holes").asLong());
        assertTrue(json.get("after").get("watertight").asBoolean());
        // The patch is the missing face itself. Its farthest point from the three given faces is its centroid
        // (1/3, 1/3, 1/3), a third from each: 1 / (3 sqrt 3) of the diagonal sqrt 3, which the sampled figure
        // approaches from below. Nothing is off the input and the patch, and all of the input is kept.
        double centroid = 1 / (3 * Math.sqrt(3));
        double outIn = json.get("hausdorff_out_in").asDouble();
        assertTrue(outIn <= centroid + 1e-6 && outIn > 0.9 * centroid, json.toString());
        assertEquals(0.0, json.get("hausdorff_in_out").asDouble(), 1e-9);
        assertEquals(0.0, json.get("hausdorff_out_in_patched").asDouble(), 1e-9);
        assertEquals(0.0, json.get("lost").asDouble(), 1e-9);
        assertEquals(0.0, json.get("lost_area").asDouble(), 1e-9);

        // What was written, read back: the closed tetrahedron, volume 1/6.
        MeshReport written = inspect(out);
        assertTrue(written.watertight());
        assertEquals(4, written.triangles());
        assertEquals(0, written.openEdges());
        assertEquals(0, written.inconsistentOrientationEdges());
        assertEquals(1.0 / 6, written.volume(), 1e-6);
    }

    @Test
    void humanOutputSaysWhatWasFoundDoneAndHowFarItMoved() throws Exception {
        Path in = tetrahedron("open.obj", 3);
        CommandRun r = run("repair", in.toString(), dir.resolve("closed.obj").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("found: 3 triangles, 1 holes"), r.out());
        assertTrue(r.out().contains("1 holes filled (1 triangles)"), r.out());
        assertTrue(r.out().contains("hausdorff: output->input") && r.out().contains("off the input and its hole patches"),
                r.out());
        assertTrue(r.out().contains("result: 4 triangles, 1 parts, watertight yes"), r.out());
    }

    @Test
    void aClosedTetrahedronComesBackUnchanged() throws Exception {
        Path in = tetrahedron("closed.obj", 4);
        Path out = dir.resolve("same.obj");
        JsonNode json = repairJson(in, out);
        assertEquals("unchanged", json.get("stage").asText());
        MeshReport before = inspect(in), after = inspect(out);
        assertEquals(before.toMap().toString(), after.toMap().toString());
    }

    @Test
    void aPointCloudExitsOneWithOneLineNamingTheFile() throws IOException {
        Path p = dir.resolve("cloud.ply");
        Files.writeString(p, """
                ply
                format ascii 1.0
                element vertex 4
                property float x
                property float y
                property float z
                end_header
                0 0 0
                1 0 0
                0 1 0
                0 0 1
                """);
        CommandRun r = run("repair", p.toString(), dir.resolve("out.stl").toString());
        assertEquals(1, r.code(), r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("cloud.ply"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(dir.resolve("out.stl")));
    }

    @Test
    void aTriangleWithoutAreaExitsOneWithTheKernelsReasonAndTheFile() throws IOException {
        Path p = dir.resolve("dot.obj");
        Files.writeString(p, "v 1 2 3\nv 1 2 3\nv 1 2 3\nf 1 2 3\n");
        CommandRun r = run("repair", p.toString(), dir.resolve("out.stl").toString());
        assertEquals(1, r.code(), r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("dot.obj") && r.err().contains("all its vertices coincide"), r.err());
    }

    @Test
    void aMissingFileExitsOneAndAnUnknownQualityIsAUsageError() throws IOException {
        CommandRun missing = run("repair", dir.resolve("nope.obj").toString(), dir.resolve("out.stl").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nope.obj"), missing.err());
        Path in = tetrahedron("open.obj", 3);
        assertEquals(2, run("repair", in.toString(), dir.resolve("out.stl").toString(), "--quality", "ultra").code());
    }
}
