package dev.meshforge.core.optimize;

import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.MeshEncoding;
import dev.meshforge.core.ops.Optimize;
import dev.meshforge.core.ops.RunControl;
import dev.meshforge.core.ops.ToolResult;
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

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The steps' effects on small scenes made here, read back from the written file. */
class OptimizeTest {
    @TempDir
    Path dir;

    /** The split cube of Fixtures with its one primitive given material {@code material}. */
    private static Scene texturedCube(int material) {
        Scene s = Fixtures.splitCube();
        s.roots().get(0).mesh().primitives().get(0).material(material);
        return s;
    }

    private static Material textured(String name, int texture) {
        return new Material(name, new float[] {1, 1, 1, 1}, 0, 0.5f, texture, -1, -1, -1, -1, new float[] {0, 0, 0},
                false);
    }

    private ToolResult<Optimize.Report> optimize(Scene s, int maxTextureSize) {
        Optimize.Options web = Optimize.Preset.WEB.options(dir.resolve("out.glb"));
        return Optimize.TOOL.run(s, new Optimize.Options(web.output(), true, true, true, 1, 0, true, web.encoding(),
                maxTextureSize, 90), RunControl.DEFAULTS);
    }

    private static StepReport step(ToolResult<Optimize.Report> r, String name) {
        return r.report().steps().stream().filter(s -> s.step().equals(name)).findFirst().orElseThrow();
    }

    private static byte[] png(int w, int h) throws Exception {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void aTextureThatDoesNotDecodeIsKeptAsItWasWithAWarning() {
        byte[] broken = "this is not a PNG at all".getBytes();
        try (Scene s = texturedCube(0)) {
            s.textures().add(new Texture("broken.png", "image/png", broken));
            s.materials().add(textured("paint", 0));
            try (ToolResult<Optimize.Report> r = optimize(s, 16)) {
                assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("texture 'broken.png' was kept as it was: "
                        + "it does not decode")), r.warnings().toString());
            }
            try (Scene back = Formats.read(dir.resolve("out.glb"))) {
                assertArrayEquals(broken, back.textures().get(0).bytes());
            }
        }
    }

    @Test
    void aTextureInAFormatThatCannotBeReEncodedIsKeptWithAWarning() {
        byte[] ktx2 = {(byte) 0xAB, 'K', 'T', 'X', ' ', '2', '0', (byte) 0xBB, '\r', '\n', 0x1A, '\n'};
        try (Scene s = texturedCube(0)) {
            s.textures().add(new Texture("basis.ktx2", "image/ktx2", ktx2));
            s.materials().add(textured("paint", 0));
            try (ToolResult<Optimize.Report> r = optimize(s, 16)) {
                assertTrue(r.warnings().contains("texture 'basis.ktx2' (image/ktx2) was kept as it was: only PNG and "
                        + "JPEG are resized"), r.warnings().toString());
            }
        }
    }

    @Test
    void aLargerPngIsScaledToTheMaximumSideKeepingItsAspect() throws Exception {
        try (Scene s = texturedCube(0)) {
            s.textures().add(new Texture("big.png", "image/png", png(300, 200)));
            s.materials().add(textured("paint", 0));
            try (ToolResult<Optimize.Report> r = optimize(s, 100)) {
                TextureResize.Result t = r.report().textures().get(0);
                assertEquals(List.of(300, 200, 100, 67), List.of(t.width(), t.height(), t.newWidth(), t.newHeight()));
            }
            try (Scene back = Formats.read(dir.resolve("out.glb"))) {
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(back.textures().get(0).bytes()));
                assertEquals(100, image.getWidth());
                assertEquals(67, image.getHeight());
                // the gradient survives: red grows along x
                assertTrue((image.getRGB(90, 30) >> 16 & 0xFF) > (image.getRGB(10, 30) >> 16 & 0xFF) + 150);
            }
        }
    }

    @Test
    void identicalTexturesAndMaterialsAreMergedAndUnusedOnesPrunedEachByName() throws Exception {
        byte[] image = png(8, 8);
        try (Scene s = texturedCube(1)) {
            s.textures().add(new Texture("a.png", "image/png", image));
            s.textures().add(new Texture("b.png", "image/png", image.clone()));
            s.textures().add(new Texture("spare.png", "image/png", png(4, 4)));
            s.materials().add(textured("A", 0));
            s.materials().add(textured("B", 1));
            s.materials().add(textured("unused", 2));
            s.roots().add(new Node("empty marker"));
            try (ToolResult<Optimize.Report> r = optimize(s, 0)) {
                List<String> dedup = r.report().steps().get(0).changes();
                List<String> prune = r.report().steps().get(1).changes();
                assertTrue(dedup.contains("texture 'b.png' merged into 'a.png'"), dedup.toString());
                assertTrue(dedup.contains("material 'B' merged into 'A'"), dedup.toString());
                assertTrue(prune.contains("material 'unused', which no primitive used"), prune.toString());
                assertTrue(prune.contains("node 'empty marker', which placed nothing"), prune.toString());
                assertTrue(prune.stream().anyMatch(c -> c.startsWith("texture 'spare.png'")), prune.toString());
                assertTrue(r.report().dropped().containsAll(List.of("material 'B'", "material 'unused'",
                        "node 'empty marker'", "texture 'b.png'", "texture 'spare.png'")),
                        r.report().dropped().toString());
            }
            try (Scene back = Formats.read(dir.resolve("out.glb"))) {
                assertEquals(1, back.materials().size());
                assertEquals("A", back.materials().get(0).name());
                assertEquals(1, back.textures().size());
                assertEquals(24, back.triangleCount());
            }
        }
    }

    /** A tiling UV that differs at every cube corner (corners are 0 or 1 on each axis). */
    private static double[] tiledUv(double x, double y, double z) {
        return new double[] {x * 4.3 - 2 + 0.37 * z, y * 2.9 + 0.5 - 0.21 * z};
    }

    @Test
    void tiledUvsAreQuantizedThroughTheMaterialsTextureTransformWithinOneStep() throws Exception {
        try (Scene s = texturedCube(0)) {
            s.textures().add(new Texture("tile.png", "image/png", png(8, 8)));
            s.materials().add(textured("tiles", 0));
            Primitive p = s.roots().get(0).mesh().primitives().get(0);
            VertexAttribute uv = p.attribute("TEXCOORD_0");
            for (long v = 0; v < p.vertexCount(); v++) {
                double[] t = tiledUv(p.positions().get(v, 0), p.positions().get(v, 1), p.positions().get(v, 2));
                uv.set(v, 0, (float) t[0]);
                uv.set(v, 1, (float) t[1]);
            }
            optimize(s, 0).close();
            GltfValidator.Report report = GltfValidator.validate(dir.resolve("out.glb"));
            assertEquals(0, report.errors(), () -> "validator errors: " + report.errorMessages());
            try (Scene back = Formats.read(dir.resolve("out.glb"))) {
                TextureSlot.UvTransform x = back.materials().get(0).slot("baseColorTexture").transform();
                assertTrue(x != null, "the material carries the UVs' KHR_texture_transform");
                assertEquals(0, x.rotation());
                // the UVs span [-2, 2.67] x [0.29, 3.4]: one 12-bit step of the wider side, half of it the bound
                double halfStep = 4.67 / 4095 / 2 + 1e-5;
                int[] checked = {0};
                back.forEachPlacedMesh((mesh, world) -> {
                    for (Primitive q : mesh.primitives()) {
                        VertexAttribute written = q.attribute("TEXCOORD_0");
                        double[] at = new double[3];
                        for (long v = 0; v < q.vertexCount(); v++) {
                            world.applyToPoint(q.positions().get(v, 0), q.positions().get(v, 1),
                                    q.positions().get(v, 2), at);
                            // the cube corner this vertex decodes next to (the right cube is 3 along x)
                            double cx = Math.round(at[0] >= 2 ? at[0] - 3 : at[0]);
                            double[] expected = tiledUv(cx, Math.round(at[1]), Math.round(at[2]));
                            double u = x.offsetU() + x.scaleU() * written.get(v, 0);
                            double w = x.offsetV() + x.scaleV() * written.get(v, 1);
                            assertEquals(expected[0], u, halfStep, "U of vertex " + v);
                            assertEquals(expected[1], w, halfStep, "V of vertex " + v);
                            checked[0]++;
                        }
                    }
                });
                assertTrue(checked[0] >= 48, "both placements' vertices checked: " + checked[0]);
            }
        }
    }

    @Test
    void aUvSetNoTextureReadsIsDroppedByNameAndOneATextureReadsIsKept() throws Exception {
        try (Scene s = texturedCube(-1);
             ToolResult<Optimize.Report> r = optimize(s, 0)) {
            List<String> prune = r.report().steps().get(1).changes();
            assertTrue(prune.contains("attribute TEXCOORD_0 of mesh 'box' primitive 0, which no texture of its "
                    + "material reads"), prune.toString());
            assertTrue(r.report().dropped().contains("attribute TEXCOORD_0"), r.report().dropped().toString());
            try (Scene back = Formats.read(dir.resolve("out.glb"))) {
                Primitive p = back.roots().get(0).mesh().primitives().get(0);
                assertEquals(null, p.attribute("TEXCOORD_0"));
                assertTrue(p.attribute("NORMAL") != null);
                assertEquals(24, back.triangleCount());
            }
        }
        try (Scene s = texturedCube(0)) {
            s.textures().add(new Texture("a.png", "image/png", png(8, 8)));
            s.materials().add(textured("A", 0));
            try (ToolResult<Optimize.Report> r = optimize(s, 0)) {
                assertTrue(r.report().steps().get(1).changes().isEmpty(), r.report().steps().get(1).toText()
                        .toString());
                assertTrue(r.report().dropped().isEmpty(), r.report().dropped().toString());
            }
            try (Scene back = Formats.read(dir.resolve("out.glb"))) {
                assertTrue(back.roots().get(0).mesh().primitives().get(0).attribute("TEXCOORD_0") != null);
            }
        }
    }

    @Test
    void compressedNormalsGoThroughTheOctahedralFilterAndStayWithinOneAndAHalfDegrees() throws Exception {
        try (Scene s = texturedCube(-1)) {
            Primitive p = s.roots().get(0).mesh().primitives().get(0);
            VertexAttribute normal = p.attribute("NORMAL");
            java.util.Random random = new java.util.Random(14);
            for (long v = 0; v < p.vertexCount(); v++) {
                double[] n = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
                double len = Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
                for (int c = 0; c < 3; c++) {
                    normal.set(v, c, (float) (n[c] / len));
                }
            }
            optimize(s, 0).close();
            String json = new String(java.nio.file.Files.readAllBytes(dir.resolve("out.glb")),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(json.contains("\"filter\":\"OCTAHEDRAL\""), json);
            GltfValidator.Report report = GltfValidator.validate(dir.resolve("out.glb"));
            assertEquals(0, report.errors(), () -> "validator errors: " + report.errorMessages());
            try (Scene back = Formats.read(dir.resolve("out.glb"))) {
                Primitive q = back.roots().get(0).mesh().primitives().get(0);
                VertexAttribute written = q.attribute("NORMAL");
                assertEquals(36, q.vertexCount());
                // every written normal is within 1.5 degrees of an input vertex's normal, and every used input
                // vertex's normal within 1.5 degrees of a written one (the order changed, positions repeat)
                double cos = Math.cos(Math.toRadians(1.5));
                for (int way = 0; way < 2; way++) {
                    VertexAttribute from = way == 0 ? written : normal;
                    VertexAttribute to = way == 0 ? normal : written;
                    long count = way == 0 ? q.vertexCount() : p.vertexCount() - 1; // the last input is unused
                    for (long v = 0; v < count; v++) {
                        double best = -1;
                        for (long w = 0; w < to.count(); w++) {
                            double dot = 0;
                            double l1 = 0;
                            double l2 = 0;
                            for (int c = 0; c < 3; c++) {
                                dot += from.get(v, c) * to.get(w, c);
                                l1 += from.get(v, c) * from.get(v, c);
                                l2 += to.get(w, c) * to.get(w, c);
                            }
                            best = Math.max(best, dot / Math.sqrt(l1 * l2));
                        }
                        assertTrue(best >= cos, "normal " + v + " is " + Math.toDegrees(Math.acos(best))
                                + " degrees from the nearest of the other file");
                    }
                }
            }
        }
    }

    @Test
    void weldAndReorderKeepEveryTriangleAndDropTheUnusedVertex() {
        try (Scene s = texturedCube(-1);
             ToolResult<Optimize.Report> r = optimize(s, 0)) {
            StepReport weld = step(r, "weld");
            assertEquals(37, weld.before().vertices());
            // per face two triangles share the corners whose normal and UV agree: (0,0) once, the others apart
            assertTrue(weld.after().vertices() < 37 && weld.after().vertices() >= 24, weld.toText().toString());
            assertEquals(24, step(r, "reorder").after().triangles());
        }
    }

    @Test
    void trianglesNamingOneVertexTwiceAreDroppedByTheWeldAndNamed() throws Exception {
        try (Scene s = texturedCube(-1)) {
            Primitive p = s.roots().get(0).mesh().primitives().get(0);
            int[] indices = new int[(int) p.indexCount() + 6];
            for (int i = 0; i < p.indexCount(); i++) {
                indices[i] = p.index(i);
            }
            int[] extra = {0, 0, 1, 2, 5, 5}; // two triangles without area, never drawn
            System.arraycopy(extra, 0, indices, (int) p.indexCount(), 6);
            MemorySegment idx = s.allocateInts(indices.length);
            MemorySegment.copy(indices, 0, idx, ValueLayout.JAVA_INT, 0, indices.length);
            Primitive q = new Primitive(Topology.TRIANGLES, p.positions(), idx, indices.length);
            p.attributes().values().forEach(q::put);
            s.roots().get(0).mesh().primitives().set(0, q);
            try (ToolResult<Optimize.Report> r = optimize(s, 0)) {
                // the fixture places its mesh twice: 2 x 14 triangles before, 2 x 12 after
                StepReport weld = step(r, "weld");
                assertEquals(28, weld.before().triangles());
                assertEquals(24, weld.after().triangles());
                assertEquals(List.of("mesh 'box': 2 triangles with a repeated vertex (no area, never drawn) dropped"),
                        weld.changes());
                GltfValidator.Report v = GltfValidator.validate(dir.resolve("out.glb"));
                assertEquals(0, v.errors(), () -> "validator errors: " + v.errorMessages());
                try (Scene back = Formats.read(dir.resolve("out.glb"))) {
                    assertEquals(24, back.triangleCount());
                }
            }
        }
    }

    @Test
    void aPointCloudPassesThroughTheSimplifyingMobilePreset() {
        try (Scene s = new Scene()) {
            MemorySegment xyz = s.allocateFloats(9);
            for (int i = 0; i < 9; i++) {
                xyz.setAtIndex(ValueLayout.JAVA_FLOAT, i, i);
            }
            s.addRoot(new Node("cloud").mesh(new Mesh("points").add(
                    new Primitive(Topology.POINTS,
                            new VertexAttribute("POSITION", 3, 3, xyz), null, 0))));
            try (ToolResult<Optimize.Report> r = Optimize.TOOL.run(s,
                    Optimize.Preset.MOBILE.options(dir.resolve("cloud.glb")), RunControl.DEFAULTS)) {
                assertTrue(r.report().steps().stream().noneMatch(st -> st.step().equals("simplify")));
            }
            try (Scene back = Formats.read(dir.resolve("cloud.glb"))) {
                assertEquals(3, back.roots().get(0).mesh().primitives().get(0).vertexCount());
            }
        }
    }

    @Test
    void badOptionsAreOneSentenceNamingTheOption() {
        Path out = dir.resolve("out.glb");
        MeshEncoding q = MeshEncoding.QUANTIZED;
        for (Object[] c : new Object[][] {
                {0.0, 0.0, 2048, 90, "simplify-ratio"}, {1.0, Double.NaN, 2048, 90, "simplify-error"},
                {1.0, 0.0, -1, 90, "max-texture-size"}, {1.0, 0.0, 2048, 0, "jpeg-quality"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Optimize.Options(out,
                    true, true, true, (double) c[0], (double) c[1], true, q, (int) c[2], (int) c[3]));
            assertTrue(e.getMessage().startsWith((String) c[4] + " must be"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MeshEncoding(1, 12, 8, 8, false))
                .getMessage().startsWith("position bits must be"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Optimize.Preset.parse("fast"))
                .getMessage().contains("web, mobile or print-preview"));
        assertTrue(Arrays.stream(Optimize.Preset.values()).map(Optimize.Preset::label).toList()
                .containsAll(List.of("web", "mobile", "print-preview")));
    }
}
