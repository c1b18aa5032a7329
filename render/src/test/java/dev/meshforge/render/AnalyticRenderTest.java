// Renders whose right answer is known without a reference renderer: exact colours, exact alpha, a white furnace.
package dev.meshforge.render;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalyticRenderTest {
    static StudioRenderer renderer;

    @BeforeAll
    static void open() {
        renderer = StudioRenderer.open();
        System.out.println("renderer: " + renderer.description());
    }

    @AfterAll
    static void close() {
        if (renderer != null) {
            renderer.close();
        }
    }

    static RenderOptions front(int size) {
        return RenderOptions.DEFAULTS.withViews(List.of(View.named("front"))).withSize(size, size)
                .withShadow(false).withProjection(Projection.ORTHOGRAPHIC, 35);
    }

    @Test
    void unlitQuadRendersItsExactSrgbColourWithoutToneMapping() {
        int[][] colours = {{200, 30, 90}, {1, 128, 254}, {255, 255, 255}, {0, 0, 0}, {17, 64, 181}};
        for (int[] c : colours) {
            try (Scene s = TestScenes.quad(TestScenes.unlit(c[0], c[1], c[2]))) {
                RgbaImage img = renderer.render(s, front(64).withToneMapping(ToneMapping.NONE)).views().get(0).image();
                for (int[] xy : new int[][] {{32, 32}, {10, 10}, {53, 53}, {10, 53}}) {
                    assertEquals(c[0], img.get(xy[0], xy[1], 0), "red at " + xy[0] + "," + xy[1]);
                    assertEquals(c[1], img.get(xy[0], xy[1], 1), "green");
                    assertEquals(c[2], img.get(xy[0], xy[1], 2), "blue");
                    assertEquals(255, img.get(xy[0], xy[1], 3), "alpha");
                }
            }
        }
    }

    static double srgbToLinear(int c) {
        double v = c / 255.0;
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }

    static int linearToSrgbByte(double v) {
        v = Math.max(0, Math.min(1, v));
        double s = v <= 0.0031308 ? v * 12.92 : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
        return (int) Math.round(s * 255);
    }

    /** Khronos PBR Neutral, written out here from the published definition, independent of the shader. */
    static double[] pbrNeutral(double[] c) {
        double x = Math.min(c[0], Math.min(c[1], c[2]));
        double offset = x < 0.08 ? x - 6.25 * x * x : 0.04;
        double[] r = {c[0] - offset, c[1] - offset, c[2] - offset};
        double peak = Math.max(r[0], Math.max(r[1], r[2]));
        double start = 0.76;
        if (peak < start) {
            return r;
        }
        double d = 1 - start;
        double newPeak = 1 - d * d / (peak + d - start);
        double g = 1 - 1 / (0.15 * (peak - newPeak) + 1);
        for (int i = 0; i < 3; i++) {
            r[i] = r[i] * newPeak / peak * (1 - g) + newPeak * g;
        }
        return r;
    }

    @Test
    void pbrNeutralToneMappingOfAnUnlitColourFollowsTheKhronosCurve() {
        // Exposure 3 pushes the brighter channels into the curve's compressed range.
        int[][] colours = {{200, 30, 90}, {120, 120, 120}, {12, 200, 60}};
        for (double exposure : new double[] {1, 3}) {
            for (int[] c : colours) {
                try (Scene s = TestScenes.quad(TestScenes.unlit(c[0], c[1], c[2]))) {
                    RgbaImage img = renderer.render(s, front(32).withExposure(exposure)).views().get(0).image();
                    double[] mapped = pbrNeutral(new double[] {srgbToLinear(c[0]) * exposure,
                            srgbToLinear(c[1]) * exposure, srgbToLinear(c[2]) * exposure});
                    for (int ch = 0; ch < 3; ch++) {
                        int expected = linearToSrgbByte(mapped[ch]);
                        assertTrue(Math.abs(expected - img.get(16, 16, ch)) <= 1, "exposure " + exposure + " colour "
                                + java.util.Arrays.toString(c) + " channel " + ch + ": expected " + expected + ", got "
                                + img.get(16, 16, ch));
                    }
                }
            }
        }
    }

    @Test
    void alphaIsZeroOutsideTheSilhouetteAndOneInsideOnATransparentBackground() {
        // Orthographic front view of a 2 x 2 quad with a 5% margin: it spans pixels 3.2 to 60.8 of 64.
        try (Scene s = TestScenes.quad(Material.ofColor("grey", 0.5f, 0.5f, 0.5f, 1))) {
            RgbaImage img = renderer.render(s, front(64)).views().get(0).image();
            int inside = 0;
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    double dx = Math.max(3.2 - (x + 0.5), (x + 0.5) - 60.8);
                    double dy = Math.max(3.2 - (y + 0.5), (y + 0.5) - 60.8);
                    double outside = Math.max(dx, dy); // > 0 outside the quad, in pixels
                    if (outside > 1) {
                        assertEquals(0, img.get(x, y, 3), "alpha at " + x + "," + y);
                    } else if (outside < -1) {
                        assertEquals(255, img.get(x, y, 3), "alpha at " + x + "," + y);
                        inside++;
                    }
                }
            }
            assertEquals(56 * 56, inside); // pixels 4..59 in both directions
        }
    }

    @Test
    void aSolidBackgroundKeepsItsExactColourAndTheImageIsOpaque() {
        try (Scene s = TestScenes.quad(Material.ofColor("grey", 0.5f, 0.5f, 0.5f, 1))) {
            RgbaImage img = renderer.render(s, front(48).withBackground(Background.parse("#3A7BC8"))).views().get(0)
                    .image();
            assertTrue(img.opaque());
            assertEquals(0x3A, img.get(0, 0, 0));
            assertEquals(0x7B, img.get(0, 0, 1));
            assertEquals(0xC8, img.get(47, 47, 2));
        }
    }

    @Test
    void aWhiteFurnaceLeavesWhiteSpheresOfEveryMetallicAndRoughnessAtTheBackgroundColour() {
        furnace(front(256).withLighting(Lighting.UNIFORM));
    }

    @Test
    void aUniformHdrImageIsAWhiteFurnaceToo(@TempDir Path dir) throws Exception {
        // 16 x 8 pixels of RGBE (128, 128, 128, 129): radiance exactly 1, uncompressed scanlines.
        Path hdr = dir.resolve("white.hdr");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write("#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 8 +X 16\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 16 * 8; i++) {
            bytes.write(new byte[] {(byte) 128, (byte) 128, (byte) 128, (byte) 129});
        }
        Files.write(hdr, bytes.toByteArray());
        furnace(front(256).withEnvironmentMap(hdr));
    }

    @Test
    void anHdrFileThatDoesNotDecodeIsRefusedInOneSentence(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.hdr"), "not an image");
        try (Scene s = TestScenes.quad(TestScenes.unlit(1, 2, 3))) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> renderer.render(s, front(32).withEnvironmentMap(bad)));
            assertTrue(e.getMessage().startsWith(bad + ": does not decode as an HDR environment image ("),
                    e.getMessage());
        }
    }

    private static void furnace(RenderOptions lighting) {
        float[] metallic = {0, 0.5f, 1};
        float[] roughness = {0.05f, 0.35f, 0.65f, 1};
        // Uniform radiance 1, exposure 0.5, no tone curve: the background reads linear 0.5, sRGB 188.
        RenderOptions o = lighting.withBackground(Background.ENVIRONMENT)
                .withToneMapping(ToneMapping.NONE).withExposure(0.5).withMargin(0.02);
        try (Scene s = TestScenes.sphereGrid(metallic, roughness)) {
            RenderedView v = renderer.render(s, o).views().get(0);
            RgbaImage img = v.image();
            int background = img.get(0, 0, 0);
            assertEquals(linearToSrgbByte(0.5), background);
            int worst = 0;
            int pixels = 0;
            // Compare the inner part of each sphere's disc (where its normals face the camera within 80 degrees).
            for (int row = 0; row < metallic.length; row++) {
                for (int col = 0; col < roughness.length; col++) {
                    double[] c = project(v.viewProjection(), col * 2.5, -row * 2.5, 0, 256);
                    double[] e = project(v.viewProjection(), col * 2.5 + 1, -row * 2.5, 0, 256);
                    double radius = Math.abs(e[0] - c[0]) * Math.sin(Math.toRadians(80));
                    for (int y = (int) (c[1] - radius); y <= c[1] + radius; y++) {
                        for (int x = (int) (c[0] - radius); x <= c[0] + radius; x++) {
                            if (Math.hypot(x + 0.5 - c[0], y + 0.5 - c[1]) < radius) {
                                for (int ch = 0; ch < 3; ch++) {
                                    worst = Math.max(worst, Math.abs(img.get(x, y, ch) - background));
                                }
                                pixels++;
                            }
                        }
                    }
                }
            }
            System.out.printf("furnace: %d sphere pixels, largest difference from the background %d/255%n", pixels,
                    worst);
            assertTrue(pixels > 12 * 500, "only " + pixels + " sphere pixels were compared");
            assertTrue(worst <= FURNACE_TOLERANCE, "a sphere pixel differs from the background by " + worst + "/255");
        }
    }

    /** sRGB steps a furnace pixel may differ from the background (about 1% in linear terms at sRGB 188). */
    static final int FURNACE_TOLERANCE = 3;

    static double[] project(float[] m, double x, double y, double z, int size) {
        double cx = m[0] * x + m[4] * y + m[8] * z + m[12];
        double cy = m[1] * x + m[5] * y + m[9] * z + m[13];
        double cw = m[3] * x + m[7] * y + m[11] * z + m[15];
        return new double[] {(cx / cw + 1) / 2 * size, (1 - cy / cw) / 2 * size};
    }
}
