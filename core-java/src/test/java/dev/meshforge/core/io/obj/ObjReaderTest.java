// OBJ reading on fixtures the tests write: index forms, polygons, colours, encodings, materials, bad input.
package dev.meshforge.core.io.obj;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.AlphaMode;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Texture;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.VertexAttribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjReaderTest {
    @TempDir
    Path dir;

    private static final String CUBE_V = """
            v 0 0 0
            v 1 0 0
            v 1 1 0
            v 0 1 0
            v 0 0 1
            v 1 0 1
            v 1 1 1
            v 0 1 1
            vt 0 0
            vt 1 0
            vt 1 1
            vt 0 1
            vn 0 0 -1
            vn 0 0 1
            vn 0 -1 0
            vn 1 0 0
            vn 0 1 0
            vn -1 0 0
            """;
    /** The six quads of the cube, outward, as vertex numbers; normal k+1 belongs to quad k. */
    private static final int[][] QUADS = {{1, 4, 3, 2}, {5, 6, 7, 8}, {1, 2, 6, 5}, {2, 3, 7, 6}, {3, 4, 8, 7},
            {4, 1, 5, 8}};

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static Primitive only(Scene s) {
        assertEquals(1, s.roots().size());
        assertEquals(1, s.roots().get(0).mesh().primitives().size());
        return s.roots().get(0).mesh().primitives().get(0);
    }

    private static String cubeFaces(String form) {
        StringBuilder sb = new StringBuilder();
        for (int q = 0; q < QUADS.length; q++) {
            sb.append('f');
            for (int k = 0; k < 4; k++) {
                int v = QUADS[q][k];
                sb.append(' ').append(switch (form) {
                    case "v" -> "" + v;
                    case "v/vt" -> v + "/" + (k + 1);
                    case "v//vn" -> v + "//" + (q + 1);
                    default -> v + "/" + (k + 1) + "/" + (q + 1);
                });
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    @Test
    void aPositionWithManyTextureCoordinatesKeepsEachAndSharesRepeatedCorners() throws Exception {
        // A hub position used with 100 texture coordinates (more than a position's chain holds, so some tuples
        // go to the table's hash), the whole fan written twice: the second copy must reuse every vertex.
        int n = 100;
        StringBuilder obj = new StringBuilder("v 0 0 0\n");
        for (int k = 0; k <= n; k++) {
            double a = 2 * Math.PI * k / (n + 1);
            obj.append("v ").append(Math.cos(a)).append(' ').append(Math.sin(a)).append(" 0\n");
        }
        for (int k = 0; k < n; k++) {
            obj.append("vt ").append(k).append(" 0\n");
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < n; k++) {
                obj.append("f 1/").append(k + 1).append(' ').append(k + 2).append("/1 ").append(k + 3).append("/1\n");
            }
        }
        try (Scene s = Formats.read(write("hub.obj", obj.toString()))) {
            Primitive prim = only(s);
            assertEquals(2 * n, s.triangleCount());
            assertEquals(n + (n + 1), prim.vertexCount());
            VertexAttribute uv = prim.attribute("TEXCOORD_0");
            for (int k = 0; k < n; k++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(prim.index(3L * k + c), prim.index(3L * (n + k) + c), "triangle " + k);
                }
                int hub = prim.index(3L * k);
                assertEquals(k, uv.get(hub, 0), "u of the hub in triangle " + k);
                assertEquals(1f, uv.get(hub, 1));
                assertEquals(0f, prim.positions().get(hub, 0));
            }
        }
    }

    @Test
    void primitivesSharingPositionsNumberTheirVerticesEachInTheirOwnOrder() throws Exception {
        // Material a numbers positions 1, 2, 3 first; b numbers 3, 1, 2 in its own order, then position 1 with a
        // second texture coordinate and position 4, which a then uses after b.
        String obj = "v 0 0 0\nv 1 0 0\nv 0 1 0\nv 1 1 0\nvt 0 0\nvt 1 0\n"
                + "usemtl a\nf 1/1 2/1 3/1\n"
                + "usemtl b\nf 3/1 1/1 2/1\nf 1/2 3/1 4/1\n"
                + "usemtl a\nf 2/1 4/1 1/1\n";
        try (Scene s = Formats.read(write("shared.obj", obj))) {
            List<Primitive> prims = s.roots().get(0).mesh().primitives();
            assertEquals(2, prims.size());
            Primitive a = prims.get(0);
            Primitive b = prims.get(1);
            assertEquals(4, a.vertexCount());
            assertEquals(5, b.vertexCount());
            int[] aIndices = new int[6];
            int[] bIndices = new int[6];
            for (int i = 0; i < 6; i++) {
                aIndices[i] = a.index(i);
                bIndices[i] = b.index(i);
            }
            assertArrayEquals(new int[] {0, 1, 2, 1, 3, 0}, aIndices);
            assertArrayEquals(new int[] {0, 1, 2, 3, 0, 4}, bIndices);
            assertEquals(1f, a.positions().get(3, 0));
            assertEquals(1f, a.positions().get(3, 1));
            assertEquals(0f, b.positions().get(3, 0));
            assertEquals(1f, b.attribute("TEXCOORD_0").get(3, 0), "u of position 1 with its second uv in b");
            assertEquals(0f, b.attribute("TEXCOORD_0").get(1, 0));
        }
    }

    @Test
    void everyIndexFormGivesTheCubeWithTheAttributesItNames() throws Exception {
        for (String form : List.of("v", "v/vt", "v//vn", "v/vt/vn")) {
            Path p = write("cube" + form.replace('/', '_') + ".obj", CUBE_V + cubeFaces(form));
            try (Scene s = Formats.read(p)) {
                Primitive prim = only(s);
                assertEquals(12, s.triangleCount(), form);
                assertEquals(form.contains("vt"), prim.attribute("TEXCOORD_0") != null, form);
                assertEquals(form.contains("vn"), prim.attribute(VertexAttribute.NORMAL) != null, form);
                // De-duplicated by (v, vt, vn) tuple: as many vertices as distinct corner references.
                java.util.Set<String> distinct = new java.util.HashSet<>(List.of(cubeFaces(form)
                        .replace("f ", "").split("\\s+")));
                assertEquals(distinct.size(), prim.vertexCount(), form);
                assertEquals(form.equals("v") ? 8 : form.equals("v/vt") ? 20 : 24, prim.vertexCount(), form);
                assertTrue(s.warnings().isEmpty(), () -> s.warnings().toString());
            }
        }
    }

    @Test
    void negativeIndicesCountBackFromTheLastVertexSoFar() throws Exception {
        Path p = write("neg.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf -3 -2 -1\nv 5 5 5\nv 6 5 5\nv 5 6 5\nf -3 -2 -1\n");
        try (Scene s = Formats.read(p)) {
            Primitive prim = only(s);
            assertEquals(2, s.triangleCount());
            assertEquals(5f, prim.positions().get(prim.index(3), 0));
            assertEquals(0f, prim.positions().get(prim.index(0), 0));
        }
    }

    @Test
    void concaveNgonIsCutInsideThePolygon() throws Exception {
        // A U shape starting at a corner from which a fan would reach outside the polygon.
        Path p = write("u.obj", "v 0 0 0\nv 4 0 0\nv 4 4 0\nv 3 4 0\nv 3 1 0\nv 1 1 0\nv 1 4 0\nv 0 4 0\n"
                + "f 1 2 3 4 5 6 7 8\n");
        try (Scene s = Formats.read(p)) {
            Primitive prim = only(s);
            assertEquals(6, s.triangleCount());
            double area = 0;
            VertexAttribute pos = prim.positions();
            for (int t = 0; t < 6; t++) {
                int a = prim.index(3 * t);
                int b = prim.index(3 * t + 1);
                int c = prim.index(3 * t + 2);
                double cross = (pos.get(b, 0) - pos.get(a, 0)) * (pos.get(c, 1) - pos.get(a, 1))
                        - (pos.get(b, 1) - pos.get(a, 1)) * (pos.get(c, 0) - pos.get(a, 0));
                assertTrue(cross > 0, "triangle " + t + " is flipped or flat: it lies outside the polygon");
                area += cross / 2;
            }
            assertEquals(10.0, area, 1e-9);
        }
    }

    @Test
    void vertexColoursBecomeColor0AndVerticesWithoutThemAreWhite() throws Exception {
        Path p = write("col.obj", "v 0 0 0 1 0 0\nv 1 0 0 0 1 0\nv 0 1 0\nf 1 2 3\n");
        try (Scene s = Formats.read(p)) {
            VertexAttribute c = only(s).attribute("COLOR_0");
            assertNotNull(c);
            assertEquals(3, c.components());
            assertEquals(1f, c.get(0, 0));
            assertEquals(0f, c.get(0, 1));
            assertEquals(1f, c.get(1, 1));
            assertEquals(1f, c.get(2, 2));
        }
    }

    @Test
    void utf16WithByteOrderMarkReadsLikeUtf8() throws Exception {
        String text = "# \u00e9\r\nv 0 0 0\r\nv 1 0 0\r\nv 0 1 0\r\nf 1 2 3\r\n";
        Path le = dir.resolve("le.obj");
        Path be = dir.resolve("be.obj");
        byte[] leBytes = text.getBytes(StandardCharsets.UTF_16LE);
        byte[] beBytes = text.getBytes(StandardCharsets.UTF_16BE);
        Files.write(le, concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, leBytes));
        Files.write(be, concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, beBytes));
        Path bom8 = dir.resolve("bom8.obj");
        Files.write(bom8, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                text.getBytes(StandardCharsets.UTF_8)));
        for (Path p : List.of(le, be, bom8)) {
            try (Scene s = Formats.read(p)) {
                assertEquals(1, s.triangleCount(), p.toString());
                assertEquals(1f, only(s).positions().get(1, 0));
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void backslashAtLineEndContinuesTheFaceAndLineNumbersStayTrue() throws Exception {
        Path p = write("cont.obj", "v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nf 1 2 \\\r\n 3 4\nf 1 2 9");
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertTrue(e.getMessage().contains("line 7"), e.getMessage());
        Files.writeString(p, "v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nf 1 2 \\\r\n 3 4");
        try (Scene s = Formats.read(p)) {
            assertEquals(2, s.triangleCount());
        }
    }

    @Test
    void oddNumberFormsAreReadByTheirPrefixWithOneWarning() throws Exception {
        Path p = write("num.obj", "v 1 2. 3.0\nv +1e2 -2.E1 .5\nv 3.1+e2 1 1\nf 1 2 3\n");
        try (Scene s = Formats.read(p)) {
            VertexAttribute pos = only(s).positions();
            assertEquals(2f, pos.get(0, 1));
            assertEquals(100f, pos.get(1, 0));
            assertEquals(-20f, pos.get(1, 1));
            assertEquals(3.1f, pos.get(2, 0));
            assertEquals(1, s.warnings().size(), s.warnings().toString());
            assertTrue(s.warnings().get(0).contains("line 3"), s.warnings().get(0));
        }
    }

    @Test
    void missingMtlAndUnknownMaterialAreWarningsAndGivePlaceholders() throws Exception {
        Path p = write("nomtl.obj", "mtllib nowhere.mtl\nv 0 0 0\nv 1 0 0\nv 0 1 0\nusemtl red\nf 1 2 3\n");
        try (Scene s = Formats.read(p)) {
            assertEquals(1, s.materials().size());
            assertEquals("red", s.materials().get(0).name());
            assertEquals(0, only(s).material());
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains("nowhere.mtl") && w.contains("not found")),
                    s.warnings().toString());
        }
    }

    @Test
    void badIndicesAndNumbersAreRefusedNamingFileLineAndDefect() throws Exception {
        String v = "v 0 0 0\nv 1 0 0\nv 0 1 0\n";
        Object[][] cases = {{"f 1 2 0\n", "index 0"}, {"f 1 2 4\n", "out of range"}, {"f 1 2 -4\n", "out of range"},
                {"f 1/5 2 3\n", "texture coordinate index 5"}, {"v 1 x 2\n", "'x' is not a number"},
                {"f 1 2 a\n", "not a valid vertex reference"}};
        for (Object[] c : cases) {
            Path p = write("bad.obj", v + c[0]);
            BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p), (String) c[0]);
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("line 4"), e.getMessage());
            assertTrue(e.getMessage().contains((String) c[1]), e.getMessage());
        }
    }

    @Test
    void facesWithFewerThanThreeVerticesAreSkippedWithAWarning() throws Exception {
        Path p = write("short.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2\nf 1 2 3\n");
        try (Scene s = Formats.read(p)) {
            assertEquals(1, s.triangleCount());
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains("fewer than 3") && w.contains("line 4")));
        }
    }

    @Test
    void groupsMaterialsAndTexturesWithOptionsSpacesAndWindowsPaths() throws Exception {
        Files.createDirectories(dir.resolve("mat/tex"));
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 0, 1, 2, 3};
        Files.write(dir.resolve("mat/tex/My Image.PNG"), png);
        Files.writeString(dir.resolve("mat/lib one.mtl"), """
                newmtl Shiny Red \t
                Kd 1 0 0
                Ns 98
                d 0.5
                map_Kd -s 2 2 1 -o 0.25 0 0 -clamp on tex\\my image.png
                newmtl Metal
                Pm 1
                Pr 0.25
                Ke 2 1 0
                norm -bm 0.5 tex/My Image.PNG
                """);
        Path p = write("grp.obj", "mtllib mat/lib one.mtl\nv 0 0 0\nv 1 0 0\nv 0 1 0\nvt 0 0.25\n"
                + "g first\nusemtl Shiny Red\nf 1/1 2/1 3/1\nusemtl Metal\nf 1 3 2\n"
                + "g second\nusemtl Shiny Red\nf 1 2 3\nl 1 2 3\np 1\n");
        try (Scene s = Formats.read(p)) {
            assertEquals(List.of("first", "second"), s.roots().stream().map(n -> n.name()).toList());
            assertEquals(2, s.roots().get(0).mesh().primitives().size());
            assertEquals(3, s.roots().get(1).mesh().primitives().size());
            assertEquals(Topology.LINES, s.roots().get(1).mesh().primitives().get(1).topology());
            assertEquals(2, s.roots().get(1).mesh().primitives().get(1).indexCount() / 2);
            assertEquals(Topology.POINTS, s.roots().get(1).mesh().primitives().get(2).topology());
            assertEquals(2, s.materials().size());
            Material red = s.materials().get(0);
            assertEquals("Shiny Red", red.name());
            assertArrayEquals(new float[] {1, 0, 0, 0.5f}, red.baseColorFactor());
            assertEquals(AlphaMode.BLEND, red.alphaMode());
            assertEquals(0.1414f, red.roughnessFactor(), 1e-3);
            Texture t = s.textures().get(red.baseColorTexture());
            assertEquals("image/png", t.mimeType());
            assertArrayEquals(png, t.bytes());
            assertEquals(33071, t.sampler().wrapS());
            assertEquals(2f, red.slot("baseColorTexture").transform().scaleU());
            assertEquals(0.25f, red.slot("baseColorTexture").transform().offsetU());
            assertEquals(1f - 2f - 0f, red.slot("baseColorTexture").transform().offsetV());
            Material metal = s.materials().get(1);
            assertEquals(1f, metal.metallicFactor());
            assertEquals(0.25f, metal.roughnessFactor());
            assertEquals(red.baseColorTexture(), metal.normalTexture(), "one file, one texture");
            assertEquals(0.5f, metal.slot("normalTexture").scale());
            assertArrayEquals(new float[] {1, 0.5f, 0}, metal.emissiveFactor());
            assertTrue(metal.extensions().containsKey("KHR_materials_emissive_strength"));
            VertexAttribute uv = s.roots().get(0).mesh().primitives().get(0).attribute("TEXCOORD_0");
            assertEquals(0.75f, uv.get(0, 1), "V is flipped to point down");
            assertNull(s.roots().get(0).mesh().primitives().get(1).attribute("TEXCOORD_0"));
            assertTrue(s.warnings().isEmpty(), s.warnings().toString());
        }
    }

    @Test
    void verticesWithoutElementsAreReadAsAPointCloud() throws Exception {
        Path p = write("cloud.obj", "v 0 0 0\nv 1 0 0\n");
        try (Scene s = Formats.read(p)) {
            assertEquals(Topology.POINTS, only(s).topology());
            assertEquals(2, only(s).vertexCount());
            assertEquals(1, s.warnings().size());
        }
    }
}
