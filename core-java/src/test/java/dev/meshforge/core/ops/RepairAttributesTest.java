// Vertex attributes through the topological stage: every UV set and color set stays on the input's vertices,
// tangents go, and a material sampling UV set 1 still finds it in the glTF written afterwards.
package dev.meshforge.core.ops;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.AlphaMode;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Texture;
import dev.meshforge.core.scene.TextureSlot;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.VertexAttribute;
import dev.meshforge.core.testing.Fixtures;
import dev.meshforge.core.testing.GltfValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepairAttributesTest {
    /** The unit cube's corners and its 12 outward triangles, 3 indices each, the -x face last. */
    private static final float[][] CORNERS = Fixtures.cubeCorners();
    private static final int[] TRIANGLES = Arrays.stream(Fixtures.cubeTriangles()).flatMapToInt(Arrays::stream)
            .toArray();
    /** Attributes the fixture gives every corner, with their component counts. */
    private static final Map<String, Integer> CARRIED = Map.of("NORMAL", 3, "TEXCOORD_0", 2, "TEXCOORD_1", 2,
            "COLOR_0", 4, "COLOR_1", 3);

    @TempDir
    Path dir;

    /** What makes the cube need the topological stage. */
    enum Defect { MISSING_FACE, DUPLICATE_FACE }

    /** Corner v's value of component c of an attribute: distinct across corners, attributes and components. */
    private static float value(String attribute, int v, int c) {
        return switch (attribute) {
            case "NORMAL" -> (float) ((CORNERS[v][c] - 0.5) / Math.sqrt(0.75));
            case "TEXCOORD_0" -> c == 0 ? 0.1f * v : 0.2f;
            case "TEXCOORD_1" -> c == 0 ? 0.75f : 0.05f + 0.1f * v;
            default -> (v + 1) / 8f * (c + 1) / (attribute.equals("COLOR_0") ? 4 : 3);
        };
    }

    private static VertexAttribute attribute(Scene scene, String name, int components) {
        MemorySegment seg = scene.allocateFloats((long) CORNERS.length * components);
        VertexAttribute a = new VertexAttribute(name, components, CORNERS.length, seg);
        for (int v = 0; v < CORNERS.length; v++) {
            for (int c = 0; c < components; c++) {
                a.set(v, c, name.equals("TANGENT") ? (c == 1 ? 0 : 1) : value(name, v, c));
            }
        }
        return a;
    }

    /**
     * The cube over 8 shared corners with normals, two UV sets, two color sets and tangents, under a material
     * whose base-colour texture samples UV set 1.
     */
    private static Scene cube(Defect defect) {
        Scene scene = new Scene();
        int[] tris = switch (defect) {
            case MISSING_FACE -> Arrays.copyOf(TRIANGLES, TRIANGLES.length - 6);
            case DUPLICATE_FACE -> {
                int[] t = Arrays.copyOf(TRIANGLES, TRIANGLES.length + 3);
                System.arraycopy(TRIANGLES, 6, t, TRIANGLES.length, 3);
                yield t;
            }
        };
        MemorySegment pos = scene.allocateFloats(3L * CORNERS.length);
        for (int v = 0; v < CORNERS.length; v++) {
            MemorySegment.copy(CORNERS[v], 0, pos, ValueLayout.JAVA_FLOAT, 12L * v, 3);
        }
        MemorySegment idx = scene.allocateInts(tris.length);
        MemorySegment.copy(tris, 0, idx, ValueLayout.JAVA_INT, 0, tris.length);
        Primitive p = new Primitive(Topology.TRIANGLES,
                new VertexAttribute(VertexAttribute.POSITION, 3, CORNERS.length, pos), idx, tris.length);
        CARRIED.forEach((name, components) -> p.put(attribute(scene, name, components)));
        p.put(attribute(scene, "TANGENT", 4));
        scene.textures().add(new Texture("dot.png", "image/png", Fixtures.dotPng(3, 1, 0x20C040)));
        scene.materials().add(new Material("second set", new float[] {1, 1, 1, 1}, 0, 1, 0, -1, -1, -1, -1,
                new float[3], false, AlphaMode.OPAQUE, 0.5f, Map.of("baseColorTexture", new TextureSlot(1, 1f, null)),
                Map.of()));
        scene.addRoot(new Node("cube").mesh(new Mesh("cube").add(p.material(0))));
        return scene;
    }

    /** For every input corner, the output vertex at its position (an added patch vertex has none). */
    private static long[] originalVertices(Primitive out) {
        Map<List<Float>, Long> at = new HashMap<>();
        VertexAttribute pos = out.positions();
        for (long v = 0; v < out.vertexCount(); v++) {
            assertNull(at.put(List.of(pos.get(v, 0), pos.get(v, 1), pos.get(v, 2)), v), "one vertex a corner");
        }
        long[] found = new long[CORNERS.length];
        for (int v = 0; v < CORNERS.length; v++) {
            Long o = at.get(List.of(CORNERS[v][0], CORNERS[v][1], CORNERS[v][2]));
            assertNotNull(o, "corner " + v + " in the output");
            found[v] = o;
        }
        return found;
    }

    @ParameterizedTest
    @EnumSource(Defect.class)
    void topologicalStageKeepsEveryUvAndColorSetOnTheInputVerticesAndDropsTangents(Defect defect) {
        try (Scene scene = cube(defect)) {
            ToolResult<Repair.Report> result = Repair.run(scene);
            assertEquals(Repair.Stage.TOPOLOGICAL, result.report().stage());
            try (Scene out = result.scene()) {
                assertKept(out);
            }
        }
    }

    /** The one primitive of {@code out} holds every carried attribute's input values at the input corners. */
    private static void assertKept(Scene out) {
        assertEquals(1, out.roots().get(0).mesh().primitives().size());
        Primitive p = out.roots().get(0).mesh().primitives().get(0);
        assertEquals(12, p.triangleCount());
        long[] original = originalVertices(p);
        for (Map.Entry<String, Integer> e : CARRIED.entrySet()) {
            VertexAttribute a = p.attribute(e.getKey());
            assertNotNull(a, e.getKey() + " on the output");
            for (int v = 0; v < CORNERS.length; v++) {
                for (int c = 0; c < e.getValue(); c++) {
                    assertEquals(value(e.getKey(), v, c), a.get(original[v], c),
                            e.getKey() + "[" + c + "] of corner " + v);
                }
            }
        }
        assertEquals(1f, p.attribute("COLOR_1").get(original[5], 3), "COLOR_1 gains alpha 1");
        assertNull(p.attribute("TANGENT"), "tangents no longer match the repaired faces");
        assertEquals(0, p.material());
        assertEquals(1, out.materials().get(0).slot("baseColorTexture").texCoord());
        assertTrue(out.warnings().isEmpty(), out.warnings().toString());
    }

    @Test
    void repairedGlbKeepsTheTexturesUvSetAndPassesTheValidator() throws Exception {
        Path glb = dir.resolve("cube.glb");
        try (Scene scene = cube(Defect.MISSING_FACE); Scene out = Repair.run(scene).scene()) {
            Formats.write(out, glb, Format.GLB, WriteOptions.DEFAULTS);
        }
        GltfValidator.Report report = GltfValidator.validate(glb);
        assertEquals(0, report.errors(), () -> "validator errors: " + report.errorMessages());
        try (Scene back = Formats.read(glb)) {
            Primitive p = back.roots().get(0).mesh().primitives().get(0);
            Material m = back.materials().get(p.material());
            assertEquals(0, m.baseColorTexture(), "the material keeps its texture");
            assertEquals(1, m.slot("baseColorTexture").texCoord());
            long[] original = originalVertices(p);
            VertexAttribute uv = p.attribute("TEXCOORD_1");
            assertNotNull(uv, "TEXCOORD_1 in the file");
            for (int v = 0; v < CORNERS.length; v++) {
                assertArrayEquals(new float[] {value("TEXCOORD_1", v, 0), value("TEXCOORD_1", v, 1)},
                        new float[] {uv.get(original[v], 0), uv.get(original[v], 1)}, "corner " + v);
            }
        }
    }

    @Test
    void uvSetsBeyondTheKernelsAttributeLimitAreLeftOutWithAWarning() {
        try (Scene scene = cube(Defect.MISSING_FACE)) {
            Primitive p = scene.roots().get(0).mesh().primitives().get(0);
            for (int set = 2; set < 40; set++) {
                VertexAttribute uv = attribute(scene, "TEXCOORD_0", 2);
                p.put(new VertexAttribute("TEXCOORD_" + set, 2, uv.count(), uv.data()));
            }
            ToolResult<Repair.Report> result = Repair.run(scene);
            try (Scene out = result.scene()) {
                assertEquals(Repair.Stage.TOPOLOGICAL, result.report().stage());
                Primitive q = out.roots().get(0).mesh().primitives().get(0);
                // 3 base-colour floats, NORMAL 3, then TEXCOORD_n 2 and COLOR_n 4 set by set: 64 floats reach
                // TEXCOORD_24; COLOR_1 (set 1) came before them.
                assertNotNull(q.attribute("COLOR_1"));
                assertNotNull(q.attribute("TEXCOORD_24"));
                assertNull(q.attribute("TEXCOORD_25"));
                assertEquals(1, result.warnings().size(), result.warnings().toString());
                String warning = result.warnings().get(0);
                assertTrue(warning.contains("TEXCOORD_25") && warning.contains("TEXCOORD_39")
                        && warning.contains("64"), warning);
                assertEquals(result.warnings(), out.warnings());
                long[] original = originalVertices(q);
                assertEquals(value("TEXCOORD_0", 7, 0), q.attribute("TEXCOORD_24").get(original[7], 0));
            }
        }
    }
}
