// glTF node graphs made to overflow the stack or hide a NaN: deep chains, non-finite transforms.
package dev.meshforge.core.io.gltf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GltfHostileInputTest {
    @TempDir
    Path dir;

    static final float[] TRI = {0, 0, 0, 1, 0, 0, 0, 1, 0};

    /** A chain of {@code depth} nodes, each the only child of the one before, the last placing a triangle. */
    static GltfFixture chain(int depth) {
        GltfFixture g = new GltfFixture();
        g.mesh(g.positions(TRI), -1, 4);
        g.root.put("scene", 0);
        g.array("scenes").addObject().putArray("nodes").add(0);
        ArrayNode nodes = g.array("nodes");
        for (int i = 0; i < depth; i++) {
            var n = nodes.addObject();
            n.putArray("translation").add(0.0).add(1.0).add(0.0);
            if (i + 1 < depth) {
                n.putArray("children").add(i + 1);
            } else {
                n.put("mesh", 0);
            }
        }
        return g;
    }

    @Test
    void hierarchyDeeperThanTheLimitIsRefusedWithoutOverflowingTheStack() throws Exception {
        Path p = chain(20_000).writeGltf(dir, "deep");
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> Formats.read(p));
        assertEquals(p + ": its node hierarchy is deeper than 1000 levels (node 'node1000'), the limit "
                + "(ReadOptions.maxNodeDepth)", e.getMessage());
    }

    @Test
    void hierarchyAtTheLimitIsReadAndWritten() throws Exception {
        Path p = chain(1000).writeGltf(dir, "limit");
        try (Scene s = Formats.read(p)) {
            int depth = 0;
            for (Node n = s.roots().get(0); n != null; n = n.children().isEmpty() ? null : n.children().get(0)) {
                depth++;
            }
            assertEquals(1000, depth);
            double[] y = new double[1];
            s.forEachPlacedMesh((m, t) -> y[0] = t.get(1, 3));
            assertEquals(1000.0, y[0], 1e-9);
            Path glb = dir.resolve("limit.glb");
            Formats.write(s, glb, Format.GLB, WriteOptions.DEFAULTS);
            try (Scene back = Formats.read(glb)) {
                assertEquals(1, back.triangleCount());
            }
        }
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> Formats.read(p, ReadOptions.DEFAULTS.withMaxNodeDepth(999)));
        assertEquals(p + ": its node hierarchy is deeper than 999 levels (node 'node999'), the limit "
                + "(ReadOptions.maxNodeDepth)", e.getMessage());
    }

    @Test
    void nonFiniteTranslationIsRefused() throws Exception {
        GltfFixture g = chain(2);
        Path p = g.writeGltf(dir, "inf");
        // JSON has no NaN; 1e999 is a number token that overflows to infinity.
        Files.writeString(p, GltfFixture.MAPPER.writeValueAsString(g.root)
                .replaceFirst("\"translation\":\\[0\\.0,1\\.0", "\"translation\":[1e999,1.0"));
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertEquals(p + ": node 'node0': its transform holds a NaN or infinite value", e.getMessage());
    }

    @Test
    void accessorWithoutDataIsHeldToTheDecodedLimit() throws Exception {
        GltfFixture g = chain(1);
        // A sparse accessor without a buffer view is zeros: 500 million VEC3 from a file of a few hundred bytes.
        int indices = g.view(GltfFixture.ints(0), 0);
        int values = g.view(GltfFixture.floats(1, 2, 3), 0);
        g.array("accessors").addObject().put("componentType", 5126).put("count", 500_000_000).put("type", "VEC3")
                .putObject("sparse").put("count", 1).<com.fasterxml.jackson.databind.node.ObjectNode>set("indices",
                        GltfFixture.MAPPER.createObjectNode().put("bufferView", indices).put("componentType", 5125))
                .set("values", GltfFixture.MAPPER.createObjectNode().put("bufferView", values));
        g.root.get("meshes").get(0).get("primitives").get(0).withObject("attributes").put("POSITION", 1);
        Path p = g.writeGltf(dir, "zeros");
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> Formats.read(p));
        assertEquals(p + ": accessors[1] (no bufferView: 500000000 zero elements) would make 6000000000 bytes, more "
                + "than 4294967296 bytes, the limit (ReadOptions.maxDecodedBytes)", e.getMessage());
    }

    @Test
    void deeplyNestedJsonIsRefusedWithoutOverflowingTheStack() throws Exception {
        Path p = dir.resolve("nested.gltf");
        Files.writeString(p, "{\"asset\":{\"version\":\"2.0\"},\"extras\":" + "[".repeat(200_000)
                + "]".repeat(200_000) + "}");
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertTrue(e.getMessage().startsWith(p + ": the glTF JSON nests arrays and objects deeper than 1000 levels"),
                e.getMessage());
    }
}
