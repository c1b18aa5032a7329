// PLY written by us reads back bit for bit in both encodings, merged in world space, with its attributes.
package dev.meshforge.core.io.ply;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.VertexAttribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlyWriterTest {
    private static final WriteOptions ASCII = new WriteOptions(true);

    @TempDir
    Path dir;

    private static Primitive only(Scene s) {
        return s.roots().get(0).mesh().primitives().get(0);
    }

    private static VertexAttribute attribute(Scene s, String name, int components, long count, float[] values) {
        MemorySegment seg = s.allocateFloats(values.length);
        MemorySegment.copy(values, 0, seg, ValueLayout.JAVA_FLOAT, 0, values.length);
        return new VertexAttribute(name, components, count, seg);
    }

    private static Primitive triangles(Scene s, float[] positions, int[] indices) {
        MemorySegment idx = s.allocateInts(indices.length);
        MemorySegment.copy(indices, 0, idx, ValueLayout.JAVA_INT, 0, indices.length);
        return new Primitive(Topology.TRIANGLES, attribute(s, VertexAttribute.POSITION, 3, positions.length / 3,
                positions), idx, indices.length);
    }

    private static Scene single(Scene s, Primitive p) {
        return s.addRoot(new Node("n").mesh(new Mesh("m").add(p)));
    }

    /**
     * n shared vertices with awkward values (tiny, huge, negative zero, NaN-free) in y and z, x = the vertex number
     * (so that no two are alike, which the writer would share), and t random triangles using every vertex
     * (the writer leaves unused ones out); needs 3t >= n.
     */
    private static Scene randomScene(int n, int t, long seed) {
        Scene s = new Scene();
        Random r = new Random(seed);
        float[] pos = new float[n * 3];
        for (int i = 0; i < pos.length; i++) {
            pos[i] = switch (r.nextInt(5)) {
                case 0 -> (float) r.nextGaussian() * 1e-7f;
                case 1 -> (float) r.nextGaussian() * 1e12f;
                case 2 -> -0f;
                case 3 -> Float.MIN_VALUE * r.nextInt(100);
                default -> r.nextFloat();
            };
        }
        for (int v = 0; v < n; v++) {
            pos[3 * v] = v;
        }
        int[] idx = new int[t * 3];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i < n ? i : r.nextInt(n);
        }
        return single(s, triangles(s, pos, idx));
    }

    private static void assertSameBits(Primitive expected, Primitive actual) {
        assertEquals(expected.triangleCount(), actual.triangleCount());
        assertEquals(expected.vertexCount(), actual.vertexCount());
        for (long v = 0; v < expected.vertexCount(); v++) {
            for (int a = 0; a < 3; a++) {
                assertEquals(Float.floatToRawIntBits(expected.positions().get(v, a)),
                        Float.floatToRawIntBits(actual.positions().get(v, a)), "vertex " + v + " axis " + a);
            }
        }
        for (long i = 0; i < expected.indexCount(); i++) {
            assertEquals(expected.index(i), actual.index(i), "index " + i);
        }
    }

    private String head(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        String text = new String(b, StandardCharsets.ISO_8859_1);
        return text.substring(0, text.indexOf("end_header\n") + 11);
    }

    @Test
    void binaryAndAsciiRoundTripsKeepTrianglesAndEveryPositionBit() throws IOException {
        try (Scene s = randomScene(700, 2000, 3)) {
            for (WriteOptions options : new WriteOptions[] {WriteOptions.DEFAULTS, ASCII}) {
                Path out = dir.resolve(options.ascii() ? "rt-ascii.ply" : "rt-binary.ply");
                Formats.write(s, out, Format.PLY, options);
                try (Scene back = Formats.read(out)) {
                    assertSameBits(only(s), only(back));
                    assertEquals(2000, back.triangleCount());
                    assertTrue(back.warnings().isEmpty(), back.warnings().toString());
                }
            }
            assertEquals(Files.size(dir.resolve("rt-binary.ply")) - head(dir.resolve("rt-binary.ply")).length(),
                    700 * 12 + 2000 * 13L, "12 bytes a vertex, 13 a triangle");
        }
    }

    @Test
    void binaryLittleEndianIsTheDefaultAndAsciiIsOnRequest() throws IOException {
        try (Scene s = randomScene(3, 1, 1)) {
            Path bin = dir.resolve("default.ply");
            Formats.write(s, bin, Format.PLY, WriteOptions.DEFAULTS);
            assertEquals("ply\nformat binary_little_endian 1.0\ncomment written by meshforge\nelement vertex 3\n"
                    + "property float x\nproperty float y\nproperty float z\nelement face 1\n"
                    + "property list uchar uint vertex_indices\nend_header\n", head(bin));
            Path text = dir.resolve("text.ply");
            Formats.write(s, text, Format.PLY, ASCII);
            assertTrue(head(text).startsWith("ply\nformat ascii 1.0\n"), head(text));
        }
    }

    @Test
    void normalsColorsAndTexcoordsRoundTripWithVFlippedInTheFile() throws IOException {
        try (Scene s = new Scene()) {
            Primitive p = triangles(s, new float[] {0, 0, 0, 1, 0, 0, 0, 1, 0}, new int[] {0, 1, 2});
            p.put(attribute(s, VertexAttribute.NORMAL, 3, 3, new float[] {0, 0, 1, 0.6f, 0, 0.8f, -0f, -1, 0}));
            p.put(attribute(s, "COLOR_0", 4, 3,
                    new float[] {1, 0, 0, 1, 0, 128 / 255f, 1, 0.25f, 0.2f, 0.4f, 0.6f, 0}));
            p.put(attribute(s, "TEXCOORD_0", 2, 3, new float[] {0, 0, 1, 0.25f, 0.5f, 1}));
            single(s, p);
            for (WriteOptions options : new WriteOptions[] {WriteOptions.DEFAULTS, ASCII}) {
                Path out = dir.resolve("attrs.ply");
                Formats.write(s, out, Format.PLY, options);
                assertTrue(head(out).contains("property float nx\nproperty float ny\nproperty float nz\n"
                        + "property uchar red\nproperty uchar green\nproperty uchar blue\nproperty uchar alpha\n"
                        + "property float s\nproperty float t\n"), head(out));
                try (Scene back = Formats.read(out)) {
                    Primitive q = only(back);
                    for (String name : new String[] {VertexAttribute.NORMAL, "COLOR_0", "TEXCOORD_0"}) {
                        VertexAttribute a = p.attribute(name), b = q.attribute(name);
                        for (int v = 0; v < 3; v++) {
                            for (int c = 0; c < a.components(); c++) {
                                assertEquals(a.get(v, c), b.get(v, c), name.equals("COLOR_0") ? 0.5 / 255 : 1e-7,
                                        name + " of vertex " + v + " component " + c);
                            }
                        }
                    }
                    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(q.attribute("NORMAL").get(2, 0)));
                }
            }
            Path ascii = dir.resolve("attrs.ply");
            String body = Files.readString(ascii).substring(head(ascii).length());
            assertEquals("0.0 0.0 0.0 0.0 0.0 1.0 255 0 0 255 0.0 1.0", body.lines().findFirst().orElseThrow(),
                    "glTF's v = 0 is PLY's t = 1");
        }
    }

    @Test
    void allPlacedMeshesAreMergedInWorldSpaceKeepingOutwardWinding() throws IOException {
        try (Scene s = new Scene()) {
            Primitive tri = triangles(s, new float[] {0, 0, 0, 1, 0, 0, 0, 1, 0}, new int[] {0, 1, 2});
            tri.put(attribute(s, VertexAttribute.NORMAL, 3, 3, new float[] {1, 1, 0, 1, 1, 0, 1, 1, 0}));
            Mesh mesh = new Mesh("tri").add(tri);
            Node parent = new Node("parent").local(Transform.translation(10, 0, 0));
            parent.add(new Node("instance").mesh(mesh).local(Transform.scale(2, 1, 1)));
            s.addRoot(parent);
            s.addRoot(new Node("mirror").mesh(mesh).local(Transform.scale(-1, 1, 1)));
            Path out = dir.resolve("merged.ply");
            Formats.write(s, out, Format.PLY, WriteOptions.DEFAULTS);
            try (Scene back = Formats.read(out)) {
                Primitive p = only(back);
                assertEquals(2, p.triangleCount());
                assertEquals(6, p.vertexCount());
                float[][] expected = {{10, 0, 0}, {12, 0, 0}, {10, 1, 0}, {0, 0, 0}, {-1, 0, 0}, {0, 1, 0}};
                for (int v = 0; v < 6; v++) {
                    for (int a = 0; a < 3; a++) {
                        assertEquals(expected[v][a], p.positions().get(v, a), "vertex " + v);
                    }
                }
                assertEquals(Arrays.toString(new int[] {0, 1, 2, 3, 5, 4}), Arrays.toString(new int[] {p.index(0),
                        p.index(1), p.index(2), p.index(3), p.index(4), p.index(5)}), "the mirrored copy is rewound");
                // Normals go by the inverse transpose: stretching x by 2 tilts (1,1,0) towards y.
                VertexAttribute n = p.attribute(VertexAttribute.NORMAL);
                double len = Math.sqrt(0.25 + 1);
                assertEquals(0.5 / len, n.get(0, 0), 1e-6);
                assertEquals(1 / len, n.get(0, 1), 1e-6);
                assertEquals(-Math.sqrt(0.5), n.get(3, 0), 1e-6);
                assertEquals(Math.sqrt(0.5), n.get(3, 1), 1e-6);
            }
        }
    }

    @Test
    void pointsAreWrittenAsVerticesOnly() throws IOException {
        try (Scene s = new Scene()) {
            VertexAttribute pos = attribute(s, VertexAttribute.POSITION, 3, 2, new float[] {1, 2, 3, 4, 5, 6});
            single(s, new Primitive(Topology.POINTS, pos, null, 0));
            for (WriteOptions options : new WriteOptions[] {WriteOptions.DEFAULTS, ASCII}) {
                Path out = dir.resolve("points.ply");
                Formats.write(s, out, Format.PLY, options);
                assertFalse(head(out).contains("element face"), head(out));
                try (Scene back = Formats.read(out)) {
                    Primitive p = only(back);
                    assertEquals(Topology.POINTS, p.topology());
                    assertEquals(2, p.vertexCount());
                    assertEquals(6f, p.positions().get(1, 2));
                }
            }
        }
    }

    @Test
    void primitivesWithoutAnAttributeOthersHaveGetNeutralValues() throws IOException {
        try (Scene s = new Scene()) {
            Primitive colored = triangles(s, new float[] {0, 0, 0, 1, 0, 0, 0, 1, 0}, new int[] {0, 1, 2});
            colored.put(attribute(s, "COLOR_0", 3, 3, new float[] {0, 0, 0, 0, 0, 0, 0, 0, 0}));
            Primitive plain = triangles(s, new float[] {0, 0, 1, 1, 0, 1, 0, 1, 1}, new int[] {0, 2, 1});
            s.addRoot(new Node("n").mesh(new Mesh("m").add(colored).add(plain)));
            Path out = dir.resolve("mixed.ply");
            Formats.write(s, out, Format.PLY, WriteOptions.DEFAULTS);
            try (Scene back = Formats.read(out)) {
                Primitive p = only(back);
                assertEquals(2, p.triangleCount());
                VertexAttribute c = p.attribute("COLOR_0");
                assertEquals(0f, c.get(0, 0));
                assertEquals(1f, c.get(0, 3), "three-component colors get an opaque alpha");
                assertEquals(1f, c.get(4, 1), "the plain primitive is white");
                assertEquals(3, p.index(3));
                assertEquals(5, p.index(4));
                assertNull(p.attribute("TEXCOORD_0"));
            }
        }
    }
}
