// A mesh connected in the scene is connected in the PLY: vertices written alike are shared, unused ones left out.
package dev.meshforge.core.io.ply;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.VertexAttribute;
import dev.meshforge.core.testing.Corpus;
import dev.meshforge.core.testing.Edges;
import dev.meshforge.core.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlyWriterTopologyTest {
    @TempDir
    Path dir;

    @Test
    void aSplitCubeWithOneUvIsWrittenAsTwoClosedCubesWithoutItsHardNormals() throws Exception {
        Path out = dir.resolve("cubes.ply");
        List<String> warnings;
        try (Scene scene = Fixtures.splitCube()) {
            Primitive box = scene.roots().get(0).mesh().primitives().get(0);
            // one UV for every corner: only the flat normals tell the 36 corners of a cube apart
            box.put(new VertexAttribute("TEXCOORD_0", 2, box.vertexCount(), scene.allocateFloats(2 * box.vertexCount())));
            Formats.write(scene, out, Format.PLY, WriteOptions.DEFAULTS);
            warnings = scene.warnings();
        }
        assertTrue(warnings.stream().anyMatch(w -> w.contains("hard edges") && w.contains("16 shared positions")),
                () -> "warnings: " + warnings);
        try (Scene back = Formats.read(out)) {
            Primitive p = back.roots().get(0).mesh().primitives().get(0);
            assertEquals(16, p.vertexCount(), "two cubes of 8 corners, the unused vertex left out");
            assertEquals(24, p.triangleCount());
            assertNull(p.attribute(VertexAttribute.NORMAL));
            Map<Long, Integer> edges = Edges.of(p);
            assertEquals(36, edges.size(), "2 x (12 edges + 6 diagonals)");
            edges.forEach((e, n) -> assertEquals(2, n, "edge " + Long.toHexString(e) + " is shared"));
        }
    }

    @Test
    void theTwentyMillimetreStlBoxIsWrittenAsEightVertices() throws Exception {
        Path out = dir.resolve("box.ply");
        try (Scene scene = Formats.read(Corpus.root().resolve("stl/ascii/20mmbox-CRLF.stl"))) {
            Formats.write(scene, out, Format.PLY, new WriteOptions(true));
        }
        try (Scene back = Formats.read(out)) {
            Primitive p = back.roots().get(0).mesh().primitives().get(0);
            assertEquals(8, p.vertexCount());
            assertEquals(12, p.triangleCount());
            Edges.of(p).forEach((e, n) -> assertEquals(2, n, "edge " + Long.toHexString(e) + " is shared"));
        }
    }
}
