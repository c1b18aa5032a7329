// A mesh connected in the scene is connected in the PLY: vertices written alike are shared, unused ones left out.
package dev.meshforge.core.io.ply;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.VertexAttribute;
import dev.meshforge.core.testing.Blender;
import dev.meshforge.core.testing.Corpus;
import dev.meshforge.core.testing.Edges;
import dev.meshforge.core.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /**
     * Blender's cube (24 vertices, a UV island a face) is written with its 8 positions shared and each face's
     * corner UVs in a texcoord list: the reader reads it back corner for corner, Blender closed. (assimp reads
     * the texcoord lists but keeps one UV a vertex, so it is no judge of seams.)
     */
    @Test
    void uvSeamsAreWrittenPerCornerSoTheCubeKeepsEightSharedPositions() throws Exception {
        Path source = Corpus.root().resolve("ply/cube_uv.ply");
        Path out = dir.resolve("cube.ply");
        Path ascii = dir.resolve("cube-ascii.ply");
        List<float[]> expected = new ArrayList<>();
        List<String> warnings;
        try (Scene scene = Formats.read(source)) {
            Primitive p = scene.roots().get(0).mesh().primitives().get(0);
            VertexAttribute uv = p.attribute("TEXCOORD_0");
            for (long i = 0; i < p.indexCount(); i++) {
                int v = p.index(i);
                expected.add(new float[] {p.positions().get(v, 0), p.positions().get(v, 1), p.positions().get(v, 2),
                        uv.get(v, 0), uv.get(v, 1)});
            }
            Formats.write(scene, out, Format.PLY, WriteOptions.DEFAULTS);
            Formats.write(scene, ascii, Format.PLY, new WriteOptions(true));
            warnings = scene.warnings();
        }
        assertTrue(warnings.stream().anyMatch(w -> w.contains("8 vertices lie on texture seams")),
                () -> "warnings: " + warnings);
        String header = Files.readString(ascii).substring(0, Files.readString(ascii).indexOf("end_header"));
        assertTrue(header.contains("element vertex 8\n") && header.contains("property list uchar float texcoord\n"),
                header);
        for (Path file : List.of(out, ascii)) {
            try (Scene back = Formats.read(file)) {
                Primitive q = back.roots().get(0).mesh().primitives().get(0);
                VertexAttribute uv = q.attribute("TEXCOORD_0");
                assertEquals(expected.size(), q.indexCount());
                for (int i = 0; i < expected.size(); i++) {
                    int v = q.index(i);
                    float[] e = expected.get(i);
                    float[] got = {q.positions().get(v, 0), q.positions().get(v, 1), q.positions().get(v, 2),
                            uv.get(v, 0), uv.get(v, 1)};
                    for (int c = 0; c < 5; c++) {
                        assertEquals(e[c], got[c], 1e-6, file.getFileName() + " corner " + i + " value " + c);
                    }
                }
            }
        }
        // Blender 3.4 reads vertex s t only, but sees the cube whole: 8 vertices, every edge shared
        Blender.executable();
        JsonNode seen = Blender.describe(dir, List.of(out), 120).get(out.toString());
        assertEquals(8, seen.path("vertices").asInt(), seen::toString);
        assertEquals(0, seen.path("open_edges").asInt(), seen::toString);
        assertEquals(12, seen.path("triangles").asInt(), seen::toString);
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
