package dev.meshforge.core.optimize;

import dev.meshforge.core.io.Formats;
import dev.meshforge.core.kernel.Kernel;
import dev.meshforge.core.ops.Optimize;
import dev.meshforge.core.ops.RunControl;
import dev.meshforge.core.ops.ToolResult;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.VertexAttribute;
import dev.meshforge.core.testing.AssimpReader;
import dev.meshforge.core.testing.Corpus;
import dev.meshforge.core.testing.GltfValidator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web preset on corpus glTF files: the Khronos validator finds no error, our reader and assimp read the input's
 * drawn triangles back (those whose three corners are three different vertices: a triangle naming one vertex twice
 * has no area and is dropped), and every written vertex lies within the quantization step of an input vertex and
 * every input vertex within it of a written one (world space, after our reader decodes quantization and
 * compression).
 */
class OptimizeCorpusTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"glb/scallop_120k.glb", "glb/DamagedHelmet.glb", "glb/2CylinderEngine.glb",
            "glb/retroufo.glb", "glb/ai_hunyuan3d21_textured_case1.glb", "glb/CesiumMilkTruck.glb", "glb/Fox.glb",
            "gltf/MorphStressTest.gltf", "glb/BoxVertexColors.glb", "gltf/BoxTextured_embedded.gltf"})
    void theWebPresetIsValidKeepsTrianglesAndStaysWithinTheQuantizationStep(String name) throws Exception {
        Path in = Corpus.root().resolve(name);
        Assumptions.assumeTrue(Files.exists(in), () -> "corpus file " + in + " is absent");
        Path out = dir.resolve("out.glb");
        try (Scene input = Formats.read(in);
             ToolResult<Optimize.Report> r = Optimize.TOOL.run(input, Optimize.Preset.WEB.options(out),
                     RunControl.DEFAULTS)) {
            r.report().toText().forEach(l -> System.out.println(name + ": " + l));
            GltfValidator.Report v = GltfValidator.validate(out);
            assertEquals(0, v.errors(), () -> "validator errors: " + v.errorMessages());
            try (Scene back = Formats.read(out)) {
                assertEquals(drawnTriangles(input), back.triangleCount());
                assertEquals(input.skins().size(), back.skins().size());
                assertEquals(input.animations().size(), back.animations().size());
                assertEquals(morphTargets(input), morphTargets(back));
                double[] measured = VertexDistance.bothWays(input, back);
                double step = VertexDistance.diagonal(input) / ((1 << 14) - 1);
                double bound = step * Math.sqrt(3) / 2 * 1.001 + 1e-6 * VertexDistance.diagonal(input);
                System.out.printf("%s: nearest-vertex distance out->in %.3g, in->out %.3g, bound %.3g%n", name,
                        measured[0], measured[1], bound);
                assertTrue(measured[0] <= bound && measured[1] <= bound,
                        () -> "vertices moved " + measured[0] + " / " + measured[1] + ", more than " + bound);
            }
        }
        // assimp does not decode EXT_meshopt_compression: it counts the triangles of the same steps written
        // quantized (KHR_mesh_quantization) without compression.
        Path quantized = dir.resolve("quantized.glb");
        Optimize.Options web = Optimize.Preset.WEB.options(quantized);
        try (Scene input = Formats.read(in);
             ToolResult<Optimize.Report> r = Optimize.TOOL.run(input, new Optimize.Options(quantized, true, true, true,
                     1, 0, true, web.encoding().withMeshoptCompression(false), web.maxTextureSize(),
                     web.jpegQuality()), RunControl.DEFAULTS)) {
            assertEquals(drawnTriangles(input), AssimpReader.read(quantized).triangles());
        }
    }

    /**
     * The mobile preset simplifies to half the triangles unless the surface would move more than 1 % of the extent:
     * the output is valid, assimp counts what our reader counts, and the kernel's sampled Hausdorff distance both
     * ways stays within that 1 % plus the quantization step.
     */
    @ParameterizedTest
    @ValueSource(strings = {"glb/ai_hunyuan3d21_textured_case1.glb", "glb/DamagedHelmet.glb"})
    void theMobilePresetSimplifiesWithinItsErrorBound(String name) throws Exception {
        Path in = Corpus.root().resolve(name);
        Assumptions.assumeTrue(Files.exists(in), () -> "corpus file " + in + " is absent");
        Path out = dir.resolve("mobile.glb");
        Path plain = dir.resolve("mobile-plain.glb");
        try (Scene input = Formats.read(in);
             ToolResult<Optimize.Report> r = Optimize.TOOL.run(input, Optimize.Preset.MOBILE.options(out),
                     RunControl.DEFAULTS)) {
            r.report().toText().stream().limit(12).forEach(l -> System.out.println(name + ": " + l));
            GltfValidator.Report v = GltfValidator.validate(out);
            assertEquals(0, v.errors(), () -> "validator errors: " + v.errorMessages());
            long kept = r.report().outputTriangles();
            assertTrue(kept < input.triangleCount(), "simplified: " + kept);
            try (Scene back = Formats.read(out);
                 Arena arena = Arena.ofConfined()) {
                assertEquals(kept, back.triangleCount());
                double[] h = Kernel.hausdorff(input.worldTriangles(arena), back.worldTriangles(arena), 200_000);
                double extent = VertexDistance.diagonal(input) / Math.sqrt(3);
                System.out.printf("%s: %d -> %d triangles, Hausdorff in->out %.3g out->in %.3g (diagonal %.3g)%n",
                        name, input.triangleCount(), kept, h[0], h[1], h[2]);
                double bound = 0.01 * VertexDistance.diagonal(input) + h[2] / ((1 << 14) - 1);
                assertTrue(h[0] <= bound && h[1] <= bound, () -> "Hausdorff " + h[0] + " / " + h[1]
                        + " above " + bound + " (extent " + extent + ")");
            }
            Optimize.Options m = Optimize.Preset.MOBILE.options(plain);
            try (ToolResult<Optimize.Report> q = Optimize.TOOL.run(input, new Optimize.Options(plain, true, true,
                    true, m.simplifyRatio(), m.simplifyError(), true, m.encoding().withMeshoptCompression(false),
                    m.maxTextureSize(), m.jpegQuality()), RunControl.DEFAULTS)) {
                assertEquals(q.report().outputTriangles(), AssimpReader.read(plain).triangles());
            }
        }
    }

    /** A .gltf with its .bin beside it, and the print-preview preset's 16-bit positions, are valid too. */
    @ParameterizedTest
    @ValueSource(strings = {"glb/CesiumMilkTruck.glb", "gltf/BoxTextured_embedded.gltf"})
    void aGltfWithItsBinAndThePrintPreviewPresetAreValid(String name) throws Exception {
        Path in = Corpus.root().resolve(name);
        Assumptions.assumeTrue(Files.exists(in), () -> "corpus file " + in + " is absent");
        Path out = dir.resolve("preview.gltf");
        try (Scene input = Formats.read(in);
             ToolResult<Optimize.Report> r = Optimize.TOOL.run(input, Optimize.Preset.PRINT_PREVIEW.options(out),
                     RunControl.DEFAULTS)) {
            GltfValidator.Report v = GltfValidator.validate(out);
            assertEquals(0, v.errors(), () -> "validator errors: " + v.errorMessages());
            assertTrue(Files.isRegularFile(dir.resolve("preview.bin")));
            try (Scene back = Formats.read(out)) {
                assertEquals(drawnTriangles(input), back.triangleCount());
                double[] measured = VertexDistance.bothWays(input, back);
                double bound = VertexDistance.diagonal(input) / ((1 << 16) - 1) * Math.sqrt(3) / 2 * 1.001
                        + 1e-6 * VertexDistance.diagonal(input);
                assertTrue(measured[0] <= bound && measured[1] <= bound,
                        () -> "vertices moved " + measured[0] + " / " + measured[1] + ", more than " + bound);
            }
        }
    }

    /**
     * Triangles of every placement whose three corners are three different vertices, two vertices being the same
     * when every attribute and morph-target value agrees bit for bit (-0 as 0).
     */
    static long drawnTriangles(Scene s) {
        long[] n = {0};
        s.forEachPlacedMesh((m, t) -> {
            for (Primitive p : m.primitives()) {
                if (p.topology() != Topology.TRIANGLES) {
                    continue;
                }
                List<VertexAttribute> columns = new ArrayList<>(p.attributes().values());
                p.targets().forEach(target -> columns.addAll(target.values()));
                for (long f = 0; f < p.triangleCount(); f++) {
                    int a = p.index(3 * f), b = p.index(3 * f + 1), c = p.index(3 * f + 2);
                    if (!same(columns, a, b) && !same(columns, b, c) && !same(columns, a, c)) {
                        n[0]++;
                    }
                }
            }
        });
        return n[0];
    }

    private static boolean same(List<VertexAttribute> columns, int a, int b) {
        if (a == b) {
            return true;
        }
        for (VertexAttribute col : columns) {
            for (int k = 0; k < col.components(); k++) {
                float x = col.get(a, k), y = col.get(b, k);
                if (x != y && !(Float.isNaN(x) && Float.isNaN(y))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static long morphTargets(Scene s) {
        long[] n = {0};
        s.forEachPlacedMesh((m, t) -> m.primitives().forEach(p -> n[0] += p.targets().size()));
        return n[0];
    }
}
