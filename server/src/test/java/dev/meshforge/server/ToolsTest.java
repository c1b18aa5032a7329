// Every tool the engine has is served: scale, repair to a height, render; result thumbnails from the renderer.
package dev.meshforge.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToolsTest {
    static final byte[] CUBE = TestServer.fixture("cube.obj");   // the unit cube [0,1]^3, OBJ: taken as metres

    @TempDir
    static Path dir;
    static TestServer s;

    @BeforeAll
    static void start() {
        s = new TestServer(TestServer.config(dir).withThumbnails(true));
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    private Administration.NewKey key(long credits) {
        Administration.NewKey k = s.account(credits);
        s.admin.setTasksPerMinute(k.prefix(), 100);
        return k;
    }

    /** Width, depth and height of a binary STL's vertices (x, y, z extents). */
    static double[] stlExtent(byte[] stl) {
        ByteBuffer b = ByteBuffer.wrap(stl).order(ByteOrder.LITTLE_ENDIAN);
        int n = b.getInt(80);
        double[] min = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] max = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int t = 0; t < n; t++) {
            for (int v = 0; v < 3; v++) {
                for (int a = 0; a < 3; a++) {
                    float f = b.getFloat(84 + t * 50 + 12 + v * 12 + a * 4);
                    min[a] = Math.min(min[a], f);
                    max[a] = Math.max(max[a], f);
                }
            }
        }
        return new double[] {max[0] - min[0], max[1] - min[1], max[2] - min[2]};
    }

    @Test
    void scaleToAHeightInMillimetres() {
        Administration.NewKey k = key(100);
        TestServer.Answer a = s.submit(k.key(), "scale", "cube.obj", CUBE, Map.of("target_height", 50, "unit", "mm",
                "output_format", "stl"));
        assertEquals(202, a.status(), () -> a.json().toString());
        assertEquals(5, a.json().get("cost").asLong());
        JsonNode st = s.await(k.key(), a.json().get("task_id").asText());
        assertEquals("FINISHED", st.get("status").asText(), st.toString());
        byte[] stl = s.get(k.key(), st.get("results").get(0).get("asset").asText()).response().body();
        // The 1 m cube made 50 mm high, uniformly: STL is written in millimetres.
        double[] e = stlExtent(stl);
        for (double d : e) {
            assertEquals(50.0, d, 1e-3, () -> java.util.Arrays.toString(e));
        }
        assertEquals(95, s.balance(k.key()));
    }

    @Test
    void repairWithATargetHeightScalesTheRepairedModel() {
        Administration.NewKey k = key(100);
        TestServer.Answer a = s.submit(k.key(), "repair", "cube.obj", CUBE, Map.of("target_height", 2, "unit", "cm",
                "output_format", "stl"));
        assertEquals(202, a.status(), () -> a.json().toString());
        assertEquals(60, a.json().get("cost").asLong());
        JsonNode st = s.await(k.key(), a.json().get("task_id").asText());
        assertEquals("FINISHED", st.get("status").asText(), st.toString());
        assertTrue(st.get("report").has("scale"), st.toString());
        double[] e = stlExtent(s.get(k.key(), st.get("results").get(0).get("asset").asText()).response().body());
        for (double d : e) {
            assertEquals(20.0, d, 1e-2, () -> java.util.Arrays.toString(e));
        }
    }

    /** The enclosed volume of a binary STL, summed from its triangles (the divergence theorem). */
    static double stlVolume(byte[] stl) {
        ByteBuffer b = ByteBuffer.wrap(stl).order(ByteOrder.LITTLE_ENDIAN);
        int n = b.getInt(80);
        double v = 0;
        for (int t = 0; t < n; t++) {
            double[][] p = new double[3][3];
            for (int c = 0; c < 3; c++) {
                for (int a = 0; a < 3; a++) {
                    p[c][a] = b.getFloat(84 + t * 50 + 12 + c * 12 + a * 4);
                }
            }
            v += (p[0][0] * (p[1][1] * p[2][2] - p[1][2] * p[2][1]) - p[0][1] * (p[1][0] * p[2][2] - p[1][2] * p[2][0])
                    + p[0][2] * (p[1][0] * p[2][1] - p[1][1] * p[2][0])) / 6;
        }
        return v;
    }

    @Test
    void repairWithHollowingSizesThenHollowsAndChargesTheHollowingPrice() {
        Administration.NewKey k = key(100);
        TestServer.Answer a = s.submit(k.key(), "repair", "cube.obj", CUBE, Map.of("target_height", 20, "unit", "mm",
                "hollow", true, "wall_thickness", 2, "output_format", "stl"));
        assertEquals(202, a.status(), () -> a.json().toString());
        assertEquals(90, a.json().get("cost").asLong());
        JsonNode st = s.await(k.key(), a.json().get("task_id").asText());
        assertEquals("FINISHED", st.get("status").asText(), st.toString());
        assertTrue(st.get("report").has("hollow"), st.toString());
        byte[] stl = s.get(k.key(), st.get("results").get(0).get("asset").asText()).response().body();
        double[] e = stlExtent(stl);
        for (double d : e) {
            assertEquals(20.0, d, 0.05, () -> java.util.Arrays.toString(e));
        }
        // A 20 mm cube with 2 mm walls: 20^3 - 16^3 = 3904 mm^3 of material, less the drain hole's few mm^3.
        double volume = stlVolume(stl);
        assertEquals(3904, volume, 3904 * 0.03, "material volume " + volume);
        assertEquals(10, s.balance(k.key()));
    }

    @Test
    void hollowIsItsOwnToolWithItsOwnPriceAndAnOpenModelIsRefunded() {
        Administration.NewKey k = key(100);
        // The unit cube taken as metres, hollowed at a 100 mm wall without holes: 1 - 0.8^3 = 0.488 m^3 of material.
        TestServer.Answer a = s.submit(k.key(), "hollow", "cube.obj", CUBE, Map.of("wall_thickness", 100, "unit", "mm",
                "holes", "none"));
        assertEquals(202, a.status(), () -> a.json().toString());
        assertEquals(30, a.json().get("cost").asLong());
        JsonNode st = s.await(k.key(), a.json().get("task_id").asText());
        assertEquals("FINISHED", st.get("status").asText(), st.toString());
        byte[] stl = s.get(k.key(), st.get("results").get(0).get("asset").asText()).response().body();
        assertEquals(0.488, stlVolume(stl), 0.488 * 0.02);
        assertEquals("holes", s.submit(k.key(), "hollow", "cube.obj", CUBE, Map.of("holes", "some"))
                .problem(400, "invalid_option").get("field").asText());
        TestServer.Answer open = s.submit(k.key(), "hollow", "open-cube.obj", TestServer.fixture("open-cube.obj"),
                Map.of());
        JsonNode failed = s.await(k.key(), open.json().get("task_id").asText());
        assertEquals("FAILED", failed.get("status").asText(), failed.toString());
        assertEquals(70, s.balance(k.key()));
    }

    @Test
    void wallThicknessGoesWithHollow() {
        Administration.NewKey k = key(100);
        assertEquals("wall_thickness", s.submit(k.key(), "repair", "cube.obj", CUBE, Map.of("wall_thickness", 2))
                .problem(400, "invalid_option").get("field").asText());
        assertEquals("wall_thickness", s.submit(k.key(), "repair", "cube.obj", CUBE, Map.of("hollow", true,
                "wall_thickness", -1)).problem(400, "invalid_option").get("field").asText());
        assertEquals(100, s.balance(k.key()));
    }

    @Test
    void scaleAndRenderOptionsAreCheckedNamingTheField() {
        Administration.NewKey k = key(100);
        assertEquals("target_width", s.submit(k.key(), "scale", "cube.obj", CUBE, Map.of("target_height", 5,
                "target_width", 5)).problem(400, "invalid_option").get("field").asText());
        assertEquals("target_height", s.submit(k.key(), "scale", "cube.obj", CUBE, Map.of("unit", "mm"))
                .problem(400, "missing_option").get("field").asText());
        assertEquals("unit", s.submit(k.key(), "scale", "cube.obj", CUBE, Map.of("target_height", 5, "unit", "ft"))
                .problem(400, "invalid_option").get("field").asText());
        assertEquals("target_height", s.submit(k.key(), "scale", "cube.obj", CUBE, Map.of("target_height", -1))
                .problem(400, "invalid_option").get("field").asText());
        assertEquals("unit", s.submit(k.key(), "repair", "cube.obj", CUBE, Map.of("unit", "mm"))
                .problem(400, "invalid_option").get("field").asText());
        assertEquals("views", s.submit(k.key(), "render", "cube.obj", CUBE, Map.of("views", "sideways"))
                .problem(400, "invalid_option").get("field").asText());
        assertEquals("size", s.submit(k.key(), "render", "cube.obj", CUBE, Map.of("size", 5000))
                .problem(400, "invalid_option").get("field").asText());
        assertEquals(100, s.balance(k.key()));
    }

    @Test
    void convertedModelsGetAThumbnailOrSayWhyNot() throws IOException {
        Administration.NewKey k = key(100);
        TestServer.Answer a = s.submit(k.key(), "convert", "cube.obj", CUBE, Map.of("output_format", "glb"));
        JsonNode st = s.await(k.key(), a.json().get("task_id").asText());
        assertEquals("FINISHED", st.get("status").asText(), st.toString());
        assertEquals(1, st.get("results").size(), "the thumbnail is no asset of its own: " + st);
        JsonNode result = st.get("results").get(0);
        if (result.get("thumbnail").isNull()) {
            String warnings = st.get("report").get("warnings").toString();
            assertTrue(warnings.contains("no thumbnail"), warnings);
            org.junit.jupiter.api.Assumptions.abort("this machine cannot render: " + warnings);
        }
        TestServer.Answer png = s.get(k.key(), result.get("thumbnail").asText());
        assertEquals(200, png.status());
        assertEquals("image/png", png.contentType());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png.response().body()));
        assertNotNull(img, "not a PNG");
        assertEquals(256, img.getWidth());
        assertEquals(256, img.getHeight());
        // The cube covers the middle of the picture, over a transparent background at the corner.
        assertEquals(0, img.getRGB(0, 0) >>> 24, "the corner is not transparent");
        assertTrue((img.getRGB(128, 128) >>> 24) > 200, "nothing drawn in the middle");
    }

    @Test
    void renderChargesPerImageAndGivesPngs() throws IOException {
        Administration.NewKey k = key(100);
        TestServer.Answer a = s.submit(k.key(), "render", "cube.obj", CUBE, Map.of("views", List.of("front", "top"),
                "size", 64));
        assertEquals(202, a.status(), () -> a.json().toString());
        assertEquals(10, a.json().get("cost").asLong());
        JsonNode st = s.await(k.key(), a.json().get("task_id").asText());
        if (st.get("status").asText().equals("FAILED")) {
            // No EGL here: the task fails saying so, and is refunded.
            assertTrue(st.get("failure_reason").asText().contains("cannot render"), st.toString());
            assertEquals(100, s.balance(k.key()));
            org.junit.jupiter.api.Assumptions.abort("this machine cannot render: " + st.get("failure_reason"));
        }
        assertEquals(List.of("cube_front.png", "cube_top.png"), st.get("results").findValuesAsText("name"));
        for (JsonNode r : st.get("results")) {
            assertEquals("png", r.get("asset_type").asText());
            byte[] body = s.get(k.key(), r.get("asset").asText()).response().body();
            assertEquals("PNG", new String(body, 1, 3, StandardCharsets.US_ASCII));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(body));
            assertEquals(64, img.getWidth());
            assertTrue((img.getRGB(32, 32) >>> 24) > 200, "nothing drawn in the middle of " + r.get("name"));
        }
        assertEquals(90, s.balance(k.key()));
    }
}
