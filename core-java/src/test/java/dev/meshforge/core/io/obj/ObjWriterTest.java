// OBJ writing: round trips through the reader, world placement, texture bytes, and OBJ -> GLB validated by Khronos.
package dev.meshforge.core.io.obj;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Texture;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.TriangleMesh;
import dev.meshforge.core.testing.Corpus;
import dev.meshforge.core.testing.GltfValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjWriterTest {
    @TempDir
    Path dir;

    /** Corner by corner, world positions agree within 1e-6 of the bounding-box diagonal. */
    static void assertSameTriangles(Scene expected, Scene actual) {
        assertEquals(expected.triangleCount(), actual.triangleCount(), "triangles");
        try (Arena a = Arena.ofConfined()) {
            TriangleMesh e = expected.worldTriangles(a);
            TriangleMesh g = actual.worldTriangles(a);
            double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
            for (long v = 0; v < e.vertexCount(); v++) {
                for (int k = 0; k < 3; k++) {
                    lo[k] = Math.min(lo[k], e.coordinate(v, k));
                    hi[k] = Math.max(hi[k], e.coordinate(v, k));
                }
            }
            double diag = Math.sqrt(Math.pow(hi[0] - lo[0], 2) + Math.pow(hi[1] - lo[1], 2)
                    + Math.pow(hi[2] - lo[2], 2));
            for (long i = 0; i < 3 * e.triangleCount(); i++) {
                for (int k = 0; k < 3; k++) {
                    double d = Math.abs(e.coordinate(e.index(i), k) - g.coordinate(g.index(i), k));
                    if (d > 1e-6 * diag) {
                        throw new AssertionError("corner " + i + " axis " + k + " moved by " + d + " (diagonal "
                                + diag + ")");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"obj/spider/spider.obj", "obj/fuze/fuze.obj", "obj/ai_meshanything_wand.obj",
            "obj/assimp/regr01.obj", "obj/extruder_idler_quads.obj", "obj/assimp/cube_usemtl.obj"})
    void corpusFileSurvivesWriteAndReadBack(String name) throws Exception {
        Path in = Corpus.root().resolve(name);
        Path out = dir.resolve("out.obj");
        try (Scene s = Formats.read(in)) {
            Formats.write(s, out, Format.OBJ, WriteOptions.DEFAULTS);
            try (Scene back = Formats.read(out)) {
                assertSameTriangles(s, back);
                assertEquals(s.materials().size(), back.materials().size(), "materials");
                for (int i = 0; i < s.textures().size(); i++) {
                    Texture t = s.textures().get(i);
                    if (t.bytes() != null) {
                        int j = i;
                        assertTrue(back.textures().stream().anyMatch(b -> java.util.Arrays.equals(b.bytes(),
                                s.textures().get(j).bytes())), "texture " + t.name() + " bytes unchanged");
                    }
                }
                assertEquals(hasColours(s), hasColours(back), "vertex colours");
                for (int i = 0; i < s.materials().size(); i++) {
                    assertArrayEquals(s.materials().get(i).baseColorFactor(), back.materials().get(i).baseColorFactor(),
                            1e-6f);
                }
            }
        }
    }

    private static boolean hasColours(Scene s) {
        return s.roots().stream().filter(n -> n.mesh() != null).flatMap(n -> n.mesh().primitives().stream())
                .anyMatch(p -> p.attribute("COLOR_0") != null);
    }

    @Test
    void placementsAreWrittenInWorldSpaceKeepingOutwardWinding() throws Exception {
        Path in = dir.resolve("tri.obj");
        Files.writeString(in, "v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\nvn 0 0 1\nf 1//1 3//1 2//1\nf 1//1 2//1 4//1\n"
                + "f 1//1 4//1 3//1\nf 2//1 3//1 4//1\n");
        try (Scene s = Formats.read(in)) {
            s.roots().get(0).local(Transform.translation(5, 0, 0).then(Transform.scale(-2, 1, 1)));
            Path out = dir.resolve("placed.obj");
            Formats.write(s, out, Format.OBJ, WriteOptions.DEFAULTS);
            try (Scene back = Formats.read(out)) {
                assertSameTriangles(s, back);
                assertTrue(back.roots().get(0).local().isIdentity());
                // The normal (0,0,1) stays (0,0,1) under x mirroring.
                assertEquals(1f, back.roots().get(0).mesh().primitives().get(0).attribute("NORMAL").get(0, 2),
                        1e-6f);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"obj/spider/spider.obj", "obj/ai_meshanything_wand.obj", "obj/assimp/regr01.obj",
            "obj/fuze/fuze.obj", "obj/assimp/testline.obj"})
    void objToGlbPassesTheKhronosValidator(String name) throws Exception {
        Path out = dir.resolve("out.glb");
        try (Scene s = Formats.read(Corpus.root().resolve(name))) {
            Formats.write(s, out, Format.GLB, WriteOptions.DEFAULTS);
        }
        GltfValidator.Report r = GltfValidator.validate(out);
        assertEquals(0, r.errors(), () -> "validator errors: " + r.errorMessages());
    }
}
