// Every glTF and GLB file of the shared corpus: read with the facts' counts, or refused with a clear message;
// and every readable one written back as GLB and as .gltf, valid per the Khronos validator, re-read equal.
package dev.meshforge.core.io.gltf;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.UnsupportedFeatureException;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.TriangleMesh;
import dev.meshforge.core.testing.Corpus;
import dev.meshforge.core.testing.GltfValidator;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GltfCorpusTest {
    /** Files that must be refused, with a word the one-sentence message must contain. */
    private static final Map<String, String> REFUSED = Map.of(
            "gltf/broken/badArray.gltf", "must be an array",
            "gltf/broken/IndexOutOfRange.gltf", "out of range",
            "gltf/broken/missing_bin/BoxTextured.gltf", "is missing",
            "gltf/broken/RecursiveNodes.gltf", "cycle",
            "glb/broken/BoxWithInfinites.glb", "non-finite");
    /** Valid files using a compression meshforge cannot decode. */
    private static final Map<String, String> UNSUPPORTED = Map.of(
            "gltf/draco/2CylinderEngine.gltf", "KHR_draco_mesh_compression");

    @TempDir
    Path tmp;

    private static List<Corpus.Fact> models() {
        List<Corpus.Fact> all = new ArrayList<>(Corpus.facts("glb/"));
        all.addAll(Corpus.facts("gltf/"));
        all.removeIf(f -> !(f.file().endsWith(".glb") || f.file().endsWith(".gltf")));
        return all;
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusFileIsReadWithItsFactsOrRefusedClearly() {
        return models().stream().map(f -> DynamicTest.dynamicTest(f.file(), () -> {
            if (REFUSED.containsKey(f.file())) {
                BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(f.path()).close());
                assertTrue(e.getMessage().contains(f.path().toString()), e.getMessage());
                assertTrue(e.getMessage().contains(REFUSED.get(f.file())), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
                return;
            }
            if (UNSUPPORTED.containsKey(f.file())) {
                UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                        () -> Formats.read(f.path()).close());
                assertTrue(e.getMessage().contains(f.path().toString()), e.getMessage());
                assertTrue(e.getMessage().contains(UNSUPPORTED.get(f.file())), e.getMessage());
                return;
            }
            try (Scene s = Formats.read(f.path())) {
                if (f.get("triangles") >= 0) {
                    assertEquals(f.get("triangles"), s.triangleCount(), "triangles");
                }
                if (f.get("materials") >= 0) {
                    assertEquals(f.get("materials"), s.materials().size(), "materials");
                }
                if (f.get("textures") >= 0) {
                    assertTrue(s.textures().size() >= f.get("textures"), "textures: " + s.textures().size());
                    assertTrue(s.textures().stream().allMatch(t -> t.bytes().length > 0), "image bytes present");
                }
                assertEquals(f.json().path("vertex_colors").asBoolean(false), hasVertexColors(s), "vertex colors");
            }
        }));
    }

    static boolean hasVertexColors(Scene s) {
        boolean[] found = {false};
        s.forEachPlacedMesh((m, t) -> {
            for (Primitive p : m.primitives()) {
                found[0] |= p.attribute("COLOR_0") != null;
            }
        });
        return found[0];
    }

    @TestFactory
    Stream<DynamicTest> everyReadableCorpusFileWritesValidGlbAndGltfThatReadBackEqual() {
        return models().stream().filter(f -> !REFUSED.containsKey(f.file()) && !UNSUPPORTED.containsKey(f.file()))
                .flatMap(f -> Stream.of(Format.GLB, Format.GLTF).map(format ->
                        DynamicTest.dynamicTest(f.file() + " -> " + format, () -> roundTrip(f, format))));
    }

    private void roundTrip(Corpus.Fact f, Format format) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "out");
        Path out = dir.resolve("model." + format.extension());
        try (Scene s = Formats.read(f.path())) {
            Formats.write(s, out, format, WriteOptions.DEFAULTS);
            GltfValidator.Report report = GltfValidator.validate(out);
            assertEquals(0, report.errors(), () -> "validator errors: " + report.errorMessages());
            try (Scene back = Formats.read(out)) {
                assertEquals(s.triangleCount(), back.triangleCount(), "triangles after the round trip");
                assertSamePositions(s, back);
                assertEquals(s.materials().size(), back.materials().size(), "materials");
                assertEquals(hasVertexColors(s), hasVertexColors(back), "vertex colors");
                assertEquals(s.skins().size(), back.skins().size(), "skins");
                assertEquals(s.animations().size(), back.animations().size(), "animations");
                assertEquals(s.textures().size(), back.textures().size(), "textures");
                for (int i = 0; i < s.textures().size(); i++) {
                    assertArrayEquals(s.textures().get(i).bytes(), back.textures().get(i).bytes(), "image " + i);
                }
                for (int i = 0; i < s.materials().size(); i++) {
                    assertEquals(s.materials().get(i).extensions().keySet(),
                            back.materials().get(i).extensions().keySet(), "extensions of material " + i);
                }
            }
        }
    }

    /** Every triangle corner in world space, within 1e-6 of the bounding box diagonal. */
    static void assertSamePositions(Scene a, Scene b) {
        try (Arena arena = Arena.ofConfined()) {
            TriangleMesh ma = a.worldTriangles(arena);
            TriangleMesh mb = b.worldTriangles(arena);
            assertEquals(ma.triangleCount(), mb.triangleCount());
            double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
            for (long v = 0; v < ma.vertexCount() * 3; v++) {
                double x = ma.coordinate(v / 3, (int) (v % 3));
                lo[(int) (v % 3)] = Math.min(lo[(int) (v % 3)], x);
                hi[(int) (v % 3)] = Math.max(hi[(int) (v % 3)], x);
            }
            double diag = ma.vertexCount() == 0 ? 0 : Math.sqrt(Math.pow(hi[0] - lo[0], 2)
                    + Math.pow(hi[1] - lo[1], 2) + Math.pow(hi[2] - lo[2], 2));
            double tol = Math.max(1e-6 * diag, 1e-12);
            for (long i = 0; i < ma.triangleCount() * 3; i++) {
                long va = ma.index(i);
                long vb = mb.index(i);
                for (int c = 0; c < 3; c++) {
                    double pa = ma.coordinate(va, c);
                    double pb = mb.coordinate(vb, c);
                    if (Math.abs(pa - pb) > tol) {
                        throw new AssertionError("corner " + i + " axis " + c + ": " + pa + " became " + pb
                                + " (tolerance " + tol + ")");
                    }
                }
            }
        }
    }

}
