// Our renders against a renderer we did not write: Google's <model-viewer> (three.js) in headless Chromium with
// software WebGL, on every textured glTF/GLB of the corpus, under the same HDR environment, camera and tone
// mapping; the difference measured as model-viewer's render-fidelity tools measure it.
package dev.meshforge.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.render.internal.Matrix4;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metric (model-viewer's {@code ImageComparator.analyze}): over the pixels where model-viewer's image is not
 * fully transparent, each pixel's colour difference in YIQ (Kotsarenko and Ramos, as pixelmatch computes it, both
 * pixels blended over white by their alpha) is squared and averaged; the root of that over the largest possible
 * difference (35215) is the ratio, reported as 10 log10(ratio) dB. Identical images would give minus infinity;
 * model-viewer fails its own fidelity scenarios above -22 dB, and different engines on the same asset typically
 * score -14 to -18 dB.
 *
 * <p>Both renderers light with one environment written by this test: a panorama that changes with elevation only
 * (a bright sky over a darker ground), so that the two engines' conventions for a panorama's azimuth cannot
 * differ. Our view's camera, which frames the model by zooming and shifting the image plane, is handed to
 * model-viewer as the same eye, direction and field of view with the zoom and shift as a window of its image
 * (see {@link #camera}).
 *
 * <p>Needs node and npm ({@code tools/fidelity}: @google/model-viewer, playwright-core) and Debian's
 * {@code chromium}; without them the test is skipped, except under {@code CI=true}, where
 * {@code scripts/prerequisites} installs them.
 */
class ModelViewerFidelityTest {
    static final int SIZE = 256;
    static final double MAX_COLOR_DISTANCE = 35215;

    @Test
    void texturedCorpusModelsRenderAsModelViewerRendersThem() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(chromium)) {
            assertTrue(!"true".equals(System.getenv("CI")), "scripts/prerequisites installs chromium under CI");
            Assumptions.abort("Debian's chromium is not installed: the model-viewer comparison needs it");
        }
        Path tool = fidelityTool();
        Path corpus = CorpusFiles.root();
        Path work = Path.of("target", "fidelity").toAbsolutePath();
        Files.createDirectories(work);
        Path hdr = work.resolve("sky.hdr");
        writeSkyPanorama(hdr, 256, 128);

        ObjectMapper json = new ObjectMapper();
        ObjectNode job = json.createObjectNode();
        job.put("environment", hdr.toString());
        job.put("size", SIZE);
        job.put("chromium", chromium.toString());
        ArrayNode scenes = job.putArray("scenes");
        Map<String, Path[]> pairs = new LinkedHashMap<>();
        View view = new View("fidelity", 30, 20);
        try (StudioRenderer renderer = StudioRenderer.open()) {
            for (Path model : texturedModels(corpus)) {
                String name = corpus.relativize(model).toString().replace('/', '_');
                RenderResult r;
                try (Scene s = Formats.read(model)) {
                    r = renderer.render(s, RenderOptions.DEFAULTS.withSize(SIZE, SIZE).withViews(List.of(view))
                            .withShadow(false).withEnvironmentMap(hdr));
                }
                Path ours = work.resolve(name + ".meshforge.png");
                r.views().getFirst().image().writePng(ours);
                Path theirs = work.resolve(name + ".model-viewer.png");
                Files.deleteIfExists(theirs);
                ObjectNode scene = scenes.addObject();
                scene.put("model", model.toString());
                scene.put("out", theirs.toString());
                camera(view, RenderOptions.DEFAULTS.fieldOfView(), r.views().getFirst().viewProjection(), scene);
                pairs.put(corpus.relativize(model).toString(), new Path[] {ours, theirs});
            }
        }
        assertTrue(pairs.size() >= 10, "the corpus has " + pairs.size() + " textured glTF/GLB models, not 10 or more");
        Path jobFile = work.resolve("job.json");
        json.writerWithDefaultPrettyPrinter().writeValue(jobFile.toFile(), job);
        String log = run(tool, 900, "node", tool.resolve("render.js").toString(), jobFile.toString());

        StringBuilder report = new StringBuilder("model\tdB\tmodel pixels\n");
        double sum = 0;
        double worst = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, Path[]> e : pairs.entrySet()) {
            BufferedImage ours = ImageIO.read(e.getValue()[0].toFile());
            BufferedImage theirs = ImageIO.read(e.getValue()[1].toFile());
            assertEquals(SIZE, theirs.getWidth(), e.getKey() + ": model-viewer's image size\n" + log);
            double[] rms = rmsDistanceRatio(theirs, ours);
            double db = 10 * Math.log10(rms[0]);
            report.append(String.format(Locale.ROOT, "%s\t%.2f\t%d%n", e.getKey(), db, (long) rms[1]));
            assertTrue(rms[1] > SIZE * SIZE / 50.0, e.getKey() + ": model-viewer drew only " + (long) rms[1]
                    + " model pixels");
            sum += db;
            worst = Math.max(worst, db);
        }
        double mean = sum / pairs.size();
        report.append(String.format(Locale.ROOT, "mean\t%.2f%n", mean));
        Files.writeString(work.resolve("report.tsv"), report);
        System.out.print(report);
        assertTrue(mean <= MEAN_DB, "mean " + mean + " dB\n" + report);
        assertTrue(worst <= WORST_DB, "worst " + worst + " dB\n" + report);
    }

    /**
     * The aim is -18 dB or better on average. Measured when the comparison was written: mean -23.3 dB over 11
     * models, worst -20.7 dB (MorphStressTest.gltf); the bounds leave room for another CPU's rounding in llvmpipe
     * and SwiftShader. -22 dB is also the bound model-viewer holds its own fidelity scenarios to.
     */
    static final double MEAN_DB = -22;
    static final double WORST_DB = -19;

    /** model-viewer's ratio over the candidate's model pixels, and the number of those pixels. */
    static double[] rmsDistanceRatio(BufferedImage candidate, BufferedImage golden) {
        double squareSum = 0;
        long pixels = 0;
        for (int y = 0; y < candidate.getHeight(); y++) {
            for (int x = 0; x < candidate.getWidth(); x++) {
                int c = candidate.getRGB(x, y);
                if (c >>> 24 == 0) {
                    continue;
                }
                double delta = yiqDelta(c, golden.getRGB(x, y));
                squareSum += delta * delta;
                pixels++;
            }
        }
        return new double[] {Math.sqrt(squareSum / pixels) / MAX_COLOR_DISTANCE, pixels};
    }

    /** The squared YIQ difference of two straight-alpha ARGB pixels, each blended over white first. */
    static double yiqDelta(int p, int q) {
        double[] a = overWhite(p);
        double[] b = overWhite(q);
        double dy = luma(a) - luma(b);
        double di = (0.59597799 * a[0] - 0.27417610 * a[1] - 0.32180189 * a[2])
                - (0.59597799 * b[0] - 0.27417610 * b[1] - 0.32180189 * b[2]);
        double dq = (0.21147017 * a[0] - 0.52261711 * a[1] + 0.31114694 * a[2])
                - (0.21147017 * b[0] - 0.52261711 * b[1] + 0.31114694 * b[2]);
        return 0.5053 * dy * dy + 0.299 * di * di + 0.1957 * dq * dq;
    }

    private static double luma(double[] c) {
        return 0.29889531 * c[0] + 0.58662247 * c[1] + 0.11448223 * c[2];
    }

    private static double[] overWhite(int argb) {
        double alpha = (argb >>> 24) / 255.0;
        double[] c = new double[3];
        for (int k = 0; k < 3; k++) {
            int v = (argb >> (16 - 8 * k)) & 0xFF;
            c[k] = 255 + (v - 255) * alpha;
        }
        return c;
    }

    /**
     * model-viewer's camera for our view. Ours looks from the eye toward the scene along the view's direction and
     * frames the model by zooming and shifting the image plane; model-viewer gets the same eye and direction (its
     * orbit angles are the view's azimuth and 90° less the elevation, its target on that axis), our field of view
     * before the zoom, and the zoom and shift as a window of its full image (three.js's view offset), which is the
     * same off-axis projection.
     */
    static void camera(View view, double fieldOfView, float[] viewProjection, ObjectNode out) {
        float[] inverse = Matrix4.invert(viewProjection);
        double[] eye = unproject(inverse, 0, 0, 1, 0);
        double az = Math.toRadians(view.azimuth());
        double el = Math.toRadians(view.elevation());
        // Y up, front +Z, right +X: glTF's axes.
        double[] back = {Math.sin(az) * Math.cos(el), Math.sin(el), Math.cos(az) * Math.cos(el)};
        double[] right = normalize(new double[] {back[2], 0, -back[0]}); // up x back
        double[] up = {back[1] * right[2] - back[2] * right[1], back[2] * right[0] - back[0] * right[2],
                back[0] * right[1] - back[1] * right[0]};
        double tan = Math.tan(Math.toRadians(fieldOfView) / 2);
        // Where our image's centre and its top right corner fall in the unshifted image: the zoom and the shift.
        double[] c = baseNdc(unproject(inverse, 0, 0, 0, 1), eye, right, up, back, tan);
        double[] corner = baseNdc(unproject(inverse, 1, 1, 0, 1), eye, right, up, back, tan);
        double zoom = 1 / (corner[0] - c[0]);
        double windowSize = SIZE / zoom;
        double left = (c[0] - 1 / zoom + 1) / 2 * SIZE;
        double top = (1 - (c[1] + 1 / zoom)) / 2 * SIZE;
        double[] centre = unproject(inverse, 0, 0, 0, 1);
        double radius = length(minus(centre, eye));
        ArrayNode target = out.putArray("target");
        for (int k = 0; k < 3; k++) {
            target.add(eye[k] - back[k] * radius);
        }
        out.put("theta", view.azimuth());
        out.put("phi", 90 - view.elevation());
        out.put("radius", radius);
        out.put("fov", fieldOfView);
        out.putArray("viewOffset").add(left).add(top).add(windowSize).add(windowSize);
    }

    /** A world point's coordinates in the unshifted image of a camera at {@code eye}, -1..1 across. */
    private static double[] baseNdc(double[] p, double[] eye, double[] right, double[] up, double[] back, double tan) {
        double[] d = minus(p, eye);
        double depth = -(d[0] * back[0] + d[1] * back[1] + d[2] * back[2]);
        return new double[] {(d[0] * right[0] + d[1] * right[1] + d[2] * right[2]) / (depth * tan),
                (d[0] * up[0] + d[1] * up[1] + d[2] * up[2]) / (depth * tan)};
    }

    private static double[] normalize(double[] a) {
        double l = length(a);
        return new double[] {a[0] / l, a[1] / l, a[2] / l};
    }

    /** The world point of clip coordinates (x, y, z, w), divided by its w. */
    private static double[] unproject(float[] inverse, double x, double y, double z, double w) {
        double[] r = new double[4];
        for (int i = 0; i < 4; i++) {
            r[i] = inverse[i] * x + inverse[4 + i] * y + inverse[8 + i] * z + inverse[12 + i] * w;
        }
        return new double[] {r[0] / r[3], r[1] / r[3], r[2] / r[3]};
    }

    private static double[] minus(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    private static double length(double[] a) {
        return Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    }

    /**
     * Every glTF/GLB of the corpus facts with textures, outside the broken folders, but those whose textures are
     * KTX2 (KHR_texture_basisu): model-viewer fetches its transcoder from a CDN, which a test cannot reach.
     */
    static List<Path> texturedModels(Path corpus) throws IOException {
        List<Path> out = new ArrayList<>();
        Path facts = corpus.resolveSibling("corpus-facts.json");
        for (var n : new ObjectMapper().readTree(facts.toFile())) {
            String file = n.get("file").asText();
            if (!(file.startsWith("glb/") || file.startsWith("gltf/")) || file.contains("broken/")
                    || n.path("textures").asInt(0) < 1) {
                continue;
            }
            Path p = corpus.resolve(file);
            String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
            if (!text.contains("KHR_texture_basisu")) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * An equirectangular Radiance HDR that depends on elevation only: sky radiance rising from 0.6 at the horizon
     * to 2.2 overhead, ground 0.35 to 0.6 (flat RGBE scanlines, which stb_image and three.js's loader both read).
     */
    static void writeSkyPanorama(Path file, int width, int height) throws IOException {
        byte[] header = ("#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y " + height + " +X " + width + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] pixels = new byte[width * height * 4];
        for (int y = 0; y < height; y++) {
            double s = Math.sin(Math.PI / 2 - (y + 0.5) / height * Math.PI);
            double[] rgb = s > 0 ? new double[] {0.6 + 1.6 * s, 0.6 + 1.6 * s, 0.65 + 1.7 * s}
                    : new double[] {0.6 + 0.25 * s, 0.6 + 0.25 * s, 0.6 + 0.25 * s};
            double m = Math.max(rgb[0], Math.max(rgb[1], rgb[2]));
            int e = Math.getExponent(m) + 1; // m = f * 2^e with f in [0.5, 1)
            double scale = Math.scalb(256.0, -e);
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 4;
                pixels[i] = (byte) (int) (rgb[0] * scale);
                pixels[i + 1] = (byte) (int) (rgb[1] * scale);
                pixels[i + 2] = (byte) (int) (rgb[2] * scale);
                pixels[i + 3] = (byte) (e + 128);
            }
        }
        byte[] all = new byte[header.length + pixels.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(pixels, 0, all, header.length, pixels.length);
        Files.write(file, all);
    }

    /** tools/fidelity above the working directory, its node_modules installed with npm ci on first use. */
    static Path fidelityTool() throws Exception {
        Path at = Path.of("").toAbsolutePath();
        while (at != null && !Files.isRegularFile(at.resolve("tools/fidelity/package.json"))) {
            at = at.getParent();
        }
        assertTrue(at != null, "tools/fidelity/package.json was not found above " + Path.of("").toAbsolutePath());
        Path dir = at.resolve("tools/fidelity");
        if (!Files.isDirectory(dir.resolve("node_modules/@google/model-viewer"))
                || !Files.isDirectory(dir.resolve("node_modules/playwright-core"))) {
            run(dir, 600, "npm", "ci", "--no-audit", "--no-fund");
        }
        return dir;
    }

    private static String run(Path cwd, int seconds, String... command) throws Exception {
        Path log = Files.createTempFile("meshforge-fidelity", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + seconds + " s:\n"
                        + Files.readString(log));
            }
            String out = Files.readString(log);
            assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
