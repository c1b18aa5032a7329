// glTF reading edge cases, each on a small file the test builds itself.
package dev.meshforge.core.io.gltf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.MeshforgeException;
import dev.meshforge.core.UnsupportedFeatureException;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.TriangleMesh;
import dev.meshforge.core.scene.VertexAttribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GltfReaderTest {
    private static final float[] QUAD = {0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0};

    @TempDir
    Path dir;

    private static Primitive first(Scene s) {
        return s.roots().get(0).mesh().primitives().get(0);
    }

    private static int[] indices(Primitive p) {
        int[] out = new int[(int) p.indexCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = p.index(i);
        }
        return out;
    }

    /** z of the cross product of triangle t's edges: the winding seen from +z. */
    private static double windingZ(Primitive p, int t) {
        VertexAttribute v = p.positions();
        int a = p.index(3L * t);
        int b = p.index(3L * t + 1);
        int c = p.index(3L * t + 2);
        double ux = v.get(b, 0) - v.get(a, 0);
        double uy = v.get(b, 1) - v.get(a, 1);
        double wx = v.get(c, 0) - v.get(a, 0);
        double wy = v.get(c, 1) - v.get(a, 1);
        return ux * wy - uy * wx;
    }

    @Test
    void nonIndexedTrianglesGetSequentialIndices() throws IOException {
        GltfFixture g = new GltfFixture();
        g.mesh(g.positions(0, 0, 0, 1, 0, 0, 0, 1, 0), -1, 4);
        g.node(0);
        try (Scene s = Formats.read(g.writeGltf(dir, "tri"))) {
            assertEquals(1, s.triangleCount());
            assertArrayEquals(new int[] {0, 1, 2}, indices(first(s)));
            assertTrue(s.warnings().isEmpty(), s.warnings().toString());
        }
    }

    @Test
    void triangleStripBecomesTrianglesThatAllKeepTheFirstOnesWinding() throws IOException {
        GltfFixture g = new GltfFixture();
        g.mesh(g.positions(QUAD), -1, 5);
        g.node(0);
        try (Scene s = Formats.read(g.writeGltf(dir, "strip"))) {
            Primitive p = first(s);
            assertEquals(2, s.triangleCount());
            assertArrayEquals(new int[] {0, 1, 2, 1, 3, 2}, indices(p));
            assertTrue(windingZ(p, 0) > 0 && windingZ(p, 1) > 0);
        }
    }

    @Test
    void triangleFanBecomesTrianglesAroundTheFirstVertex() throws IOException {
        GltfFixture g = new GltfFixture();
        g.mesh(g.positions(0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0), -1, 6);
        g.node(0);
        try (Scene s = Formats.read(g.writeGltf(dir, "fan"))) {
            Primitive p = first(s);
            assertArrayEquals(new int[] {1, 2, 0, 2, 3, 0}, indices(p));
            assertTrue(windingZ(p, 0) > 0 && windingZ(p, 1) > 0);
        }
    }

    @Test
    void lineLoopAndLineStripBecomeLineLists() throws IOException {
        GltfFixture g = new GltfFixture();
        int pos = g.positions(QUAD);
        g.mesh(pos, -1, 2);
        g.mesh(pos, -1, 3);
        g.node(0);
        g.node(1);
        try (Scene s = Formats.read(g.writeGltf(dir, "lines"))) {
            Primitive loop = s.roots().get(0).mesh().primitives().get(0);
            Primitive strip = s.roots().get(1).mesh().primitives().get(0);
            assertEquals(Topology.LINES, loop.topology());
            assertArrayEquals(new int[] {0, 1, 1, 2, 2, 3, 3, 0}, indices(loop));
            assertArrayEquals(new int[] {0, 1, 1, 2, 2, 3}, indices(strip));
            assertEquals(0, s.triangleCount());
        }
    }

    @Test
    void normalizedShortsInAStridedViewAndUnsignedByteIndicesDecode() throws IOException {
        GltfFixture g = new GltfFixture();
        int pos = g.positions(0, 0, 0, 1, 0, 0, 0, 1, 0);
        // TEXCOORD_0 as normalized unsigned shorts, interleaved with 4 bytes of padding (stride 8).
        byte[] uv = GltfFixture.shorts(0, 65535, 0, 0, 32768, 0, 0, 0, 65535, 65535, 0, 0);
        ObjectNode p = g.mesh(pos, g.accessor(g.view(new byte[] {2, 1, 0, 0}, 0), 5121, 3, "SCALAR", false), 4);
        p.with("attributes").put("TEXCOORD_0", g.accessor(g.view(uv, 8), 5123, 3, "VEC2", true));
        g.node(0);
        try (Scene s = Formats.read(g.writeGltf(dir, "uv"))) {
            Primitive prim = first(s);
            assertArrayEquals(new int[] {2, 1, 0}, indices(prim));
            VertexAttribute t = prim.attribute("TEXCOORD_0");
            assertEquals(1f, t.get(0, 1));
            assertEquals(32768f / 65535f, t.get(1, 0), 1e-7);
            assertEquals(1f, t.get(2, 0));
            assertEquals(1f, t.get(2, 1));
        }
    }

    @Test
    void sparseAccessorWithoutBufferViewIsZerosWithTheSubstitutions() throws IOException {
        GltfFixture g = new GltfFixture();
        int acc = g.accessor(-1, 5126, 3, "VEC3", false);
        ObjectNode sparse = ((ObjectNode) g.array("accessors").get(acc)).putObject("sparse").put("count", 2);
        sparse.putObject("indices").put("bufferView", g.view(GltfFixture.shorts(1, 2), 0)).put("componentType", 5123);
        sparse.putObject("values").put("bufferView", g.view(GltfFixture.floats(1, 0, 0, 0, 1, 0), 0));
        g.mesh(acc, -1, 4);
        g.node(0);
        try (Scene s = Formats.read(g.writeGltf(dir, "sparse"))) {
            VertexAttribute v = first(s).positions();
            float[] all = new float[9];
            for (int i = 0; i < 9; i++) {
                all[i] = v.get(i / 3, i % 3);
            }
            assertArrayEquals(new float[] {0, 0, 0, 1, 0, 0, 0, 1, 0}, all);
        }
    }

    @Test
    void translationRotationScaleArePlacedLikeTheirMatrix() throws IOException {
        GltfFixture g = new GltfFixture();
        g.mesh(g.positions(1, 0, 0, 0, 0, 0, 0, 0, 1), -1, 4);
        double h = Math.sqrt(0.5);
        ObjectNode n = g.node(0);
        n.putArray("translation").add(10).add(0).add(0);
        n.putArray("rotation").add(0).add(0).add(h).add(h); // 90 degrees about +z
        n.putArray("scale").add(2).add(2).add(2);
        try (Scene s = Formats.read(g.writeGltf(dir, "trs")); Arena a = Arena.ofConfined()) {
            TriangleMesh m = s.worldTriangles(a);
            // (1,0,0) scaled to (2,0,0), rotated to (0,2,0), moved to (10,2,0).
            assertEquals(10, m.coordinate(0, 0), 1e-6);
            assertEquals(2, m.coordinate(0, 1), 1e-6);
            assertEquals(0, m.coordinate(0, 2), 1e-6);
        }
    }

    @Test
    void glbWithDataUriImageAndInstancedMeshCountsEveryInstance() throws IOException {
        GltfFixture g = new GltfFixture();
        g.mesh(g.positions(0, 0, 0, 1, 0, 0, 0, 1, 0), -1, 4);
        g.node(0);
        g.node(0).putArray("translation").add(5).add(0).add(0);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 0};
        g.array("images").addObject().put("uri", "data:image/png;base64," + Base64.getEncoder().encodeToString(png));
        g.array("textures").addObject().put("source", 0);
        g.array("materials").addObject().putObject("pbrMetallicRoughness").putObject("baseColorTexture")
                .put("index", 0);
        Path p = dir.resolve("inst.glb");
        Files.write(p, g.glbBytes());
        try (Scene s = Formats.read(p)) {
            assertEquals(2, s.triangleCount());
            assertEquals("image/png", s.textures().get(0).mimeType());
            assertArrayEquals(png, s.textures().get(0).bytes());
            assertEquals(0, s.materials().get(0).baseColorTexture());
        }
    }

    @Test
    void morphTargetsSkinsAndAnimationsAreKept() throws IOException {
        GltfFixture g = new GltfFixture();
        ObjectNode p = g.mesh(g.positions(0, 0, 0, 1, 0, 0, 0, 1, 0), -1, 4);
        p.putArray("targets").addObject().put("POSITION", g.positions(0, 0, 1, 0, 0, 1, 0, 0, 1));
        ((ObjectNode) g.array("meshes").get(0)).putArray("weights").add(0.5);
        ObjectNode skinned = g.node(0).put("skin", 0);
        Node joint;
        g.array("nodes").addObject().put("name", "joint");
        skinned.putArray("children").add(1);
        g.array("skins").addObject().putArray("joints").add(1);
        int times = g.accessor(g.view(GltfFixture.floats(0, 1), 0), 5126, 2, "SCALAR", false);
        int values = g.accessor(g.view(GltfFixture.floats(0, 0, 0, 0, 3, 0), 0), 5126, 2, "VEC3", false);
        ObjectNode anim = g.array("animations").addObject();
        anim.putArray("samplers").addObject().put("input", times).put("output", values);
        anim.putArray("channels").addObject().put("sampler", 0).putObject("target").put("node", 1)
                .put("path", "translation");
        try (Scene s = Formats.read(g.writeGltf(dir, "anim"))) {
            joint = s.roots().get(0).children().get(0);
            assertEquals(1, first(s).targets().size());
            assertEquals(1f, first(s).targets().get(0).get("POSITION").get(2, 2));
            assertArrayEquals(new float[] {0.5f}, s.roots().get(0).mesh().weights());
            assertEquals(joint, s.skins().get(0).joints().get(0));
            assertNull(s.skins().get(0).inverseBindMatrices());
            assertEquals(s.skins().get(0), s.roots().get(0).skin());
            assertEquals(joint, s.animations().get(0).channels().get(0).target());
            assertEquals(2, s.animations().get(0).samplers().get(0).keyCount());
        }
    }

    @Test
    void aNodeThatIsItsOwnChildIsRefusedAsACycle() throws IOException {
        GltfFixture g = new GltfFixture();
        g.mesh(g.positions(0, 0, 0, 1, 0, 0, 0, 1, 0), -1, 4);
        g.node(0).putArray("children").add(0);
        Path p = g.writeGltf(dir, "self");
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertTrue(e.getMessage().startsWith(p.toString()) && e.getMessage().contains("cycle"), e.getMessage());
    }

    @Test
    void accessorRunningPastItsBufferViewIsRefusedNamingTheAccessor() throws IOException {
        GltfFixture g = new GltfFixture();
        int view = g.view(GltfFixture.floats(0, 0, 0, 1, 0, 0, 0, 1, 0), 0);
        g.mesh(g.accessor(view, 5126, 4, "VEC3", false), -1, 4);
        g.node(0);
        Path p = g.writeGltf(dir, "past");
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertTrue(e.getMessage().contains("accessors[0]") && e.getMessage().contains("run past the end"),
                e.getMessage());
    }

    /** A fan of {@code triangles} uint32-indexed triangles over a quad's 4 vertices, in chunks the reader checks. */
    private static int[] fanIndices(int triangles) {
        int[] idx = new int[triangles * 3];
        for (int t = 0; t < triangles; t++) {
            idx[3 * t] = 0;
            idx[3 * t + 1] = 1 + t % 2;
            idx[3 * t + 2] = 3 - t % 2;
        }
        return idx;
    }

    @Test
    void uint32IndicesAcrossManyChunksAreReadAsWritten() throws IOException {
        int[] idx = fanIndices(10_000);
        GltfFixture g = new GltfFixture();
        int pos = g.positions(QUAD);
        g.mesh(pos, g.accessor(g.view(GltfFixture.ints(idx), 0), 5125, idx.length, "SCALAR", false), 4);
        g.node(0);
        try (Scene s = Formats.read(g.writeGltf(dir, "many"))) {
            assertArrayEquals(idx, indices(first(s)));
        }
    }

    @Test
    void uint32IndexOutOfRangeDeepInTheAccessorIsRefusedNamingItsPosition() throws IOException {
        int[] idx = fanIndices(10_000);
        idx[20_001] = 4;
        GltfFixture g = new GltfFixture();
        int pos = g.positions(QUAD);
        g.mesh(pos, g.accessor(g.view(GltfFixture.ints(idx), 0), 5125, idx.length, "SCALAR", false), 4);
        g.node(0);
        Path p = g.writeGltf(dir, "range");
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertTrue(e.getMessage().endsWith("accessors[1]: index 4 at position 20001 is out of range: "
                + "meshes[0].primitives[0] has only 4 vertices"), e.getMessage());
        idx[20_001] = -1; // 4294967295 as uint32
        GltfFixture h = new GltfFixture();
        h.mesh(h.positions(QUAD), h.accessor(h.view(GltfFixture.ints(idx), 0), 5125, idx.length, "SCALAR", false), 4);
        h.node(0);
        Path q = h.writeGltf(dir, "negative");
        e = assertThrows(BadInputException.class, () -> Formats.read(q));
        assertTrue(e.getMessage().contains("index 4294967295 at position 20001 is out of range"), e.getMessage());
    }

    @Test
    void nonFinitePositionIsRefusedNamingTheVertexAndTheValue() throws IOException {
        float[] xyz = new float[3 * 5000];
        for (int v = 0; v < 5000; v++) {
            xyz[3 * v] = v;
        }
        xyz[3 * 4321 + 2] = Float.NaN;
        GltfFixture g = new GltfFixture();
        g.mesh(g.positions(xyz), -1, 0);
        g.node(0);
        Path p = g.writeGltf(dir, "nan");
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertTrue(e.getMessage().endsWith("accessors[0]: POSITION of vertex 4321 has the non-finite coordinate NaN; "
                + "positions must be finite numbers"), e.getMessage());
    }

    @Test
    void nonFiniteAttributeValuesAreSetToZeroAndANonFiniteNormalDropsItsAttributeEachWithAWarning()
            throws IOException {
        // Formats.read leaves this rule to the glTF reader (leavesOnlyFiniteValues): no NaN or infinity may remain.
        float[] uv = {0, 0, Float.NaN, 1, 1, Float.POSITIVE_INFINITY, 0.5f, 0.25f};
        float[] colour = {1, 1, 1, 1, Float.NEGATIVE_INFINITY, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, Float.NaN};
        float[] normals = {0, 0, 1, 0, 0, 1, Float.NaN, 0, 0, 0, 0, 1};
        GltfFixture g = new GltfFixture();
        ObjectNode prim = g.mesh(g.positions(QUAD), -1, 0);
        prim.with("attributes").put("TEXCOORD_0", g.accessor(g.view(GltfFixture.floats(uv), 0), 5126, 4, "VEC2",
                false));
        prim.with("attributes").put("COLOR_0", g.accessor(g.view(GltfFixture.floats(colour), 0), 5126, 4, "VEC4",
                false));
        prim.with("attributes").put("NORMAL", g.accessor(g.view(GltfFixture.floats(normals), 0), 5126, 4, "VEC3",
                false));
        g.node(0);
        try (Scene s = Formats.read(g.writeGltf(dir, "nonfinite"))) {
            Primitive m = first(s);
            VertexAttribute t = m.attribute("TEXCOORD_0");
            assertEquals(0f, t.get(1, 0));
            assertEquals(0f, t.get(2, 1));
            assertEquals(0.5f, t.get(3, 0));
            VertexAttribute c = m.attribute("COLOR_0");
            assertEquals(0f, c.get(1, 0));
            assertEquals(0f, c.get(3, 3));
            assertEquals(1f, c.get(3, 2));
            assertNull(m.attribute("NORMAL"));
            for (VertexAttribute a : m.attributes().values()) {
                for (long v = 0; v < a.count(); v++) {
                    for (int k = 0; k < a.components(); k++) {
                        assertTrue(Float.isFinite(a.get(v, k)), a.name() + " of vertex " + v);
                    }
                }
            }
            String w = s.warnings().toString();
            assertTrue(s.warnings().stream().anyMatch(x -> x.endsWith("TEXCOORD_0: 2 non-finite values were set to 0")),
                    w);
            assertTrue(s.warnings().stream().anyMatch(x -> x.endsWith("COLOR_0: 2 non-finite values were set to 0")),
                    w);
            assertTrue(s.warnings().stream().anyMatch(x -> x.contains("non-finite NORMAL at vertex 2; the NORMAL "
                    + "attribute was dropped")), w);
        }
    }

    @Test
    void normalsOffUnitLengthByMoreThanTheToleranceAreRenormalizedAndOthersKeptAsWritten() throws IOException {
        // Lengths 1.0004 and 0.9996 are within 5e-4 of 1 and stay; 1.0006 and 0.9 are renormalized.
        float[] normals = {0, 0, 1.0004f, 0.9996f, 0, 0, 0, 1.0006f, 0, 0.9f, 0, 0};
        GltfFixture g = new GltfFixture();
        ObjectNode prim = g.mesh(g.positions(QUAD), -1, 0);
        prim.with("attributes").put("NORMAL", g.accessor(g.view(GltfFixture.floats(normals), 0), 5126, 4, "VEC3",
                false));
        g.node(0);
        try (Scene s = Formats.read(g.writeGltf(dir, "normals"))) {
            VertexAttribute n = first(s).attribute("NORMAL");
            assertEquals(1.0004f, n.get(0, 2));
            assertEquals(0.9996f, n.get(1, 0));
            assertEquals(1f, n.get(2, 1));
            assertEquals(1f, n.get(3, 0));
            assertTrue(s.warnings().stream().anyMatch(w -> w.endsWith("NORMAL: 2 vectors were not unit length and "
                    + "were renormalized")), s.warnings().toString());
        }
    }

    @Test
    void hugeAccessorCountHitsTheTriangleLimitBeforeAnyAllocation() throws IOException {
        GltfFixture g = new GltfFixture();
        g.mesh(g.accessor(-1, 5126, 2_000_000_000, "VEC3", false), -1, 4);
        g.node(0);
        Path p = g.writeGltf(dir, "huge");
        assertThrows(LimitExceededException.class, () -> Formats.read(p, new ReadOptions(1 << 20, 1000)));
    }

    @Test
    void dracoPrimitiveWithoutFallbackIsUnsupportedNamingTheExtension() throws IOException {
        GltfFixture g = new GltfFixture();
        ObjectNode p = g.mesh(g.accessor(-1, 5126, 3, "VEC3", false), -1, 4);
        p.putObject("extensions").putObject("KHR_draco_mesh_compression").put("bufferView", 0);
        g.node(0);
        g.array("extensionsRequired").add("KHR_draco_mesh_compression");
        Path file = g.writeGltf(dir, "draco");
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class, () -> Formats.read(file));
        assertTrue(e.getMessage().contains("KHR_draco_mesh_compression") && e.getMessage().contains(file.toString()));
    }

    @Test
    void uriLeavingTheFolderIsRefused() throws IOException {
        GltfFixture g = new GltfFixture();
        g.array("buffers").addObject().put("byteLength", 12).put("uri", "../../etc/passwd");
        g.array("bufferViews").addObject().put("buffer", 0).put("byteLength", 12);
        g.mesh(g.accessor(0, 5126, 1, "VEC3", false), -1, 0);
        g.node(0);
        Path p = dir.resolve("escape.gltf");
        Files.write(p, GltfFixture.MAPPER.writeValueAsBytes(g.root));
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertTrue(e.getMessage().contains("buffers[0]: the buffer file '../../etc/passwd' was not opened: it leaves "
                + "the model's folder"), e.getMessage());
    }

    @Test
    void glbTruncatedAtEveryLengthIsRefusedCleanly() throws IOException {
        GltfFixture g = new GltfFixture();
        g.mesh(g.positions(QUAD), g.accessor(g.view(GltfFixture.ints(0, 1, 2, 1, 3, 2), 0), 5125, 6, "SCALAR",
                false), 4);
        g.node(0);
        byte[] whole = g.glbBytes();
        Path p = dir.resolve("cut.glb");
        for (int n = 0; n < whole.length; n++) {
            Files.write(p, Arrays.copyOf(whole, n));
            try (Scene s = Formats.read(p)) {
                throw new AssertionError("a GLB cut to " + n + " of " + whole.length + " bytes was read: "
                        + s.triangleCount() + " triangles");
            } catch (MeshforgeException e) {
                assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
            }
        }
        Files.write(p, whole);
        try (Scene s = Formats.read(p)) {
            assertEquals(2, s.triangleCount());
        }
    }

    /** A buffer embedded as a data URI longer than Jackson's default 20 MB string cap is read. */
    @Test
    void aDataUriLongerThanTwentyMegabytesIsRead() throws IOException {
        byte[] buffer = new byte[16 << 20]; // 22.4M characters of base64
        java.nio.ByteBuffer.wrap(buffer).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putFloat(0).putFloat(0).putFloat(0).putFloat(1).putFloat(0).putFloat(0).putFloat(0).putFloat(2)
                .putFloat(0);
        String json = "{\"asset\":{\"version\":\"2.0\"},\"scene\":0,\"scenes\":[{\"nodes\":[0]}],"
                + "\"nodes\":[{\"mesh\":0}],\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0}}]}],"
                + "\"accessors\":[{\"bufferView\":0,\"componentType\":5126,\"count\":3,\"type\":\"VEC3\","
                + "\"min\":[0,0,0],\"max\":[1,2,0]}],\"bufferViews\":[{\"buffer\":0,\"byteLength\":36}],"
                + "\"buffers\":[{\"byteLength\":" + buffer.length + ",\"uri\":\"data:application/octet-stream;base64,"
                + Base64.getEncoder().encodeToString(buffer) + "\"}]}";
        Path file = dir.resolve("embedded.gltf");
        Files.writeString(file, json);
        try (Scene s = Formats.read(file)) {
            assertEquals(1, s.triangleCount());
            VertexAttribute p = s.roots().getFirst().mesh().primitives().getFirst()
                    .attribute(VertexAttribute.POSITION);
            assertEquals(2f, p.data().getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, 7));
        }
    }
}
