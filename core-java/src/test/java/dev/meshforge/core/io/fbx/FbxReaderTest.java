// The FBX reader on fixtures the test writes: encodings, polygons, layers, transforms, and malformed bytes.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.MeshforgeException;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.VertexAttribute;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static dev.meshforge.core.io.fbx.FbxFixtures.layer;
import static dev.meshforge.core.io.fbx.FbxFixtures.p;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FbxReaderTest {
    private static final Path NAME = Path.of("fixture.fbx");

    /** An L-shaped hexagon in the XY plane (concave at corner 3), area 3. */
    private static final double[] L_SHAPE = {0, 0, 0, 2, 0, 0, 2, 1, 0, 1, 1, 0, 1, 2, 0, 0, 2, 0};
    private static final int[] L_POLYGON = {0, 1, 2, 3, 4, ~5};

    private static Scene read(byte[] bytes) {
        return FbxReader.read(NAME, bytes, ReadOptions.DEFAULTS);
    }

    private static double area(Primitive p) {
        VertexAttribute pos = p.positions();
        double sum = 0;
        for (long t = 0; t < p.triangleCount(); t++) {
            int a = p.index(t * 3);
            int b = p.index(t * 3 + 1);
            int c = p.index(t * 3 + 2);
            double ux = pos.get(b, 0) - pos.get(a, 0);
            double uy = pos.get(b, 1) - pos.get(a, 1);
            double vx = pos.get(c, 0) - pos.get(a, 0);
            double vy = pos.get(c, 1) - pos.get(a, 1);
            sum += Math.abs(ux * vy - uy * vx) / 2;
        }
        return sum;
    }

    @Test
    void concavePolygonIsCutIntoTrianglesInsideIt() {
        for (byte[] bytes : List.of(FbxFixtures.binary(FbxFixtures.document(7400, L_SHAPE, L_POLYGON, List.of()), 7400),
                FbxFixtures.binary(FbxFixtures.document(7500, L_SHAPE, L_POLYGON, List.of()), 7500),
                FbxFixtures.ascii(FbxFixtures.document(7400, L_SHAPE, L_POLYGON, List.of())))) {
            try (Scene s = read(bytes)) {
                Primitive p = s.roots().get(0).mesh().primitives().get(0);
                assertEquals(4, p.triangleCount());
                // A fan from corner 0 would cover 4 (one triangle outside the L); ear clipping covers exactly 3.
                assertEquals(3.0, area(p), 1e-9);
                assertEquals(0, p.material());
                assertEquals(1.0f, s.materials().get(0).baseColorFactor()[0]);
            }
        }
    }

    @Test
    void everyMappingAndReferenceModeGivesTheRightValues() {
        double[] quad = {0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0};
        int[] polys = {0, 1, ~2, 0, 2, ~3};
        List<FbxNode> layers = List.of(
                // ByPolygon normals, Direct: polygon 0 up, polygon 1 down.
                layer("LayerElementNormal", "ByPolygon", "Direct", "Normals", new double[] {0, 0, 1, 0, 0, -1}, null),
                // UV set 0 ByPolygonVertex IndexToDirect, set 1 ByVertice Direct.
                layer("LayerElementUV", "ByPolygonVertex", "IndexToDirect", "UV",
                        new double[] {0, 0, 1, 0, 1, 1, 0, 1}, new int[] {0, 1, 2, 0, 2, 3}),
                layer("LayerElementColor", "AllSame", "Direct", "Colors", new double[] {0.5, 0.25, 1, 1}, null));
        FbxNode uv1 = layer("LayerElementUV", "ByVertice", "Direct", "UV", new double[] {0, 0, 2, 0, 2, 2, 0, 2}, null);
        uv1.props.set(0, 1);
        List<FbxNode> all = new java.util.ArrayList<>(layers);
        all.add(uv1);
        try (Scene s = read(FbxFixtures.binary(FbxFixtures.document(7400, quad, polys, all), 7400))) {
            Primitive p = s.roots().get(0).mesh().primitives().get(0);
            assertEquals(2, p.triangleCount());
            VertexAttribute n = p.attribute("NORMAL");
            VertexAttribute uv0 = p.attribute("TEXCOORD_0");
            VertexAttribute uv1a = p.attribute("TEXCOORD_1");
            VertexAttribute c = p.attribute("COLOR_0");
            for (long t = 0; t < 2; t++) {
                for (int k = 0; k < 3; k++) {
                    int v = p.index(t * 3 + k);
                    assertEquals(t == 0 ? 1f : -1f, n.get(v, 2), "normal z of triangle " + t);
                    double x = p.positions().get(v, 0);
                    double y = p.positions().get(v, 1);
                    assertEquals(x, uv0.get(v, 0), 1e-6);
                    assertEquals(1 - y, uv0.get(v, 1), 1e-6, "V flipped to a top-left origin");
                    assertEquals(2 * x, uv1a.get(v, 0), 1e-6);
                    assertEquals(0.25f, c.get(v, 1));
                }
            }
        }
    }

    @Test
    void transformWithPivotsPreRotationAndOrderIsApplied() {
        double[] tri = {0, 0, 0, 1, 0, 0, 0, 1, 0};
        try (Scene s = read(FbxFixtures.binary(FbxFixtures.document(7400, tri, new int[] {0, 1, ~2}, List.of(),
                p("Lcl Translation", 10.0, 0.0, 0.0), p("Lcl Rotation", 0.0, 0.0, 90.0),
                p("RotationPivot", 1.0, 0.0, 0.0), p("Lcl Scaling", 2.0, 2.0, 2.0)), 7400))) {
            Node m = s.roots().get(0);
            double[] out = new double[3];
            // T * Rp * R * Rp^-1 * S: (1,0,0) -> S (2,0,0) -> -Rp (1,0,0) -> R (0,1,0) -> +Rp (1,1,0) -> T (11,1,0)
            m.local().applyToPoint(1, 0, 0, out);
            assertEquals(11, out[0], 1e-9);
            assertEquals(1, out[1], 1e-9);
            assertEquals(0, out[2], 1e-9);
        }
    }

    @Test
    void aFaceWithTooFewIndicesIsSkippedWithAWarning() {
        double[] quad = {0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0};
        try (Scene s = read(FbxFixtures.ascii(FbxFixtures.document(7400, quad, new int[] {~0, 1, ~2, 0, 1, 2, ~3},
                List.of())))) {
            assertEquals(2, s.triangleCount());
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains("fewer than 3 indices")), s.warnings().toString());
        }
    }

    @Test
    void textModeTransferIsNamed() {
        byte[] b = FbxFixtures.binary(FbxFixtures.document(7400, L_SHAPE, L_POLYGON, List.of()), 7400);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                b[i] = ' ';
            }
        }
        BadInputException e = assertThrows(BadInputException.class, () -> read(b));
        assertTrue(e.getMessage().contains("looks like a binary FBX whose bytes were altered by a text-mode transfer"
                + " (NUL bytes replaced)"), e.getMessage());
    }

    @Test
    void everyTruncationAndEveryFlippedByteFailsCleanlyOrReads() {
        for (int version : new int[] {7400, 7500}) {
            byte[] whole = FbxFixtures.binary(FbxFixtures.document(version, L_SHAPE, L_POLYGON, List.of(
                    layer("LayerElementUV", "ByPolygonVertex", "IndexToDirect", "UV", new double[64],
                            new int[] {0, 1, 2, 3, 4, 5}))), version);
            for (int len = 0; len < whole.length; len++) {
                readOrRefuse(java.util.Arrays.copyOf(whole, len));
            }
            for (int i = 0; i < whole.length; i++) {
                byte[] b = whole.clone();
                b[i] ^= (byte) 0xA5;
                readOrRefuse(b);
            }
        }
        byte[] ascii = FbxFixtures.ascii(FbxFixtures.document(7400, L_SHAPE, L_POLYGON, List.of()));
        for (int len = 0; len < ascii.length; len += 3) {
            readOrRefuse(java.util.Arrays.copyOf(ascii, len));
        }
    }

    private static void readOrRefuse(byte[] b) {
        try (Scene s = read(b)) {
            s.triangleCount();
        } catch (MeshforgeException e) {
            assertTrue(e.getMessage().startsWith(NAME.toString()), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void aCompressedArrayClaimingMoreThanItHoldsIsRefusedWithItsOffset() {
        byte[] b = FbxFixtures.binary(FbxFixtures.document(7400, new double[300], new int[] {0, 1, ~2}, List.of()),
                7400);
        // Find the Vertices array header: type 'd', count 300, encoding 1 (compressed) and raise the count.
        int at = find(b, new byte[] {'d', 44, 1, 0, 0, 1, 0, 0, 0});
        assertTrue(at > 0, "fixture has a compressed double array");
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at + 1, 301);
        BadInputException e = assertThrows(BadInputException.class, () -> read(b));
        assertTrue(e.getMessage().matches(".*byte \\d+: a compressed array of node 'Vertices' inflates to.*"),
                e.getMessage());
        // A count beyond the limit is refused before anything is allocated.
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at + 1, Integer.MAX_VALUE);
        assertThrows(LimitExceededException.class, () -> read(b));
    }

    @Test
    void asciiErrorsNameTheLine() {
        String text = "; FBX 7.4.0 project file\nFBXHeaderExtension:  {\n\tFBXVersion: 7400\n}\nObjects:  {\n"
                + "\tGeometry: 1, \"Geometry::g\", \"Mesh\" {\n\t\tVertices: *9 {\n\t\t\ta: 1,2,3\n\t\t}\n\t}\n}\n";
        BadInputException e = assertThrows(BadInputException.class,
                () -> read(text.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("line 8") && e.getMessage().contains("declares 9 elements but holds 3"),
                e.getMessage());
    }

    private static int find(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
