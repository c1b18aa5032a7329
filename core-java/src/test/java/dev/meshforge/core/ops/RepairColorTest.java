// Colours of the volumetric stage's output: sampled from the input's base-colour textures and factors (times its
// vertex colours) at the closest input point. A generated fixture with known coloured regions, and corpus files
// whose mean output colour is compared with the mean base colour over the input surface measured here.
package dev.meshforge.core.ops;

import dev.meshforge.core.ops.Inspect;
import dev.meshforge.core.inspect.MeshReport;
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
import dev.meshforge.core.testing.Corpus;
import dev.meshforge.core.testing.GltfValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepairColorTest {
    /** sRGB 128/255 in linear. */
    private static final float GREY = 0.2158605f;
    private static final float[] FACTOR_A = {0.5f, 1f, 1f, 1f};
    private static final float[] FACTOR_B = {0.2f, 0.4f, 1f, 1f};
    private static final float[] COLOR_B = {0.5f, 1f, 0.5f, 1f};
    /**
     * Unsimplified, so that output vertices are spread evenly (a simplified flat region keeps few vertices, and a
     * vertex-colour mean over its large triangles says little about the texture under them).
     */
    private static final Repair.Options FINE = Repair.Options.DEFAULTS.withQuality(Repair.Quality.LOW)
            .withTargetTriangles(50_000_000);

    /**
     * A 64 x 64 PNG of four quadrants (u right, v down): red, green / blue, sRGB grey.
     */
    private static byte[] quadrants() throws IOException {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, y < 32 ? (x < 32 ? 0xFF0000 : 0x00FF00) : (x < 32 ? 0x0000FF : 0x808080));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /**
     * Two overlapping cubes (so the volumetric stage runs). Cube A, [0,1]^3, material 0: a base-colour texture
     * through TEXCOORD_1 (named by the KHR_texture_transform's texCoord; TEXCOORD_0 points at the wrong
     * quadrant) with a scale of 0.5; each face's UVs cover the middle of one quadrant at twice the size, the -z
     * face's shifted by 2 so that only REPEAT brings it back. Faces x: red, y: green, -z: blue, +z: grey.
     * Cube B, [0.5,1.5]^3, material 1: factor FACTOR_B, no texture, vertex colour COLOR_B.
     */
    private static Scene twoCubes(byte[] texture) {
        Scene scene = new Scene();
        scene.textures().add(new Texture("quadrants.png", "image/png", texture));
        var transform = new TextureSlot.UvTransform(0, 0, 0, 0.5f, 0.5f, 1);
        scene.materials().add(new Material("A", FACTOR_A.clone(), 0, 1, 0, -1, -1, -1, -1, new float[3], false,
                AlphaMode.OPAQUE, 0.5f, Map.of("baseColorTexture", new TextureSlot(0, 1f, transform)), Map.of()));
        scene.materials().add(Material.ofColor("B", FACTOR_B[0], FACTOR_B[1], FACTOR_B[2], FACTOR_B[3]));
        Mesh mesh = new Mesh("cubes");
        // Quadrant origins in texture space, per face: -x, +x, -y, +y, -z, +z.
        float[][] quadrant = {{0, 0}, {0, 0}, {0.5f, 0}, {0.5f, 0}, {0, 0.5f}, {0.5f, 0.5f}};
        mesh.add(cube(scene, 0, (face, s, t) -> {
            float u = 2 * (quadrant[face][0] + 0.05f + 0.4f * s) + (face == 4 ? 2 : 0);
            float v = 2 * (quadrant[face][1] + 0.05f + 0.4f * t);
            return new float[] {u, v};
        }, null).material(0));
        mesh.add(cube(scene, 0.5f, null, COLOR_B).material(1));
        scene.addRoot(new Node("cubes").mesh(mesh));
        return scene;
    }

    private interface FaceUv {
        float[] at(int face, float s, float t);
    }

    /** An outward unit cube at {@code origin} with 4 vertices a face; UVs in TEXCOORD_1 where given. */
    private static Primitive cube(Scene scene, float origin, FaceUv uv, float[] color) {
        return cube(scene, origin, uv, color, 0, 6);
    }

    /** Faces {@code from} to {@code to} - 1 (-x, +x, -y, +y, -z, +z) of that cube. */
    private static Primitive cube(Scene scene, float origin, FaceUv uv, float[] color, int from, int to) {
        int n = 4 * (to - from);
        MemorySegment pos = scene.allocateFloats(n * 3);
        MemorySegment uv0 = scene.allocateFloats(n * 2);
        MemorySegment uv1 = scene.allocateFloats(n * 2);
        MemorySegment col = scene.allocateFloats(n * 4);
        MemorySegment idx = scene.allocateInts(6L * (to - from));
        int v = 0;
        int i = 0;
        for (int face = from; face < to; face++) {
            int axis = face / 2;
            boolean positive = face % 2 == 1;
            int a = (axis + 1) % 3;
            int b = (axis + 2) % 3;
            for (int corner = 0; corner < 4; corner++) {
                float s = corner == 1 || corner == 2 ? 1 : 0;
                float t = corner >= 2 ? 1 : 0;
                float[] p = new float[3];
                p[axis] = origin + (positive ? 1 : 0);
                p[a] = origin + s;
                p[b] = origin + t;
                MemorySegment.copy(p, 0, pos, ValueLayout.JAVA_FLOAT, 12L * (v + corner), 3);
                if (uv != null) {
                    MemorySegment.copy(uv.at(face, s, t), 0, uv1, ValueLayout.JAVA_FLOAT, 8L * (v + corner), 2);
                    MemorySegment.copy(new float[] {1.8f, 1.8f}, 0, uv0, ValueLayout.JAVA_FLOAT, 8L * (v + corner), 2);
                }
                if (color != null) {
                    MemorySegment.copy(color, 0, col, ValueLayout.JAVA_FLOAT, 16L * (v + corner), 4);
                }
            }
            // (s, t) runs along axes a, b: a x b is +axis, so 0-1-2 is outward on the positive face.
            int[] order = positive ? new int[] {0, 1, 2, 0, 2, 3} : new int[] {0, 2, 1, 0, 3, 2};
            for (int k : order) {
                idx.setAtIndex(ValueLayout.JAVA_INT, i++, v + k);
            }
            v += 4;
        }
        Primitive p = new Primitive(Topology.TRIANGLES, new VertexAttribute(VertexAttribute.POSITION, 3, n, pos),
                idx, i);
        if (uv != null) {
            p.put(new VertexAttribute("TEXCOORD_0", 2, n, uv0));
            p.put(new VertexAttribute("TEXCOORD_1", 2, n, uv1));
        }
        if (color != null) {
            p.put(new VertexAttribute("COLOR_0", 4, n, col));
        }
        return p;
    }

    /** A box region of space and the colour every output vertex in it must have. */
    private record Region(String name, float[] lo, float[] hi, float[] rgb) {
        boolean contains(float x, float y, float z) {
            return x > lo[0] && x < hi[0] && y > lo[1] && y < hi[1] && z > lo[2] && z < hi[2];
        }
    }

    /** Face interiors, 0.05 away from every edge; the output lies within a grid cell (0.015) of the input. */
    private static List<Region> regions(float[] aRed, float[] aGreen, float[] aBlue, float[] aGrey) {
        float[] b = {FACTOR_B[0] * COLOR_B[0], FACTOR_B[1] * COLOR_B[1], FACTOR_B[2] * COLOR_B[2]};
        return List.of(
                new Region("A -x", new float[] {-0.03f, 0.05f, 0.05f}, new float[] {0.03f, 0.95f, 0.95f}, aRed),
                new Region("A -y", new float[] {0.05f, -0.03f, 0.05f}, new float[] {0.95f, 0.03f, 0.95f}, aGreen),
                new Region("A -z", new float[] {0.05f, 0.05f, -0.03f}, new float[] {0.95f, 0.95f, 0.03f}, aBlue),
                new Region("A +z", new float[] {0.05f, 0.05f, 0.97f}, new float[] {0.45f, 0.45f, 1.03f}, aGrey),
                new Region("B +x", new float[] {1.47f, 0.55f, 0.55f}, new float[] {1.53f, 1.45f, 1.45f}, b),
                new Region("B +y", new float[] {0.55f, 1.47f, 0.55f}, new float[] {1.45f, 1.53f, 1.45f}, b));
    }

    private static void assertRegions(ToolResult<Repair.Report> result, List<Region> regions) {
        assertEquals(Repair.Stage.VOLUMETRIC, result.report().stage());
        Primitive out = result.scene().roots().get(0).mesh().primitives().get(0);
        VertexAttribute color = out.attribute("COLOR_0");
        assertNotNull(color, "COLOR_0 on the output");
        assertEquals(4, color.components());
        VertexAttribute pos = out.positions();
        int[] seen = new int[regions.size()];
        for (long v = 0; v < out.vertexCount(); v++) {
            float x = pos.get(v, 0);
            float y = pos.get(v, 1);
            float z = pos.get(v, 2);
            for (int r = 0; r < regions.size(); r++) {
                Region region = regions.get(r);
                if (region.contains(x, y, z)) {
                    seen[r]++;
                    float[] rgba = {color.get(v, 0), color.get(v, 1), color.get(v, 2), color.get(v, 3)};
                    assertArrayEquals(new float[] {region.rgb[0], region.rgb[1], region.rgb[2], 1f}, rgba, 0.01f,
                            region.name + " at (" + x + ", " + y + ", " + z + ")");
                }
            }
        }
        for (int r = 0; r < regions.size(); r++) {
            assertTrue(seen[r] > 100, regions.get(r).name + ": only " + seen[r] + " output vertices");
        }
        // One plain white material so the vertex colours show; the texture is gone.
        assertEquals(1, result.scene().materials().size());
        Material m = result.scene().materials().get(out.material());
        assertArrayEquals(new float[] {1, 1, 1, 1}, m.baseColorFactor());
        assertEquals(-1, m.baseColorTexture());
        assertTrue(result.scene().textures().isEmpty());
        assertTrue(out.attribute("TEXCOORD_0") == null && out.attribute("TEXCOORD_1") == null);
    }

    @Test
    void volumetricOutputTakesEachRegionsColourFromTheTextureFactorAndVertexColours() throws IOException {
        try (Scene scene = twoCubes(quadrants())) {
            ToolResult<Repair.Report> result = Repair.run(scene, FINE);
            try (Scene out = result.scene()) {
                float f = FACTOR_A[0];
                assertRegions(result, regions(new float[] {f, 0, 0}, new float[] {0, 1, 0}, new float[] {0, 0, 1},
                        new float[] {f * GREY, GREY, GREY}));
                assertTrue(result.warnings().isEmpty(), result.warnings().toString());
            }
        }
    }

    @Test
    void anUndecodableTextureIsWarnedAboutAndItsFactorColoursTheSurface() {
        try (Scene scene = twoCubes("not a png".getBytes(StandardCharsets.US_ASCII))) {
            ToolResult<Repair.Report> result = Repair.run(scene, FINE);
            try (Scene out = result.scene()) {
                float[] factor = {FACTOR_A[0], FACTOR_A[1], FACTOR_A[2]};
                assertRegions(result, regions(factor, factor, factor, factor));
                assertEquals(1, result.warnings().size(), result.warnings().toString());
                assertTrue(result.warnings().get(0).contains("quadrants.png")
                        && result.warnings().get(0).contains("could not be decoded"), result.warnings().get(0));
                assertEquals(result.warnings(), out.warnings());
            }
        }
    }

    @Test
    void topologicalStageKeepsEachTrianglesMaterial() {
        // A cube whose -x, +x, -y faces have material 0 and whose +y, -z faces have material 1; +z is missing.
        try (Scene scene = new Scene()) {
            scene.materials().add(Material.ofColor("zero", 1, 0, 0, 1));
            scene.materials().add(Material.ofColor("one", 0, 0, 1, 1));
            scene.addRoot(new Node("cube").mesh(new Mesh("cube")
                    .add(cube(scene, 0, null, null, 0, 3).material(0))
                    .add(cube(scene, 0, null, null, 3, 5).material(1))));
            ToolResult<Repair.Report> result = Repair.run(scene);
            assertEquals(Repair.Stage.TOPOLOGICAL, result.report().stage());
            try (Scene out = result.scene()) {
                List<Primitive> parts = out.roots().get(0).mesh().primitives();
                assertEquals(2, parts.size());
                assertEquals(0, parts.get(0).material());
                assertEquals(1, parts.get(1).material());
                // The hole's two triangles go to whichever material most of their corners came from.
                assertEquals(12, parts.get(0).triangleCount() + parts.get(1).triangleCount());
                assertTrue(parts.get(0).triangleCount() >= 6 && parts.get(1).triangleCount() >= 4,
                        parts.get(0).triangleCount() + " + " + parts.get(1).triangleCount());
                for (Primitive p : parts) { // compact: every vertex is used
                    java.util.Set<Integer> used = new java.util.HashSet<>();
                    for (long k = 0; k < p.indexCount(); k++) {
                        used.add(p.index(k));
                    }
                    assertEquals(p.vertexCount(), used.size());
                }
                assertEquals(scene.materials(), out.materials());
                MeshReport after = Inspect.report(out);
                assertTrue(after.watertight(), after.toMap().toString());
                assertEquals(1.0, after.volume(), 1e-6);
            }
        }
    }

    /**
     * Textured corpus files that need the volumetric stage: COLOR_0 on every output vertex, a GLB the validator
     * accepts, an area-weighted mean colour within 0.06 (linear, per channel) of the mean base colour over the
     * input surface the solid kept (an open sheet becomes a slab whose two sides both carry its colour, so the output
     * weighs sheets twice: CesiumMilkTruck's output mean measured 0.052 above its input's), and 95% of sampled
     * vertices within 0.05 of the base colour at their closest input point; both measured here with ImageIO's
     * decoder, nearest-texel lookups and a brute-force search.
     */
    @ParameterizedTest
    @ValueSource(strings = {"glb/Duck.glb", "obj/spider/spider.obj", "glb/CesiumMilkTruck.glb"})
    void texturedCorpusFilesComeOutColouredLikeTheirTextures(String file, @TempDir Path dir) throws Exception {
        try (Scene scene = Formats.read(Corpus.root().resolve(file))) {
            ToolResult<Repair.Report> result = Repair.run(scene, FINE);
            try (Scene out = result.scene()) {
                assertEquals(Repair.Stage.VOLUMETRIC, result.report().stage());
                Primitive p = out.roots().get(0).mesh().primitives().get(0);
                List<InputTriangle> input = inputTriangles(scene);
                double[] expected = meanInputColour(input, new NearOutput(p, 1.5 * cellSize(scene, result)));
                VertexAttribute color = p.attribute("COLOR_0");
                assertNotNull(color, "COLOR_0");
                assertEquals(p.vertexCount(), color.count());
                for (long v = 0; v < color.count(); v++) {
                    for (int c = 0; c < 4; c++) {
                        float x = color.get(v, c);
                        assertTrue(x >= 0 && x <= 1, "vertex " + v + " channel " + c + ": " + x);
                    }
                }
                double[] actual = meanOutputColour(p);
                System.out.printf(Locale.ROOT, "%s: mean base colour over the input %.4f %.4f %.4f, over the "
                                + "output %.4f %.4f %.4f; %d output vertices%n", file, expected[0], expected[1],
                        expected[2], actual[0], actual[1], actual[2], p.vertexCount());
                double[] errors = perVertexErrors(p, input, (int) Math.max(1, p.vertexCount() / 2000));
                double within = Arrays.stream(errors).filter(e -> e <= 0.05).count() / (double) errors.length;
                System.out.printf(Locale.ROOT, "%s: per-vertex error vs brute-force closest point: median %.4f, "
                                + "90th %.4f, %.1f%% within 0.05 (%d vertices)%n", file, errors[errors.length / 2],
                        errors[errors.length * 9 / 10], 100 * within, errors.length);
                assertArrayEquals(expected, actual, 0.06, "mean linear RGB, input vs output");
                assertTrue(within >= 0.95, 100 * within + "% of the vertices within 0.05 of the closest input colour");
                assertTrue(out.textures().isEmpty(), "no textures left");
                Path glb = dir.resolve("repaired.glb");
                Formats.write(out, glb, Format.GLB, WriteOptions.DEFAULTS);
                GltfValidator.Report report = GltfValidator.validate(glb);
                assertEquals(0, report.errors(), "validator errors " + report.errorMessages());
            }
        }
    }

    /** The volumetric grid's cell: the input's longest bounding-box side over the resolution. */
    private static double cellSize(Scene scene, ToolResult<Repair.Report> result) {
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        double[] w = new double[3];
        scene.forEachPlacedMesh((mesh, t) -> {
            for (Primitive p : mesh.primitives()) {
                for (long v = 0; v < p.vertexCount(); v++) {
                    t.applyToPoint(p.positions().get(v, 0), p.positions().get(v, 1), p.positions().get(v, 2), w);
                    for (int k = 0; k < 3; k++) {
                        lo[k] = Math.min(lo[k], w[k]);
                        hi[k] = Math.max(hi[k], w[k]);
                    }
                }
            }
        });
        return Math.max(hi[0] - lo[0], Math.max(hi[1] - lo[1], hi[2] - lo[2])) / result.report().gridResolution();
    }

    /**
     * Whether a point has an output vertex within {@code radius}: the input surface the solid kept, as opposed to
     * inner parts and walls it dropped (whose colours the output cannot show). A hash grid of radius-sized cells.
     */
    private static final class NearOutput {
        private final double radius;
        private final Map<Long, List<float[]>> cells = new HashMap<>();

        NearOutput(Primitive p, double radius) {
            this.radius = radius;
            VertexAttribute pos = p.positions();
            for (long v = 0; v < p.vertexCount(); v++) {
                float[] xyz = {pos.get(v, 0), pos.get(v, 1), pos.get(v, 2)};
                cells.computeIfAbsent(key(cell(xyz[0]), cell(xyz[1]), cell(xyz[2])), k -> new ArrayList<>()).add(xyz);
            }
        }

        private long cell(double x) {
            return (long) Math.floor(x / radius);
        }

        private static long key(long x, long y, long z) {
            return (x * 73856093L) ^ (y * 19349663L) ^ (z * 83492791L);
        }

        boolean test(double x, double y, double z) {
            long cx = cell(x);
            long cy = cell(y);
            long cz = cell(z);
            for (long i = cx - 1; i <= cx + 1; i++) {
                for (long j = cy - 1; j <= cy + 1; j++) {
                    for (long k = cz - 1; k <= cz + 1; k++) {
                        for (float[] q : cells.getOrDefault(key(i, j, k), List.of())) {
                            double dx = q[0] - x;
                            double dy = q[1] - y;
                            double dz = q[2] - z;
                            if (dx * dx + dy * dy + dz * dz <= radius * radius) {
                                return true;
                            }
                        }
                    }
                }
            }
            return false;
        }
    }

    /** Area-weighted mean of the triangles' mean vertex colours. */
    private static double[] meanOutputColour(Primitive p) {
        VertexAttribute pos = p.positions();
        VertexAttribute color = p.attribute("COLOR_0");
        double[] sum = new double[3];
        double total = 0;
        for (long t = 0; t < p.triangleCount(); t++) {
            int[] c = {p.index(3 * t), p.index(3 * t + 1), p.index(3 * t + 2)};
            double area = area(pos, c[0], c[1], c[2]);
            total += area;
            for (int k : c) {
                for (int ch = 0; ch < 3; ch++) {
                    sum[ch] += area * color.get(k, ch) / 3;
                }
            }
        }
        return new double[] {sum[0] / total, sum[1] / total, sum[2] / total};
    }

    /** One placed input triangle in world space with what its base colour is made of. */
    private record InputTriangle(double[][] corners, float[][] uvs, float[][] colors, float[] factor,
                                 BufferedImage image) {
        double area() {
            double[] e1 = new double[3];
            double[] e2 = new double[3];
            for (int k = 0; k < 3; k++) {
                e1[k] = corners[1][k] - corners[0][k];
                e2[k] = corners[2][k] - corners[0][k];
            }
            double x = e1[1] * e2[2] - e1[2] * e2[1];
            double y = e1[2] * e2[0] - e1[0] * e2[2];
            double z = e1[0] * e2[1] - e1[1] * e2[0];
            return 0.5 * Math.sqrt(x * x + y * y + z * z);
        }

        double[] point(double[] w) {
            double[] p = new double[3];
            for (int k = 0; k < 3; k++) {
                p[k] = w[0] * corners[0][k] + w[1] * corners[1][k] + w[2] * corners[2][k];
            }
            return p;
        }

        /** Linear RGB at barycentric {@code w}: factor x nearest texel (REPEAT) x vertex colour. */
        double[] colour(double[] w) {
            double[] rgb = {factor[0], factor[1], factor[2]};
            if (image != null && uvs != null) {
                double u = w[0] * uvs[0][0] + w[1] * uvs[1][0] + w[2] * uvs[2][0];
                double v = w[0] * uvs[0][1] + w[1] * uvs[1][1] + w[2] * uvs[2][1];
                int x = Math.floorMod((int) Math.floor(u * image.getWidth()), image.getWidth());
                int y = Math.floorMod((int) Math.floor(v * image.getHeight()), image.getHeight());
                int argb = image.getRGB(x, y);
                for (int ch = 0; ch < 3; ch++) {
                    rgb[ch] *= srgbToLinear((argb >> (16 - 8 * ch)) & 0xFF);
                }
            }
            if (colors != null) {
                for (int ch = 0; ch < 3; ch++) {
                    rgb[ch] *= w[0] * colors[0][ch] + w[1] * colors[1][ch] + w[2] * colors[2][ch];
                }
            }
            return rgb;
        }
    }

    /**
     * Every placed triangle of the scene; textures decoded by ImageIO. Materials with UV transforms are not
     * handled here (the files chosen have none).
     */
    private static List<InputTriangle> inputTriangles(Scene scene) throws IOException {
        Map<Integer, BufferedImage> images = new HashMap<>();
        for (Material m : scene.materials()) {
            int t = m.baseColorTexture();
            if (t >= 0 && !images.containsKey(t)) {
                assertEquals(null, m.slot("baseColorTexture").transform(), "a UV transform in " + m.name());
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(scene.textures().get(t).bytes()));
                assertNotNull(image, "ImageIO decodes texture " + t);
                images.put(t, image);
            }
        }
        List<InputTriangle> triangles = new ArrayList<>();
        scene.forEachPlacedMesh((mesh, transform) -> {
            for (Primitive p : mesh.primitives()) {
                if (p.topology() != Topology.TRIANGLES) {
                    continue;
                }
                Material m = p.material() >= 0 ? scene.materials().get(p.material()) : null;
                float[] factor = m == null ? new float[] {1, 1, 1, 1} : m.baseColorFactor();
                BufferedImage image = m == null ? null : images.get(m.baseColorTexture());
                VertexAttribute uv = m == null ? null
                        : p.attribute("TEXCOORD_" + m.slot("baseColorTexture").texCoord());
                VertexAttribute vc = p.attribute("COLOR_0");
                VertexAttribute pos = p.positions();
                for (long t = 0; t < p.triangleCount(); t++) {
                    double[][] corners = new double[3][3];
                    float[][] uvs = uv == null ? null : new float[3][];
                    float[][] colors = vc == null ? null : new float[3][];
                    for (int k = 0; k < 3; k++) {
                        int c = p.index(3 * t + k);
                        transform.applyToPoint(pos.get(c, 0), pos.get(c, 1), pos.get(c, 2), corners[k]);
                        if (uvs != null) {
                            uvs[k] = new float[] {uv.get(c, 0), uv.get(c, 1)};
                        }
                        if (colors != null) {
                            colors[k] = new float[] {vc.get(c, 0), vc.get(c, 1), vc.get(c, 2)};
                        }
                    }
                    triangles.add(new InputTriangle(corners, uvs, colors, factor, image));
                }
            }
        });
        return triangles;
    }

    /**
     * Area-weighted mean base colour over the input triangles, sampled at 7 barycentric points a triangle and
     * counted where {@code near} the output.
     */
    private static double[] meanInputColour(List<InputTriangle> triangles, NearOutput near) {
        double[][] bary = {{1 / 3.0, 1 / 3.0, 1 / 3.0}, {0.6, 0.2, 0.2}, {0.2, 0.6, 0.2}, {0.2, 0.2, 0.6},
                {0.1, 0.45, 0.45}, {0.45, 0.1, 0.45}, {0.45, 0.45, 0.1}};
        double[] sum = new double[3];
        double total = 0;
        for (InputTriangle t : triangles) {
            double area = t.area() / bary.length;
            for (double[] w : bary) {
                double[] p = t.point(w);
                if (near.test(p[0], p[1], p[2])) {
                    double[] rgb = t.colour(w);
                    total += area;
                    for (int ch = 0; ch < 3; ch++) {
                        sum[ch] += area * rgb[ch];
                    }
                }
            }
        }
        return new double[] {sum[0] / total, sum[1] / total, sum[2] / total};
    }

    /**
     * For every {@code stride}-th output vertex, the largest channel difference between its colour and the base
     * colour at the closest point of the input (found by trying every input triangle).
     */
    private static double[] perVertexErrors(Primitive out, List<InputTriangle> input, int stride) {
        VertexAttribute pos = out.positions();
        VertexAttribute color = out.attribute("COLOR_0");
        List<Double> errors = new ArrayList<>();
        for (long v = 0; v < out.vertexCount(); v += stride) {
            double[] q = {pos.get(v, 0), pos.get(v, 1), pos.get(v, 2)};
            double best = Double.MAX_VALUE;
            double[] bestColour = null;
            for (InputTriangle t : input) {
                double[] w = closestBarycentric(q, t.corners);
                double[] p = t.point(w);
                double d = (p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1])
                        + (p[2] - q[2]) * (p[2] - q[2]);
                if (d < best) {
                    best = d;
                    bestColour = t.colour(w);
                }
            }
            double e = 0;
            for (int ch = 0; ch < 3; ch++) {
                e = Math.max(e, Math.abs(bestColour[ch] - color.get(v, ch)));
            }
            errors.add(e);
        }
        return errors.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    /** Barycentric coordinates of the point of triangle {@code t} closest to {@code q} (Voronoi regions). */
    private static double[] closestBarycentric(double[] q, double[][] t) {
        double[] ab = sub(t[1], t[0]);
        double[] ac = sub(t[2], t[0]);
        double[] ap = sub(q, t[0]);
        double d1 = dot(ab, ap);
        double d2 = dot(ac, ap);
        if (d1 <= 0 && d2 <= 0) {
            return new double[] {1, 0, 0};
        }
        double[] bp = sub(q, t[1]);
        double d3 = dot(ab, bp);
        double d4 = dot(ac, bp);
        if (d3 >= 0 && d4 <= d3) {
            return new double[] {0, 1, 0};
        }
        double vc = d1 * d4 - d3 * d2;
        if (vc <= 0 && d1 >= 0 && d3 <= 0) {
            double x = d1 / (d1 - d3);
            return new double[] {1 - x, x, 0};
        }
        double[] cp = sub(q, t[2]);
        double d5 = dot(ab, cp);
        double d6 = dot(ac, cp);
        if (d6 >= 0 && d5 <= d6) {
            return new double[] {0, 0, 1};
        }
        double vb = d5 * d2 - d1 * d6;
        if (vb <= 0 && d2 >= 0 && d6 <= 0) {
            double x = d2 / (d2 - d6);
            return new double[] {1 - x, 0, x};
        }
        double va = d3 * d6 - d5 * d4;
        if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
            double x = (d4 - d3) / ((d4 - d3) + (d5 - d6));
            return new double[] {0, 1 - x, x};
        }
        double sum = va + vb + vc;
        if (!(sum > 0)) {
            return new double[] {1, 0, 0}; // a degenerate triangle: its first corner
        }
        return new double[] {va / sum, vb / sum, vc / sum};
    }

    private static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double srgbToLinear(int b) {
        double c = b / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    private static double area(VertexAttribute pos, int a, int b, int c) {
        double[][] p = new double[3][];
        int[] corners = {a, b, c};
        for (int k = 0; k < 3; k++) {
            p[k] = new double[] {pos.get(corners[k], 0), pos.get(corners[k], 1), pos.get(corners[k], 2)};
        }
        return new InputTriangle(p, null, null, null, null).area();
    }
}
