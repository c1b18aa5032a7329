// Textures land the right way up and move as KHR_texture_transform says: checked on a 2 x 2 texel image.
package dev.meshforge.render;

import dev.meshforge.core.scene.AlphaMode;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Texture;
import dev.meshforge.core.scene.TextureSlot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class TextureRenderTest {
    static final int[] RED = {255, 0, 0};
    static final int[] GREEN = {0, 255, 0};
    static final int[] BLUE = {0, 0, 255};
    static final int[] WHITE = {255, 255, 255};
    static StudioRenderer renderer;

    @BeforeAll
    static void open() {
        renderer = StudioRenderer.open();
    }

    @AfterAll
    static void close() {
        if (renderer != null) {
            renderer.close();
        }
    }

    /** A PNG with red top left, green top right, blue bottom left, white bottom right. */
    static byte[] quadrants() throws IOException {
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xFF0000);
        img.setRGB(1, 0, 0x00FF00);
        img.setRGB(0, 1, 0x0000FF);
        img.setRGB(1, 1, 0xFFFFFF);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** The test quad with glTF UVs that show the image upright: (0, 0) at the quad's top left. */
    static Scene texturedQuad(TextureSlot.UvTransform transform) throws IOException {
        Map<String, TextureSlot> slots = transform == null ? Map.of()
                : Map.of("baseColorTexture", new TextureSlot(0, 1, transform));
        Material m = new Material("t", new float[] {1, 1, 1, 1}, 0, 1, 0, -1, -1, -1, -1, new float[3], false,
                AlphaMode.OPAQUE, 0.5f, slots, Map.of("KHR_materials_unlit", "{}"));
        Scene s = TestScenes.quad(m);
        Primitive p = s.roots().get(0).mesh().primitives().get(0);
        p.put(TestScenes.attribute(s, "TEXCOORD_0", 2, new float[] {0, 1, 1, 1, 1, 0, 0, 0}));
        // Nearest filtering, repeat: each quarter of the quad shows one texel exactly.
        s.textures().add(new Texture("quadrants.png", "image/png", quadrants(),
                new Texture.Sampler(9728, 9728, 10497, 10497)));
        return s;
    }

    static int[] rgb(RgbaImage img, int x, int y) {
        return new int[] {img.get(x, y, 0), img.get(x, y, 1), img.get(x, y, 2)};
    }

    static RgbaImage render(Scene s) {
        return renderer.render(s, AnalyticRenderTest.front(32).withToneMapping(ToneMapping.NONE).withSamples(1))
                .views().get(0).image();
    }

    @Test
    void theImagesTopRowIsAtTheTopWhereVIsZero() throws IOException {
        try (Scene s = texturedQuad(null)) {
            RgbaImage img = render(s);
            assertArrayEquals(RED, rgb(img, 10, 10));
            assertArrayEquals(GREEN, rgb(img, 22, 10));
            assertArrayEquals(BLUE, rgb(img, 10, 22));
            assertArrayEquals(WHITE, rgb(img, 22, 22));
        }
    }

    @Test
    void textureTransformOffsetsShiftTheImage() throws IOException {
        // Offset u by a half: the left half of the quad now samples the right column.
        try (Scene s = texturedQuad(new TextureSlot.UvTransform(0.5f, 0, 0, 1, 1, -1))) {
            RgbaImage img = render(s);
            assertArrayEquals(GREEN, rgb(img, 10, 10));
            assertArrayEquals(RED, rgb(img, 22, 10));
            assertArrayEquals(WHITE, rgb(img, 10, 22));
        }
    }

    @Test
    void textureTransformRotationFollowsTheExtensionsMatrix() throws IOException {
        // The extension's GLSL, mat3(cos, sin, 0, -sin, cos, 0, 0, 0, 1), maps uv (u, v) to (-v, u) at a quarter
        // turn: the quad's top left, uv near (0.25, 0.25), reads (-0.25, 0.25), which repeats to (0.75, 0.25), the
        // top-right texel (green); its bottom left, near (0.25, 0.75), reads (0.25 after repeat of -0.75, 0.25): red.
        try (Scene s = texturedQuad(new TextureSlot.UvTransform(0, 0, (float) (Math.PI / 2), 1, 1, -1))) {
            RgbaImage img = render(s);
            assertArrayEquals(GREEN, rgb(img, 10, 10));
            assertArrayEquals(RED, rgb(img, 10, 22));
        }
    }

    /** A 1 x 1 PNG of one grey level. */
    static byte[] grey(int level) throws IOException {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, level << 16 | level << 8 | level);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void aBlackOcclusionMapDarkensAllImageBasedLightByItsStrength() throws IOException {
        int[] seen = new int[3];
        for (float strength : new float[] {0, 1}) {
            Material m = new Material("ao", new float[] {0.8f, 0.8f, 0.8f, 1}, 0, 0.5f, -1, -1, -1, 0, -1,
                    new float[3], false, AlphaMode.OPAQUE, 0.5f,
                    Map.of("occlusionTexture", new TextureSlot(0, strength, null)), Map.of());
            try (Scene s = TestScenes.quad(m)) {
                s.textures().add(new Texture("black.png", "image/png", grey(0)));
                RgbaImage img = render(s);
                seen[(int) strength] = img.get(16, 16, 1);
            }
        }
        // Strength 0 leaves the grey lit; strength 1 takes every bit of the (only, image-based) light away.
        org.junit.jupiter.api.Assertions.assertTrue(seen[0] > 100, "lit grey reads " + seen[0]);
        org.junit.jupiter.api.Assertions.assertEquals(0, seen[1]);
    }

    /** A 1 x 1 PNG holding one tangent-space normal, encoded as glTF does: (n + 1) / 2. */
    static byte[] normal(double x, double y, double z) throws IOException {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        int r = (int) Math.round((x + 1) / 2 * 255);
        int g = (int) Math.round((y + 1) / 2 * 255);
        int b = (int) Math.round((z + 1) / 2 * 255);
        img.setRGB(0, 0, r << 16 | g << 8 | b);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    static Material shiny(int normalTexture) {
        return new Material("n", new float[] {0.6f, 0.6f, 0.6f, 1}, 1, 0.25f, -1, -1, normalTexture, -1, -1,
                new float[3], true);
    }

    /** The lit quad's centre colour under the studio from the orthographic front camera. */
    static int[] centre(Scene s) {
        RgbaImage img = renderer.render(s, AnalyticRenderTest.front(33).withSamples(1)).views().get(0).image();
        return rgb(img, 16, 16);
    }

    @Test
    void aNormalMapTiltsTheNormalAsTheGltfTangentFrameSays() throws IOException {
        // glTF's tangent space: +X toward increasing u (right on the upright quad), +Y up the image (decreasing v).
        // A map tilting the normal 30 degrees toward +X (then +Y) must shade like the quad turned that way.
        double t = Math.toRadians(30);
        double[][] tilts = {{Math.sin(t), 0, Math.cos(t)}, {0, Math.sin(t), Math.cos(t)}};
        try (Scene flat = TestScenes.quad(shiny(-1))) {
            int[] plain = centre(flat);
            for (double[] n : tilts) {
                int[] mapped;
                try (Scene s = texturedQuadWith(shiny(0), normal(n[0], n[1], n[2]))) {
                    mapped = centre(s);
                }
                int[] turned;
                try (Scene s = TestScenes.quad(shiny(-1))) {
                    // Rotate the quad so that its normal (0, 0, 1) becomes n.
                    double angle = Math.acos(n[2]);
                    s.roots().get(0).local(n[0] != 0 ? rotationY(angle) : rotationX(-angle));
                    turned = centre(s);
                }
                String what = java.util.Arrays.toString(n) + ": mapped " + java.util.Arrays.toString(mapped)
                        + ", turned " + java.util.Arrays.toString(turned) + ", flat " + java.util.Arrays.toString(plain);
                org.junit.jupiter.api.Assertions.assertTrue(Math.abs(mapped[1] - plain[1]) > 10, what);
                for (int c = 0; c < 3; c++) {
                    org.junit.jupiter.api.Assertions.assertTrue(Math.abs(mapped[c] - turned[c]) <= 3, what);
                }
            }
        }
    }

    static dev.meshforge.core.scene.Transform rotationY(double a) {
        return dev.meshforge.core.scene.Transform.of(Math.cos(a), 0, -Math.sin(a), 0, 0, 1, 0, 0, Math.sin(a), 0,
                Math.cos(a), 0, 0, 0, 0, 1);
    }

    static dev.meshforge.core.scene.Transform rotationX(double a) {
        return dev.meshforge.core.scene.Transform.of(1, 0, 0, 0, 0, Math.cos(a), Math.sin(a), 0, 0, -Math.sin(a),
                Math.cos(a), 0, 0, 0, 0, 1);
    }

    static Scene texturedQuadWith(Material m, byte[] png) {
        Scene s = TestScenes.quad(m);
        Primitive p = s.roots().get(0).mesh().primitives().get(0);
        p.put(TestScenes.attribute(s, "TEXCOORD_0", 2, new float[] {0, 1, 1, 1, 1, 0, 0, 0}));
        s.textures().add(new Texture("n.png", "image/png", png, new Texture.Sampler(9728, 9728, 10497, 10497)));
        return s;
    }
}
