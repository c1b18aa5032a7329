// PLY reading on files the tests write: every type and encoding, attributes, polygons, and each malformation.
package dev.meshforge.core.io.ply;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.MeshforgeException;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.VertexAttribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.meshforge.core.io.ply.PlyBytes.CUBE_QUADS;
import static dev.meshforge.core.io.ply.PlyBytes.CUBE_VERTICES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlyReaderTest {
    private static final String[] TYPES = {"char", "uchar", "short", "ushort", "int", "uint", "float", "double"};
    private static final String[] SIZED = {"int8", "uint8", "int16", "uint16", "int32", "uint32", "float32",
            "float64"};
    private static final String[] INTEGER_TYPES = {"char", "uchar", "short", "ushort", "int", "uint"};

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static Primitive only(Scene s) {
        return s.roots().get(0).mesh().primitives().get(0);
    }

    private BadInputException refused(String name, String text) throws IOException {
        return refused(name, text.getBytes(StandardCharsets.US_ASCII));
    }

    private BadInputException refused(String name, byte[] bytes) throws IOException {
        Path p = write(name, bytes);
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p).close());
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), "names the file: " + e.getMessage());
        return e;
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        }
    }

    /** The cube as ASCII PLY with quads, with the given line ending and position type names. */
    private static String cubeAscii(String eol, String positionType) {
        StringBuilder sb = new StringBuilder();
        sb.append("ply").append(eol).append("format ascii 1.0").append(eol).append("comment a test cube").append(eol)
                .append("element vertex 8").append(eol);
        for (String axis : new String[] {"x", "y", "z"}) {
            sb.append("property ").append(positionType).append(' ').append(axis).append(eol);
        }
        sb.append("element face 6").append(eol).append("property list uchar int vertex_indices").append(eol)
                .append("end_header").append(eol);
        for (float[] v : CUBE_VERTICES) {
            sb.append((int) v[0]).append(' ').append((int) v[1]).append(' ').append((int) v[2]).append(eol);
        }
        for (int[] q : CUBE_QUADS) {
            sb.append(4);
            for (int i : q) {
                sb.append(' ').append(i);
            }
            sb.append(eol);
        }
        return sb.toString();
    }

    private static byte[] cubeBinary(ByteOrder order, String positionType, String countType, String indexType) {
        String format = order == ByteOrder.LITTLE_ENDIAN ? "binary_little_endian" : "binary_big_endian";
        String header = "ply\nformat " + format + " 1.0\nelement vertex 8\nproperty " + positionType
                + " x\nproperty " + positionType + " y\nproperty " + positionType + " z\nelement face 6\n"
                + "property list " + countType + " " + indexType + " vertex_indices\nend_header\n";
        PlyBytes body = new PlyBytes(order);
        for (float[] v : CUBE_VERTICES) {
            body.put(positionType, v[0]).put(positionType, v[1]).put(positionType, v[2]);
        }
        for (int[] q : CUBE_QUADS) {
            body.put(countType, 4);
            for (int i : q) {
                body.put(indexType, i);
            }
        }
        return body.after(header);
    }

    /**
     * The scene is the unit cube: exact corners, 12 triangles, every edge used once in each direction (closed and
     * consistently wound) and volume +1 (outward).
     */
    private static void assertUnitCube(Scene s) {
        Primitive p = only(s);
        assertEquals(Topology.TRIANGLES, p.topology());
        assertEquals(12, p.triangleCount());
        assertEquals(8, p.vertexCount());
        for (int v = 0; v < 8; v++) {
            for (int a = 0; a < 3; a++) {
                assertEquals(CUBE_VERTICES[v][a], p.positions().get(v, a), "vertex " + v + " axis " + a);
            }
        }
        Map<Long, Integer> edges = new HashMap<>();
        double volume = 0;
        for (long t = 0; t < 12; t++) {
            int[] c = {p.index(t * 3), p.index(t * 3 + 1), p.index(t * 3 + 2)};
            for (int k = 0; k < 3; k++) {
                edges.merge(c[k] * 16L + c[(k + 1) % 3], 1, Integer::sum);
            }
            float[] a = CUBE_VERTICES[c[0]], b = CUBE_VERTICES[c[1]], d = CUBE_VERTICES[c[2]];
            volume += (a[0] * (b[1] * d[2] - b[2] * d[1]) - a[1] * (b[0] * d[2] - b[2] * d[0])
                    + a[2] * (b[0] * d[1] - b[1] * d[0])) / 6.0;
        }
        for (Map.Entry<Long, Integer> e : edges.entrySet()) {
            long from = e.getKey() / 16, to = e.getKey() % 16;
            assertEquals(1, e.getValue(), "edge " + from + "-" + to + " once");
            assertEquals(1, edges.getOrDefault(to * 16 + from, 0), "edge " + to + "-" + from + " once");
        }
        assertEquals(1.0, volume, 1e-12);
    }

    @Test
    void everyScalarTypeAndListTypeReadsInBothByteOrders() throws IOException {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            for (int t = 0; t < TYPES.length; t++) {
                String position = t % 2 == 0 ? TYPES[t] : SIZED[t];
                for (String count : INTEGER_TYPES) {
                    for (String index : INTEGER_TYPES) {
                        Path p = write("types.ply", cubeBinary(order, position, count, index));
                        try (Scene s = Formats.read(p)) {
                            assertUnitCube(s);
                            assertTrue(s.warnings().isEmpty(), s.warnings().toString());
                        } catch (AssertionError | RuntimeException e) {
                            throw new AssertionError(order + " " + position + " list " + count + " " + index, e);
                        }
                    }
                }
            }
        }
    }

    @Test
    void asciiReadsEveryTypeName() throws IOException {
        for (int t = 0; t < TYPES.length; t++) {
            for (String name : new String[] {TYPES[t], SIZED[t]}) {
                try (Scene s = Formats.read(write("ascii.ply", cubeAscii("\n", name)))) {
                    assertUnitCube(s);
                }
            }
        }
    }

    @Test
    void negativeAndFractionalValuesKeepTheirSignAndPrecision() throws IOException {
        String header = "ply\nformat binary_big_endian 1.0\nelement vertex 1\nproperty char x\nproperty short y\n"
                + "property double z\nend_header\n";
        byte[] bytes = new PlyBytes(ByteOrder.BIG_ENDIAN).put("char", -7).put("short", -30000).put("double", 0.1)
                .after(header);
        try (Scene s = Formats.read(write("signed.ply", bytes))) {
            VertexAttribute pos = only(s).positions();
            assertEquals(-7f, pos.get(0, 0));
            assertEquals(-30000f, pos.get(0, 1));
            assertEquals(0.1f, pos.get(0, 2));
        }
    }

    @Test
    void crlfAndLoneCrHeadersReadLikeLf() throws IOException {
        for (String eol : new String[] {"\r\n", "\r"}) {
            try (Scene s = Formats.read(write("eol.ply", cubeAscii(eol, "float")))) {
                assertUnitCube(s);
            }
        }
        String binary = new String(cubeBinary(ByteOrder.LITTLE_ENDIAN, "float", "uchar", "int"),
                StandardCharsets.ISO_8859_1);
        int end = binary.indexOf("end_header\n") + "end_header\n".length();
        String crlf = binary.substring(0, end).replace("\n", "\r\n") + binary.substring(end);
        try (Scene s = Formats.read(write("crlf.ply", crlf.getBytes(StandardCharsets.ISO_8859_1)))) {
            assertUnitCube(s);
        }
    }

    @Test
    void binaryBodyWhoseFirstByteIsALineFeedIsReadFromThatByte() throws IOException {
        float first = Float.intBitsToFloat(0x3F80000A); // little endian: 0A 00 80 3F
        String header = "ply\nformat binary_little_endian 1.0\nelement vertex 1\nproperty float x\nproperty float y\n"
                + "property float z\nend_header\n";
        byte[] bytes = new PlyBytes(ByteOrder.LITTLE_ENDIAN).put("float", first).put("float", 2).put("float", 3)
                .after(header);
        assertEquals(0x0A, bytes[header.length()]);
        try (Scene s = Formats.read(write("nl.ply", bytes))) {
            VertexAttribute pos = only(s).positions();
            assertEquals(first, pos.get(0, 0));
            assertEquals(2f, pos.get(0, 1));
            assertEquals(3f, pos.get(0, 2));
        }
    }

    @Test
    void elementsAndPropertiesInAnyOrderWithUnknownOnesSkipped() throws IOException {
        String header = "ply\nformat binary_little_endian 1.0\ncomment faces come first\nobj_info made by hand\n"
                + "element face 6\nproperty uchar flags\nproperty list ushort uint vertex_index\n"
                + "property float quality\n"
                + "element edge 2\nproperty int vertex1\nproperty int vertex2\n"
                + "element vertex 8\nproperty double confidence\nproperty float z\nproperty list uchar float extra\n"
                + "property float y\nproperty float x\nend_header\n";
        PlyBytes body = new PlyBytes(ByteOrder.LITTLE_ENDIAN);
        for (int[] q : CUBE_QUADS) {
            body.put("uchar", 0xAB).put("ushort", 4);
            for (int i : q) {
                body.put("uint", i);
            }
            body.put("float", 0.5);
        }
        body.put("int", 0).put("int", 1).put("int", 1).put("int", 2);
        for (float[] v : CUBE_VERTICES) {
            body.put("double", 0.25).put("float", v[2]).put("uchar", 2).put("float", 9).put("float", 9)
                    .put("float", v[1]).put("float", v[0]);
        }
        try (Scene s = Formats.read(write("order.ply", body.after(header)))) {
            assertUnitCube(s);
            String warnings = s.warnings().toString();
            assertTrue(warnings.contains("element 'edge' (2 records) is not supported; skipped"), warnings);
            assertTrue(warnings.contains("vertex properties confidence, extra"), warnings);
            assertTrue(warnings.contains("face properties flags, quality"), warnings);
        }
    }

    @Test
    void ucharColorsAreDividedBy255AndFloatColorsKeptWithAlphaDefaultingToOne() throws IOException {
        String header = "ply\nformat binary_big_endian 1.0\nelement vertex 2\nproperty float x\nproperty float y\n"
                + "property float z\nproperty uchar red\nproperty uchar green\nproperty uchar blue\n"
                + "property uchar alpha\n"
                + "end_header\n";
        byte[] bytes = new PlyBytes(ByteOrder.BIG_ENDIAN)
                .put("float", 0).put("float", 0).put("float", 0).put("uchar", 255).put("uchar", 0).put("uchar", 51)
                .put("uchar", 128)
                .put("float", 1).put("float", 0).put("float", 0).put("uchar", 1).put("uchar", 254).put("uchar", 255)
                .put("uchar", 0).after(header);
        try (Scene s = Formats.read(write("uchar-color.ply", bytes))) {
            VertexAttribute c = only(s).attribute("COLOR_0");
            assertEquals(4, c.components());
            float[] expected = {1f, 0f, 0.2f, 128 / 255f, 1 / 255f, 254 / 255f, 1f, 0f};
            for (int i = 0; i < 8; i++) {
                assertEquals(expected[i], c.get(i / 4, i % 4), 1e-7, "component " + i);
            }
        }
        String ascii = "ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\n"
                + "property float red\nproperty float green\nproperty float blue\nend_header\n"
                + "0 0 0 0.25 0.5 1\n1 1 1 0 1.0 0.125\n";
        try (Scene s = Formats.read(write("float-color.ply", ascii))) {
            VertexAttribute c = only(s).attribute("COLOR_0");
            float[] expected = {0.25f, 0.5f, 1f, 1f, 0f, 1f, 0.125f, 1f};
            for (int i = 0; i < 8; i++) {
                assertEquals(expected[i], c.get(i / 4, i % 4), "component " + i);
            }
            assertEquals(Topology.POINTS, only(s).topology());
        }
    }

    @Test
    void ushortColorsAreDividedBy65535() throws IOException {
        String ascii = "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\n"
                + "property ushort diffuse_red\nproperty ushort diffuse_green\nproperty ushort diffuse_blue\n"
                + "end_header\n"
                + "0 0 0 65535 0 13107\n";
        try (Scene s = Formats.read(write("ushort-color.ply", ascii))) {
            VertexAttribute c = only(s).attribute("COLOR_0");
            assertEquals(1f, c.get(0, 0));
            assertEquals(0f, c.get(0, 1));
            assertEquals(0.2f, c.get(0, 2), 1e-7);
            assertEquals(1f, c.get(0, 3));
        }
    }

    @Test
    void textureCoordinatesUnderEveryCommonNameBecomeTexcoord0WithVFlipped() throws IOException {
        for (String[] names : new String[][] {{"s", "t"}, {"u", "v"}, {"texture_u", "texture_v"},
                {"texture_s", "texture_t"}}) {
            String ascii = "ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\n"
                    + "property float z\nproperty float " + names[0] + "\nproperty float " + names[1] + "\nend_header\n"
                    + "0 0 0 0.25 0.125\n1 0 0 1 0\n";
            try (Scene s = Formats.read(write("uv.ply", ascii))) {
                VertexAttribute uv = only(s).attribute("TEXCOORD_0");
                assertNotNull(uv, names[0]);
                assertEquals(0.25f, uv.get(0, 0), names[0]);
                assertEquals(0.875f, uv.get(0, 1), names[1]);
                assertEquals(1f, uv.get(1, 0));
                assertEquals(1f, uv.get(1, 1));
            }
        }
    }

    @Test
    void faceTexcoordListsGiveEachCornerItsUvSplittingOnlyVerticesWhoseCornersDisagree() throws IOException {
        // two triangles over a square, sharing the diagonal 0-2; vertex 2's corners disagree, vertex 0's agree
        String square = String.join("\n", "ply", "format ascii 1.0", "element vertex 4", "property float x",
                "property float y", "property float z", "element face 3", "property list uchar float texcoord",
                "property list uchar int vertex_indices", "end_header", "0 0 0", "1 0 0", "1 1 0", "0 1 0",
                "6 0 0 1 0 1 1 3 0 1 2", "6 0 0 0.5 0.5 0 1 3 0 2 3", "4 0 0 1 0 2 0 1", "");
        try (Scene s = Formats.read(write("wedges.ply", square))) {
            Primitive p = only(s);
            assertEquals(5, p.vertexCount(), "vertex 2 twice, once per UV");
            assertEquals(2, p.triangleCount());
            VertexAttribute uv = p.attribute("TEXCOORD_0");
            float[][] expected = {{0, 1}, {1, 1}, {1, 0}, {0, 1}, {0.5f, 0.5f}, {0, 0}};
            for (int i = 0; i < 6; i++) {
                assertEquals(expected[i][0], uv.get(p.index(i), 0), "corner " + i + " u");
                assertEquals(expected[i][1], uv.get(p.index(i), 1), "corner " + i + " v flipped");
            }
            assertEquals(p.index(0), p.index(3), "vertex 0's corners agree and share one vertex");
            assertEquals(1f, p.positions().get(p.index(4), 1), "the copy keeps vertex 2's position");
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains("fewer than 3 corners")), s.warnings()::toString);
        }
        String wrong = square.replace("6 0 0 0.5 0.5 0 1", "4 0 0 0.5 0.5");
        try (Scene s = Formats.read(write("wrong.ply", wrong))) {
            assertNull(only(s).attribute("TEXCOORD_0"));
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains("face 1 has 4 texcoord values for its 3 corners")),
                    s.warnings()::toString);
        }
    }

    @Test
    void normalsAreRead() throws IOException {
        String ascii = "ply\nformat ascii 1.0\nelement vertex 1\nproperty float nx\nproperty float ny\n"
                + "property float nz\n"
                + "property float x\nproperty float y\nproperty float z\nend_header\n0 -1 0 5 6 7\n";
        try (Scene s = Formats.read(write("normals.ply", ascii))) {
            VertexAttribute n = only(s).attribute(VertexAttribute.NORMAL);
            assertEquals(-1f, n.get(0, 1));
            assertEquals(0f, n.get(0, 0));
            assertEquals(7f, only(s).positions().get(0, 2));
            assertNull(only(s).attribute("COLOR_0"));
        }
    }

    @Test
    void incompleteAttributeGroupIsIgnoredWithAWarning() throws IOException {
        String ascii = "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\n"
                + "property uchar red\nproperty uchar green\nend_header\n0 0 0 1 2\n";
        try (Scene s = Formats.read(write("partial.ply", ascii))) {
            assertNull(only(s).attribute("COLOR_0"));
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains("red, green, blue")), s.warnings().toString());
        }
    }

    @Test
    void concavePolygonIsTriangulatedWithoutAnyTriangleOutsideIt() throws IOException {
        // An L in the plane z = x (tilted): a fan from corner 0 would cover the missing square of the L.
        double[][] l = {{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}};
        StringBuilder sb = new StringBuilder("ply\nformat ascii 1.0\nelement vertex 6\nproperty float x\n"
                + "property float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\n"
                + "end_header\n");
        for (double[] c : l) {
            sb.append(c[0]).append(' ').append(c[1]).append(' ').append(c[0]).append('\n');
        }
        sb.append("6 3 4 5 0 1 2\n"); // starts at the reflex corner on purpose
        try (Scene s = Formats.read(write("concave.ply", sb.toString()))) {
            Primitive p = only(s);
            assertEquals(4, p.triangleCount());
            double area = 0;
            for (long t = 0; t < 4; t++) {
                double[] a = l[p.index(t * 3)], b = l[p.index(t * 3 + 1)], c = l[p.index(t * 3 + 2)];
                double twice = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
                assertTrue(twice > 0, "triangle " + t + " keeps the polygon's winding");
                double cx = (a[0] + b[0] + c[0]) / 3, cy = (a[1] + b[1] + c[1]) / 3;
                assertTrue(!(cx > 1 && cy > 1), "triangle " + t + " lies in the L, not in its missing square");
                area += twice / 2;
            }
            assertEquals(3.0, area, 1e-12);
            assertTrue(s.warnings().isEmpty(), s.warnings().toString());
        }
    }

    @Test
    void pointCloudWithoutFacesBecomesAPointsPrimitive() throws IOException {
        String ascii = "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\n"
                + "end_header\n0 0 0\n1 2 3\n-4 5.5 6e2\n";
        try (Scene s = Formats.read(write("points.ply", ascii))) {
            Primitive p = only(s);
            assertEquals(Topology.POINTS, p.topology());
            assertEquals(3, p.vertexCount());
            assertEquals(600f, p.positions().get(2, 2));
            assertEquals(0, s.triangleCount());
        }
        String noFaceRecords = "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\n"
                + "property float z\nelement face 0\nproperty list uchar int vertex_indices\nend_header\n1 2 3\n";
        try (Scene s = Formats.read(write("zero-faces.ply", noFaceRecords))) {
            assertEquals(Topology.POINTS, only(s).topology());
        }
    }

    @Test
    void binaryTrianglesAndPolygonsMixedKeepEveryFaceInOrder() throws IOException {
        for (String countType : new String[] {"uchar", "char", "ushort"}) {
            String header = "ply\nformat binary_little_endian 1.0\nelement vertex 5\nproperty float x\n"
                    + "property float y\nproperty float z\nelement face 4\nproperty list " + countType
                    + " uint vertex_indices\nend_header\n";
            PlyBytes body = new PlyBytes(ByteOrder.LITTLE_ENDIAN);
            float[][] square = {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0}, {2, 0, 0}};
            for (float[] v : square) {
                body.put("float", v[0]).put("float", v[1]).put("float", v[2]);
            }
            int[][] faces = {{0, 1, 2}, {4, 2, 1}, {0, 1, 2, 3}, {3, 2, 4}};
            for (int[] f : faces) {
                body.put(countType, f.length);
                for (int i : f) {
                    body.put("uint", i);
                }
            }
            try (Scene s = Formats.read(write("mixed.ply", body.after(header)))) {
                Primitive p = only(s);
                int[] expected = {0, 1, 2, 4, 2, 1, 0, 1, 2, 0, 2, 3, 3, 2, 4};
                assertEquals(5, p.triangleCount(), countType);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], p.index(i), countType + " index " + i);
                }
            }
            byte[] bad = body.after(header);
            bad[bad.length - 4] = 5; // the last triangle's last corner
            assertMentions(refused("mixed-bad.ply", bad), "byte " + (bad.length - 4), "face 3 refers to vertex 5");
        }
    }

    @Test
    void largeFloatVerticesAndTriangleRunsWithAQuadAmongThemReadInBothByteOrders() throws IOException {
        int vertices = 5000; // more than one block of records
        int triangles = 9000;
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            String header = "ply\nformat binary_" + (order == ByteOrder.LITTLE_ENDIAN ? "little" : "big")
                    + "_endian 1.0\nelement vertex " + vertices + "\nproperty float x\nproperty float y\n"
                    + "property float z\nproperty float nx\nproperty float ny\nproperty float nz\n"
                    + "property float s\nproperty float t\nelement face " + (triangles + 1)
                    + "\nproperty list uchar int vertex_indices\nend_header\n";
            PlyBytes body = new PlyBytes(order);
            for (int v = 0; v < vertices; v++) {
                body.put("float", v).put("float", -v).put("float", 0.5f * v).put("float", 0).put("float", 0)
                        .put("float", 1).put("float", v / 8192f).put("float", 0.25f);
            }
            for (int t = 0; t < triangles; t++) {
                if (t == 7000) {
                    body.put("uchar", 4).put("int", 0).put("int", 1).put("int", 2).put("int", 3);
                }
                body.put("uchar", 3).put("int", t % vertices).put("int", (t + 1) % vertices)
                        .put("int", (t + 2) % vertices);
            }
            try (Scene s = Formats.read(write("large.ply", body.after(header)))) {
                Primitive p = only(s);
                assertEquals(vertices, p.vertexCount(), order.toString());
                assertEquals(triangles + 2, p.triangleCount(), order.toString());
                for (int v = 0; v < vertices; v += 997) {
                    assertEquals(v, p.positions().get(v, 0), order + " x of " + v);
                    assertEquals(-v, p.positions().get(v, 1), order + " y of " + v);
                    assertEquals(0.5f * v, p.positions().get(v, 2), order + " z of " + v);
                    assertEquals(1f, p.attribute("NORMAL").get(v, 2), order + " nz of " + v);
                    assertEquals(v / 8192f, p.attribute("TEXCOORD_0").get(v, 0), order + " u of " + v);
                    assertEquals(0.75f, p.attribute("TEXCOORD_0").get(v, 1), order + " v of " + v);
                }
                for (int t = 0; t < triangles; t++) {
                    int at = 3 * (t < 7000 ? t : t + 2); // the quad's two triangles come before triangle 7000
                    assertEquals(t % vertices, p.index(at), order + " triangle " + t);
                    assertEquals((t + 2) % vertices, p.index(at + 2), order + " triangle " + t);
                }
            }
            byte[] bad = body.after(header);
            int face8000 = bad.length - 13 * (triangles - 8000);
            bad[face8000 + (order == ByteOrder.LITTLE_ENDIAN ? 8 : 5)] = 1; // its second corner, 3001, now 2^24 + 3001
            assertMentions(refused("large-bad.ply", bad), "face 8001 refers to vertex 16780217");
        }
    }

    @Test
    void facesWithFewerThanThreeCornersAreSkippedWithAWarning() throws IOException {
        String ascii = "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\n"
                + "element face 3\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n"
                + "2 0 1\n3 0 1 2\n0\n";
        try (Scene s = Formats.read(write("short-faces.ply", ascii))) {
            assertEquals(1, s.triangleCount());
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains("skipped 2 faces") && w.contains("face 0")),
                    s.warnings().toString());
        }
    }

    @Test
    void headerOnlyFileIsRefused() throws IOException {
        BadInputException e = refused("header-only.ply", "ply\nformat ascii 1.0\nend_header\n");
        assertMentions(e, "no elements", "header without");
    }

    @Test
    void declaredRecordsMissingFromTheBodyAreRefused() throws IOException {
        String header = "ply\nformat ascii 1.0\nelement vertex 8\nproperty float x\nproperty float y\n"
                + "property float z\nend_header\n";
        assertMentions(refused("empty-body.ply", header), "8 'vertex' records", "only 0 bytes");
        String cut = header + "0 0 0\n1 1 1\n0 1 0\n1 0 0\n0 0 1\n1 1 0\n0.5 0.5 0.5\n";
        assertMentions(refused("short-body.ply", cut), "line 14", "ends after 7 of the 8 'vertex' records");
    }

    @Test
    void asciiRowWithExtraValuesIsRefusedWithItsLine() throws IOException {
        String text = cubeAscii("\n", "float").replace("4 4 5 6 7\n", "4 4 5 6 7 0.5 0.25\n");
        BadInputException e = refused("extra.ply", text);
        assertMentions(e, "line 20", "face 1 has 2 values more than the header declares", "'0.5'");
    }

    @Test
    void asciiRowWithMissingValuesIsRefusedWithItsLine() throws IOException {
        String text = cubeAscii("\n", "float").replace("\n1 1 1\n", "\n1 1\n");
        BadInputException e = refused("missing.ply", text);
        assertMentions(e, "line 17", "vertex 6 ends before its property 'z'");
        String shortFace = cubeAscii("\r\n", "float").replace("4 1 2 6 5", "4 1 2 6");
        assertMentions(refused("short-face.ply", shortFace), "line 22", "face 3 ends before its property "
                + "'vertex_indices'");
    }

    @Test
    void asciiValueThatIsNotANumberIsRefused() throws IOException {
        String text = cubeAscii("\n", "float").replace("\n1 1 1\n", "\n1 one 1\n");
        assertMentions(refused("word.ply", text), "line 17", "'one' is not a number", "property 'y' of vertex 6");
        String fractionalIndex = cubeAscii("\n", "float").replace("4 0 3 2 1", "4 0 3 2.5 1");
        assertMentions(refused("fraction.ply", fractionalIndex), "line 19", "'2.5' is not a non-negative whole number");
    }

    @Test
    void faceIndexOutOfRangeIsRefusedWithLineOrByteOffset() throws IOException {
        String text = cubeAscii("\n", "float").replace("4 2 3 7 6", "4 2 3 8 6");
        assertMentions(refused("range.ply", text), "line 23", "face 4 refers to vertex 8",
                "the file has 8 vertices (0 to 7)");
        String negative = cubeAscii("\n", "float").replace("4 2 3 7 6", "4 2 3 -1 6");
        assertMentions(refused("negative.ply", negative), "line 23", "'-1' is not a non-negative whole number");

        byte[] bytes = cubeBinary(ByteOrder.LITTLE_ENDIAN, "float", "uchar", "int");
        int faces = bytes.length - 6 * 17;
        bytes[faces + 17 * 2 + 1 + 4 * 3] = 9; // face 2, fourth corner
        assertMentions(refused("range-bin.ply", bytes), "byte " + (faces + 17 * 2 + 1 + 4 * 3),
                "face 2 refers to vertex 9");
        bytes[faces + 17 * 2 + 1 + 4 * 3 + 3] = (byte) 0x80; // now negative as a signed int
        assertMentions(refused("negative-bin.ply", bytes), "face 2 refers to vertex -2147483639");
    }

    @Test
    void faceListDeclaredUnderTheVertexElementIsRefused() throws IOException {
        String text = "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\n"
                + "property list uchar uint vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n";
        assertMentions(refused("misplaced.ply", text), "line 7", "face list 'vertex_indices' is declared under "
                + "element 'vertex'");
    }

    @Test
    void truncatedBinaryBodyIsRefusedAtEveryLengthWithTheByteOffset() throws IOException {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            byte[] full = cubeBinary(order, "float", "uchar", "int");
            int body = new String(full, StandardCharsets.ISO_8859_1).indexOf("end_header\n") + 11;
            for (int length = body; length < full.length; length++) {
                BadInputException e = refused("cut.ply", Arrays.copyOf(full, length));
                assertTrue(e.getMessage().contains("byte ") && e.getMessage().contains("truncated")
                        || e.getMessage().contains("need at least"), length + ": " + e.getMessage());
            }
        }
        byte[] full = cubeBinary(ByteOrder.LITTLE_ENDIAN, "float", "uchar", "int");
        int faces = full.length - 6 * 17;
        BadInputException e = refused("cut-face.ply", Arrays.copyOf(full, full.length - 5));
        assertMentions(e, "byte " + (faces + 5 * 17), "ends inside face 5 of the 6 'face' records", "truncated");
    }

    @Test
    void asciiFileCutAnywhereIsReadWholeOrRefused() throws IOException {
        String full = cubeAscii("\n", "float");
        for (int length = 0; length < full.length(); length++) {
            Path p = write("cut.ply", full.substring(0, length));
            try (Scene s = Formats.read(p)) {
                assertEquals(full.length() - 1, length, "only the final line feed may be missing");
                assertUnitCube(s);
            } catch (BadInputException expected) {
                assertTrue(expected.getMessage().contains("cut.ply"), expected.getMessage());
            }
        }
    }

    @Test
    void unknownFormatLineIsRefused() throws IOException {
        String text = cubeAscii("\n", "float").replace("format ascii 1.0", "format binary_middle_endian 1.0");
        assertMentions(refused("format.ply", text), "line 2", "unknown format 'binary_middle_endian'",
                "expected ascii, binary_little_endian or binary_big_endian");
        assertMentions(refused("no-format.ply", "ply\nelement vertex 1\nproperty float x\nend_header\n0\n"),
                "line 2", "no 'format' line");
    }

    @Test
    void malformedHeadersAreRefusedWithTheirLine() throws IOException {
        assertMentions(refused("magic.ply", "plyx\nformat ascii 1.0\nend_header\n"), "line 1", "'plyx'");
        assertMentions(refused("no-end.ply", "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\n"),
                "no 'end_header'");
        assertMentions(refused("type.ply", "ply\nformat ascii 1.0\nelement vertex 1\nproperty half x\nend_header\n"),
                "line 4", "unknown property type 'half'");
        assertMentions(refused("count.ply", "ply\nformat ascii 1.0\nelement vertex many\nend_header\n"),
                "line 3", "'many'");
        assertMentions(refused("listcount.ply", "ply\nformat ascii 1.0\nelement face 1\n"
                + "property list float int vertex_indices\nend_header\n"), "line 4", "count type float");
        assertMentions(refused("keyword.ply", "ply\nformat ascii 1.0\nelemnt vertex 1\nend_header\n"),
                "line 3", "unexpected 'elemnt'");
        assertMentions(refused("prop-first.ply", "ply\nformat ascii 1.0\nproperty float x\nend_header\n"),
                "line 3", "before any element");
        assertMentions(refused("no-z.ply", "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\n"
                + "property float y\nend_header\n1 2\n"), "line 3", "no property 'z'");
        assertMentions(refused("float-index.ply", "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\n"
                + "property float y\nproperty float z\nelement face 1\nproperty list uchar float vertex_indices\n"
                + "end_header\n1 2 3\n3 0 0 0\n"), "line 8", "float items");
        assertMentions(refused("twice.ply", "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\n"
                + "element vertex 1\nend_header\n"), "line 5", "declared a second time");
        assertMentions(refused("empty.ply", new byte[0]), "empty");
    }

    @Test
    void billionElementHeaderFailsFastWithoutAllocating() throws IOException {
        String ascii = "ply\nformat ascii 1.0\nelement vertex 3000000000\nproperty float x\nproperty float y\n"
                + "property float z\nelement face 2000000000\nproperty list uchar int vertex_indices\nend_header\n"
                + "0 0 0\n";
        assertMentions(refused("billion.ply", ascii), "line 3", "3000000000 'vertex' records",
                "need at least 17999999999 bytes", "only 6 bytes after its header");
        String binary = "ply\nformat binary_little_endian 1.0\nelement vertex 1\nproperty float x\nproperty float y\n"
                + "property float z\nelement face 9223372036854775807\nproperty list uint int vertex_indices\n"
                + "end_header\n";
        byte[] bytes = new PlyBytes(ByteOrder.LITTLE_ENDIAN).put("float", 0).put("float", 0).put("float", 0)
                .after(binary);
        assertMentions(refused("huge.ply", bytes), "line 7", "9223372036854775807 'face' records",
                "only 12 bytes after its header");
    }

    @Test
    void declaredFacesBeyondMaxTrianglesFailWithTheLimitNamed() throws IOException {
        Path p = write("limit.ply", cubeBinary(ByteOrder.LITTLE_ENDIAN, "float", "uchar", "int"));
        LimitExceededException declared = assertThrows(LimitExceededException.class,
                () -> Formats.read(p, new ReadOptions(1 << 20, 5)));
        assertMentions(declared, "6 faces", "limit of 5 triangles", "ReadOptions.maxTriangles");
        // Six faces are within a limit of 8, but their quads make 12 triangles.
        LimitExceededException triangulated = assertThrows(LimitExceededException.class,
                () -> Formats.read(p, new ReadOptions(1 << 20, 8)));
        assertMentions(triangulated, "limit of 8", "ReadOptions.maxTriangles");
        try (Scene s = Formats.read(p, new ReadOptions(1 << 20, 12))) {
            assertEquals(12, s.triangleCount());
        }
    }

    @Test
    void negativeBinaryListLengthIsRefused() throws IOException {
        byte[] bytes = cubeBinary(ByteOrder.LITTLE_ENDIAN, "float", "char", "int");
        int faces = bytes.length - 6 * 17;
        bytes[faces + 17] = (byte) -4;
        assertMentions(refused("negative-count.ply", bytes), "byte " + (faces + 17), "negative length (-4)");
    }

    @Test
    void trailingDataIsIgnoredWithAWarning() throws IOException {
        byte[] full = cubeBinary(ByteOrder.LITTLE_ENDIAN, "float", "uchar", "int");
        byte[] longer = Arrays.copyOf(full, full.length + 3);
        try (Scene s = Formats.read(write("trailing.ply", longer))) {
            assertUnitCube(s);
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains("3 bytes after the last record")),
                    s.warnings().toString());
        }
        try (Scene s = Formats.read(write("trailing-ascii.ply", cubeAscii("\n", "float") + "end\n"))) {
            assertUnitCube(s);
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains("line 25") && w.contains("'end")),
                    s.warnings().toString());
        }
    }

    @Test
    void corruptedFilesNeverFailOtherThanWithAClearError() throws IOException {
        Random random = new Random(42);
        List<byte[]> seeds = List.of(cubeBinary(ByteOrder.LITTLE_ENDIAN, "float", "uchar", "int"),
                cubeBinary(ByteOrder.BIG_ENDIAN, "double", "uint", "ushort"),
                cubeAscii("\n", "float").getBytes(StandardCharsets.US_ASCII));
        for (int round = 0; round < 2000; round++) {
            byte[] bytes = seeds.get(round % seeds.size()).clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                int at = random.nextInt(bytes.length);
                bytes[at] = switch (random.nextInt(4)) {
                    case 0 -> (byte) random.nextInt(256);
                    case 1 -> (byte) (bytes[at] ^ (1 << random.nextInt(8)));
                    case 2 -> (byte) ('0' + random.nextInt(10));
                    default -> (byte) "\n\r -9e.".charAt(random.nextInt(7));
                };
            }
            Path p = write("fuzz.ply", bytes);
            try (Scene s = Formats.read(p)) {
                assertTrue(s.triangleCount() >= 0);
            } catch (MeshforgeException expected) {
                assertTrue(expected.getMessage().contains("fuzz.ply"), expected.getMessage());
            }
        }
    }
}
