// What a request produces and refuses: files, tiles, warnings, cancellation, and one sentence for bad input.
package dev.meshforge.render;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.CancelledException;
import dev.meshforge.core.scene.AlphaMode;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Texture;
import dev.meshforge.core.scene.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenderRequestTest {
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

    @Test
    void sizesOutside16To4096AreRefusedInOneSentence() {
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> RenderOptions.DEFAULTS.withSize(4097, 4097));
        assertEquals("the image size must be 16 to 4096 pixels a side, not 4097 x 4097", big.getMessage());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> RenderOptions.DEFAULTS.withSize(1024, 15));
        assertEquals("the image size must be 16 to 4096 pixels a side, not 1024 x 15", small.getMessage());
    }

    @Test
    void anUnknownAngleIsRefusedNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> View.parse("front,diagonal"));
        assertEquals("unknown angle 'diagonal'; the angles are front, back, left, right, top, bottom, three_quarter, "
                + "isometric", e.getMessage());
    }

    @Test
    void turntableFramesAreNamedAndSpacedEvenly() {
        List<View> views = View.turntable(8);
        assertEquals(8, views.size());
        assertEquals("turntable_03", views.get(3).name());
        assertEquals(135, views.get(3).azimuth(), 1e-12);
        assertEquals("turntable_99", View.turntable(100).get(99).name());
        assertEquals("turntable_005", View.turntable(120).get(5).name());
    }

    @Test
    void aSceneWithNothingToDrawIsRefusedInOneSentence() {
        try (Scene s = new Scene()) {
            s.addRoot(new Node("empty").mesh(new Mesh("empty")));
            BadInputException e = assertThrows(BadInputException.class,
                    () -> renderer.render(s, RenderOptions.DEFAULTS.withSize(32, 32)));
            assertEquals("the scene has no triangles, lines or points to render", e.getMessage());
        }
    }

    @Test
    void pointsRenderAsPoints() {
        try (Scene s = new Scene()) {
            float[] p = new float[3 * 50];
            for (int i = 0; i < 50; i++) {
                p[i * 3] = (float) Math.cos(i * 0.4) * i / 50f;
                p[i * 3 + 1] = (float) Math.sin(i * 0.4) * i / 50f;
            }
            Primitive points = new Primitive(Topology.POINTS, TestScenes.attribute(s, "POSITION", 3, p), null, 0);
            s.addRoot(new Node("cloud").mesh(new Mesh("cloud").add(points)));
            RgbaImage img = renderer.render(s, RenderOptions.DEFAULTS.withSize(128, 128)
                    .withViews(List.of(View.named("front")))).views().get(0).image();
            int covered = 0;
            for (int y = 0; y < 128; y++) {
                for (int x = 0; x < 128; x++) {
                    covered += img.get(x, y, 3) > 0 ? 1 : 0;
                }
            }
            // 50 points of one pixel each (a few may overlap near the centre); none of the background.
            assertTrue(covered >= 40 && covered <= 50 * 4, covered + " pixels covered");
        }
    }

    @Test
    void aTextureThatDoesNotDecodeRendersWithTheFactorAndAWarning() {
        Material m = new Material("broken", new float[] {TestScenes.linear(40), TestScenes.linear(160),
                TestScenes.linear(220), 1}, 0, 1, 0, -1, -1, -1, -1, new float[3], false, AlphaMode.OPAQUE, 0.5f,
                Map.of(), Map.of("KHR_materials_unlit", "{}"));
        try (Scene s = TestScenes.quad(m)) {
            s.textures().add(new Texture("garbage.png", "image/png", new byte[] {1, 2, 3, 4, 5}));
            RenderResult r = renderer.render(s, AnalyticRenderTest.front(32).withToneMapping(ToneMapping.NONE));
            RgbaImage img = r.views().get(0).image();
            assertEquals(40, img.get(16, 16, 0));
            assertEquals(160, img.get(16, 16, 1));
            assertEquals(220, img.get(16, 16, 2));
            assertEquals(1, r.warnings().size(), r.warnings().toString());
            assertTrue(r.warnings().get(0).startsWith("texture 0 (garbage.png) of material 0 (broken) does not decode"),
                    r.warnings().get(0));
        }
    }

    @Test
    void anImageLargerThanOneTileHasNoSeams() {
        // 1500 x 1100 takes two tiles across and two down; an unlit quad must fill the same columns on every row.
        try (Scene s = TestScenes.quad(TestScenes.unlit(90, 200, 30))) {
            RgbaImage img = renderer.render(s, AnalyticRenderTest.front(16).withSize(1500, 1100).withSamples(1)
                    .withToneMapping(ToneMapping.NONE)).views().get(0).image();
            // The quad is square: 1100 * 0.9 = 990 pixels tall and wide, centred.
            int first = -1;
            int last = -1;
            for (int x = 0; x < 1500; x++) {
                if (img.get(x, 550, 3) > 0) {
                    last = x;
                    if (first < 0) {
                        first = x;
                    }
                }
            }
            assertEquals(990, last - first + 1, "quad width in pixels");
            assertEquals(1500 - 1 - last, first, "left and right margins");
            for (int y = 60; y < 1040; y++) {
                for (int x : new int[] {first, 749, 750, last}) {
                    assertEquals(255, img.get(x, y, 3), "alpha at " + x + "," + y);
                    assertEquals(200, img.get(x, y, 1), "green at " + x + "," + y);
                }
                assertEquals(0, img.get(first - 1, y, 3));
                assertEquals(0, img.get(last + 1, y, 3));
            }
        }
    }

    @Test
    void viewsAreWrittenAsPngsNamedAfterThemWithAContactSheet(@TempDir Path dir) throws Exception {
        try (Scene s = TestScenes.quad(Material.ofColor("grey", 0.5f, 0.5f, 0.5f, 1))) {
            RenderResult r = renderer.render(s, RenderOptions.DEFAULTS.withSize(96, 64)
                    .withViews(View.parse("front,three_quarter,top")).withOutput(dir, true));
            for (String name : List.of("front", "three_quarter", "top")) {
                Path file = dir.resolve(name + ".png");
                BufferedImage png = ImageIO.read(file.toFile());
                assertEquals(96, png.getWidth());
                assertEquals(64, png.getHeight());
                assertTrue(png.getColorModel().hasAlpha(), name + " has an alpha channel");
                assertEquals(0, png.getRGB(0, 0) >>> 24, name + ": the corner is transparent");
            }
            assertEquals(dir.resolve("contact_sheet.png"), r.contactSheet());
            BufferedImage sheet = ImageIO.read(r.contactSheet().toFile());
            assertEquals(2 * 96, sheet.getWidth());
            assertEquals(2 * 64, sheet.getHeight());
            assertEquals(List.of(), List.of(Files.list(dir).filter(f -> f.toString().endsWith(".part")).toArray()));
            assertNotNull(r.renderer());
        }
    }

    @Test
    void aListenerThatSaysStopCancelsTheRender() {
        try (Scene s = TestScenes.quad(Material.ofColor("grey", 0.5f, 0.5f, 0.5f, 1))) {
            CancelledException e = assertThrows(CancelledException.class, () -> renderer.render(s,
                    RenderOptions.DEFAULTS.withSize(32, 32).withViews(View.turntable(4))
                            .withProgress((f, stage) -> f < 0.5)));
            assertEquals("the render was cancelled at turntable_02", e.getMessage());
            // The context survives a cancelled request.
            assertEquals(1, renderer.render(s, RenderOptions.DEFAULTS.withSize(32, 32)).views().size());
        }
    }

    @Test
    void closingOneRendererLeavesAnotherWorking() {
        // Both contexts live on the one display EGL hands out; closing the second must not end it for the first.
        try (Scene s = TestScenes.quad(TestScenes.unlit(10, 20, 30))) {
            StudioRenderer.renderOnce(s, RenderOptions.DEFAULTS.withSize(16, 16));
            RgbaImage img = renderer.render(s, AnalyticRenderTest.front(16).withToneMapping(ToneMapping.NONE))
                    .views().get(0).image();
            assertEquals(20, img.get(8, 8, 1));
        }
    }

    @Test
    void askingForAGpuWhereThereIsNoneSaysSoInOneSentence() {
        System.setProperty("meshforge.egl", "device");
        try {
            StudioRenderer r = StudioRenderer.open();
            r.close();
            org.junit.jupiter.api.Assumptions.abort("this machine has a GPU with EGL: " + r.description());
        } catch (dev.meshforge.core.UnsupportedFeatureException e) {
            assertTrue(e.getMessage().startsWith("MESHFORGE_EGL=device asks for a GPU through EGL, but none could be "
                    + "opened ("), e.getMessage());
            assertTrue(e.getMessage().endsWith("; install the GPU vendor's EGL driver or unset it."), e.getMessage());
        } finally {
            System.clearProperty("meshforge.egl");
        }
    }

    @Test
    void aTurntableIsAlsoWrittenAsAnAnimatedGif(@TempDir Path dir) throws Exception {
        try (Scene s = TestScenes.quad(TestScenes.unlit(200, 40, 40))) {
            RenderResult r = renderer.render(s, RenderOptions.DEFAULTS.withSize(48, 48).withViews(View.turntable(3))
                    .withToneMapping(ToneMapping.NONE).withOutput(dir, false));
            assertEquals(dir.resolve("turntable.gif"), r.animation());
            javax.imageio.ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            try (var in = ImageIO.createImageInputStream(r.animation().toFile())) {
                reader.setInput(in);
                assertEquals(3, reader.getNumImages(true));
                BufferedImage first = reader.read(0);
                assertEquals(48, first.getWidth());
                // The transparent background becomes white; the quad keeps its colour (within GIF's palette).
                assertEquals(0xFFFFFF, first.getRGB(0, 0) & 0xFFFFFF);
                int centre = first.getRGB(24, 24);
                assertTrue(Math.abs(((centre >> 16) & 0xFF) - 200) <= 8 && Math.abs((centre & 0xFF) - 40) <= 8,
                        Integer.toHexString(centre));
            } finally {
                reader.dispose();
            }
            assertEquals(null, r.contactSheet());
        }
    }

    @Test
    void theContactShadowDarkensTheGroundUnderTheModelOnlyAndCanBeSwitchedOff() {
        try (Scene s = new Scene()) {
            s.addRoot(new Node("ball").mesh(new Mesh("ball").add(TestScenes.sphere(s, 32, 16))));
            RenderOptions o = RenderOptions.DEFAULTS.withSize(128, 128).withViews(View.parse("three_quarter"));
            RgbaImage with = renderer.render(s, o).views().get(0).image();
            RgbaImage without = renderer.render(s, o.withShadow(false)).views().get(0).image();
            // Walk down the middle column from the ball's lowest covered pixel: the ground just below it.
            int x = 64;
            int lowest = -1;
            for (int y = 0; y < 128; y++) {
                if (without.get(x, y, 3) == 255) {
                    lowest = y;
                }
            }
            assertTrue(lowest > 64 && lowest < 125, "the ball's lowest pixel is at " + lowest);
            int below = lowest + 2;
            assertEquals(0, without.get(x, below, 3), "no shadow without --shadow");
            assertTrue(with.get(x, below, 3) > 60, "shadow alpha " + with.get(x, below, 3));
            assertEquals(0, with.get(x, below, 0), "the shadow is black");
            // Far from the model the ground is untouched: the corners stay transparent.
            assertEquals(0, with.get(0, 0, 3));
            assertEquals(0, with.get(127, 0, 3));
            assertEquals(0, with.get(127, 127, 3));
        }
    }
}
