// Renders the views of a request with one GL context: uploads the scene, draws each view tile by tile (opaque,
// contact shadow, sorted blended draws), resolves to 8-bit sRGB and writes or keeps the images.
package dev.meshforge.render.internal;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.CancelledException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.scene.AlphaMode;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.render.Background;
import dev.meshforge.render.RenderOptions;
import dev.meshforge.render.RenderResult;
import dev.meshforge.render.RenderedView;
import dev.meshforge.render.RgbaImage;
import dev.meshforge.render.View;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.lwjgl.opengl.GL33C.*;

/** A GL context with the programs, DFG table and environments it has built; not for concurrent use. */
public final class OffscreenRenderer implements AutoCloseable {
    private static final int UNIT_PREFILTERED = 5;
    private static final int UNIT_IRRADIANCE = 6;
    private static final int UNIT_DFG = 7;

    private final EglContext egl;
    private final Programs programs = new Programs();
    private final Map<String, Environment> environments = new HashMap<>();
    private final String description;
    private int dfgLut;
    private int white;
    private int emptyVao;
    private boolean closed;

    private OffscreenRenderer(EglContext egl) {
        this.egl = egl;
        egl.makeCurrent();
        try {
            description = egl.description() + ": " + EglContext.renderer();
            glEnable(GL_TEXTURE_CUBE_MAP_SEAMLESS);
            white = glGenTextures();
            glBindTexture(GL_TEXTURE_2D, white);
            glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, 1, 1, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                    new int[] {0xFFFFFFFF});
            emptyVao = glGenVertexArrays();
            dfgLut = Environment.buildDfgLut(programs);
        } catch (RuntimeException e) {
            releaseGl();
            egl.close();
            throw e;
        } finally {
            egl.release();
        }
    }

    public static OffscreenRenderer open() {
        return new OffscreenRenderer(EglContext.open());
    }

    public String description() {
        return description;
    }

    /**
     * The memory a request needs at most besides the scene's own buffers and textures: one view's pixels twice
     * (the readback and the PNG encoder's copy), the tile's multisampled HDR colour and depth plus its resolve
     * targets, and the contact sheet's cells.
     */
    public static long workingBytes(RenderOptions options) {
        long pixels = (long) options.width() * options.height();
        long tile = (long) Math.min(options.width(), FrameTarget.MAX_TILE) * Math.min(options.height(),
                FrameTarget.MAX_TILE);
        long sheet = options.contactSheet() && options.views().size() > 1
                ? (long) options.views().size() * Math.min(pixels, (long) ContactSheet.MAX_CELL * ContactSheet.MAX_CELL) * 4
                : 0;
        return pixels * 4 * 2 + tile * (options.samples() * (8L + 4) + 8 + 4) + sheet;
    }

    public synchronized RenderResult render(Scene scene, RenderOptions options) {
        if (closed) {
            throw new IllegalStateException("the renderer is closed");
        }
        List<String> warnings = new ArrayList<>();
        List<RenderedView> results = new ArrayList<>();
        Path sheetFile = null;
        Path animationFile = null;
        TurntableGif gif = null;
        TurntableVideo video = null;
        Path videoFile = null;
        Path dir = options.outputDirectory();
        if (dir != null) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new BadInputException(dir, "cannot be created as the output directory (" + e + ")", e);
            }
        }
        egl.makeCurrent();
        try (GpuScene gpu = new GpuScene(scene, warnings);
             ContactShadow shadow = options.shadow() && hasTriangles(gpu)
                     ? new ContactShadow(gpu, scene.units().upAxis(), programs) : null;
             FrameTarget target = new FrameTarget(Math.min(options.width(), FrameTarget.MAX_TILE),
                     Math.min(options.height(), FrameTarget.MAX_TILE), options.samples())) {
            Path panorama = options.environmentMap();
            String key = panorama == null ? options.lighting().name() : "file:" + panorama.toAbsolutePath();
            Environment env = environments.get(key);
            if (env == null) {
                env = Environment.build(options.lighting(), panorama, programs);
                environments.put(key, env);
            }
            ContactSheet sheet = dir != null && options.contactSheet() && options.views().size() > 1
                    ? new ContactSheet(options.width(), options.height()) : null;
            int n = options.views().size();
            long turntableFrames = options.views().stream().filter(v -> v.name().startsWith("turntable_")).count();
            if (dir != null && turntableFrames > 1) {
                gif = new TurntableGif(dir.resolve("turntable.gif"), options.background(), (int) turntableFrames);
                video = startVideo(dir.resolve("turntable.mp4"), options, (int) turntableFrames, warnings);
            }
            for (int i = 0; i < n; i++) {
                View view = options.views().get(i);
                progress(options, (double) i / n, view.name());
                CameraRig rig = CameraRig.frame(view, scene.units().upAxis(), gpu.points, gpu.pointCount, gpu.bounds,
                        options.width() / (double) options.height(), options.projection(), options.fieldOfView(),
                        options.margin());
                byte[] pixels = new byte[options.width() * options.height() * 4];
                int across = (options.width() + target.width - 1) / target.width;
                int tiles = across * ((options.height() + target.height - 1) / target.height);
                int tile = 0;
                for (int y0 = 0; y0 < options.height(); y0 += target.height) {
                    for (int x0 = 0; x0 < options.width(); x0 += target.width) {
                        if (tile > 0) {
                            // Large images take a while per view: report (and allow cancelling) between tiles.
                            progress(options, (i + tile / (double) tiles) / n, view.name());
                        }
                        int tw = Math.min(target.width, options.width() - x0);
                        int th = Math.min(target.height, options.height() - y0);
                        drawTile(gpu, shadow, env, target, rig, options, pixels, x0, y0, tw, th);
                        tile++;
                    }
                }
                checkErrors(options);
                RgbaImage image = new RgbaImage(options.width(), options.height(), pixels);
                if (dir != null) {
                    Path file = dir.resolve(view.name() + ".png");
                    image.writePng(file);
                    if (sheet != null) {
                        sheet.add(image);
                    }
                    if (gif != null && view.name().startsWith("turntable_")) {
                        gif.add(image);
                        video = addFrame(video, image, warnings);
                    }
                    results.add(new RenderedView(view, file, null, rig.viewProjection()));
                } else {
                    results.add(new RenderedView(view, null, image, rig.viewProjection()));
                }
            }
            if (gif != null) {
                progress(options, 1.0, "animation");
                animationFile = gif.finish();
                gif = null;
            }
            if (video != null) {
                progress(options, 1.0, "video");
                videoFile = finishVideo(video, warnings);
                video = null;
            }
            if (sheet != null) {
                progress(options, 1.0, "contact sheet");
                sheetFile = dir.resolve("contact_sheet.png");
                sheet.compose(options.background()).writePng(sheetFile);
            }
            progress(options, 1.0, "done");
        } finally {
            if (gif != null) {
                gif.close();
            }
            if (video != null) {
                video.close();
            }
            egl.release();
        }
        return new RenderResult(results, sheetFile, animationFile, videoFile, warnings, description);
    }

    // The video is a companion of the PNGs and the GIF: where ffmpeg is missing or fails, the render goes on and
    // says so in a warning.
    private static TurntableVideo startVideo(Path file, RenderOptions options, int frames, List<String> warnings) {
        try {
            TurntableVideo v = TurntableVideo.start(file, options.background(), options.width(), options.height(),
                    frames);
            if (v == null) {
                warnings.add("no " + file.getFileName() + ": the ffmpeg program is not on the PATH (Debian package "
                        + "ffmpeg)");
            }
            return v;
        } catch (java.io.UncheckedIOException e) {
            warnings.add("no " + file.getFileName() + ": " + e.getMessage());
            return null;
        }
    }

    private static TurntableVideo addFrame(TurntableVideo video, RgbaImage image, List<String> warnings) {
        if (video == null) {
            return null;
        }
        try {
            video.add(image);
            return video;
        } catch (java.io.UncheckedIOException e) {
            video.close();
            warnings.add("no turntable.mp4: " + e.getMessage());
            return null;
        }
    }

    private static Path finishVideo(TurntableVideo video, List<String> warnings) {
        try {
            return video.finish();
        } catch (java.io.UncheckedIOException e) {
            warnings.add("no turntable.mp4: " + e.getMessage());
            return null;
        }
    }

    private static boolean hasTriangles(GpuScene gpu) {
        return gpu.draws.stream().anyMatch(d -> d.primitive().mode() == GL_TRIANGLES);
    }

    private static void progress(RenderOptions options, double fraction, String stage) {
        if (!options.progress().update(fraction, stage)) {
            throw new CancelledException("the render was cancelled at " + stage);
        }
    }

    private static void checkErrors(RenderOptions options) {
        int error = glGetError();
        if (error == GL_OUT_OF_MEMORY) {
            throw new LimitExceededException("the GPU ran out of memory rendering " + options.width() + " x "
                    + options.height());
        }
        if (error != GL_NO_ERROR) {
            throw new IllegalStateException("OpenGL error 0x" + Integer.toHexString(error) + " while rendering");
        }
    }

    private void drawTile(GpuScene gpu, ContactShadow shadow, Environment env, FrameTarget target, CameraRig rig,
                          RenderOptions options, byte[] pixels, int x0, int y0, int tw, int th) {
        int w = options.width();
        int h = options.height();
        int glY0 = h - y0 - th; // GL counts rows from the bottom
        float[] tile = Matrix4.imagePlane(w / (double) tw, h / (double) th, (w - 2.0 * x0) / tw - 1,
                (h - 2.0 * glY0) / th - 1);
        float[] viewProjection = Matrix4.multiply(tile, rig.viewProjection());

        target.bindForDrawing(tw, th);
        glDisable(GL_SCISSOR_TEST);
        glClearColor(0, 0, 0, 0);
        glDepthMask(true);
        glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);

        if (options.background().kind() == Background.Kind.ENVIRONMENT) {
            float[] inverse = Matrix4.invert(viewProjection);
            if (inverse != null) {
                ShaderProgram sky = programs.skybox();
                sky.use();
                sky.setMatrix("uInverseViewProjection", inverse);
                sky.setMatrix3RowMajor("uEnvironmentFromWorld", rig.environment());
                Environment.bindCube(0, env.source);
                sky.set("uSource", 0);
                glDisable(GL_DEPTH_TEST);
                glDisable(GL_BLEND);
                glBindVertexArray(emptyVao);
                glDrawArrays(GL_TRIANGLES, 0, 3);
            }
        }

        ShaderProgram p = programs.pbr();
        p.use();
        p.setMatrix("uViewProjection", viewProjection);
        p.set("uEye", (float) rig.eye()[0], (float) rig.eye()[1], (float) rig.eye()[2]);
        p.setMatrix3RowMajor("uEnvironmentFromWorld", rig.environment());
        p.set("uPrefilteredMaxLod", Environment.prefilteredMaxLod());
        p.set("uPointSize", (float) Math.max(1, Math.round(Math.min(w, h) / 400.0)));
        for (int i = 0; i < 5; i++) {
            p.set(new String[] {"uBaseColorTexture", "uMetallicRoughnessTexture", "uNormalTexture",
                    "uOcclusionTexture", "uEmissiveTexture"}[i], i);
        }
        Environment.bindCube(UNIT_PREFILTERED, env.prefiltered);
        Environment.bindCube(UNIT_IRRADIANCE, env.irradiance);
        glActiveTexture(GL_TEXTURE0 + UNIT_DFG);
        glBindTexture(GL_TEXTURE_2D, dfgLut);
        p.set("uPrefiltered", UNIT_PREFILTERED);
        p.set("uIrradiance", UNIT_IRRADIANCE);
        p.set("uDfg", UNIT_DFG);
        glEnable(GL_PROGRAM_POINT_SIZE);
        glEnable(GL_DEPTH_TEST);
        glDepthFunc(GL_LESS);
        glDepthMask(true);
        glDisable(GL_BLEND);
        List<GpuScene.Draw> blended = new ArrayList<>();
        for (GpuScene.Draw d : gpu.draws) {
            if (d.material().alphaMode() == AlphaMode.BLEND) {
                blended.add(d);
            } else {
                draw(p, d);
            }
        }
        if (shadow != null && rig.elevation() > 1) {
            shadow.draw(programs, viewProjection, emptyVao);
            p.use();
        }
        if (!blended.isEmpty()) {
            // Back to front by the distance of each placement's centre from the eye.
            double[] eye = rig.eye();
            blended.sort(Comparator.comparingDouble((GpuScene.Draw d) -> -distanceSquared(d.centroid(), eye)));
            glEnable(GL_BLEND);
            glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
            glDepthMask(false);
            for (GpuScene.Draw d : blended) {
                draw(p, d);
            }
            glDepthMask(true);
            glDisable(GL_BLEND);
        }
        target.resolveSamples(tw, th);

        target.bindOutput(tw, th);
        glDisable(GL_DEPTH_TEST);
        glDisable(GL_BLEND);
        glDisable(GL_CULL_FACE);
        ShaderProgram r = programs.resolve();
        r.use();
        glActiveTexture(GL_TEXTURE0);
        glBindTexture(GL_TEXTURE_2D, target.hdrTexture);
        r.set("uHdr", 0);
        r.set("uExposure", (float) options.exposure());
        r.set("uToneMapping", switch (options.toneMapping()) {
            case PBR_NEUTRAL -> 0;
            case ACES -> 1;
            case NONE -> 2;
        });
        Background bg = options.background();
        r.set("uSolidBackground", bg.kind() == Background.Kind.SOLID);
        r.set("uBackgroundLinear", srgbToLinear(bg.red()), srgbToLinear(bg.green()), srgbToLinear(bg.blue()));
        glBindVertexArray(emptyVao);
        glDrawArrays(GL_TRIANGLES, 0, 3);
        glBindVertexArray(0);
        target.readInto(pixels, w, x0, y0, tw, th);
    }

    private void draw(ShaderProgram p, GpuScene.Draw d) {
        GpuMaterial m = d.material();
        if (m.doubleSided() || d.primitive().mode() != GL_TRIANGLES) {
            glDisable(GL_CULL_FACE);
        } else {
            glEnable(GL_CULL_FACE);
            glCullFace(GL_BACK);
        }
        glFrontFace(d.mirrored() ? GL_CW : GL_CCW);
        m.apply(p, white);
        p.set("uHasNormals", d.primitive().hasNormals());
        p.setMatrix("uModel", d.model());
        p.setMatrix("uNormalMatrix", d.normalMatrix());
        glBindVertexArray(d.primitive().vao());
        if (d.primitive().indexed()) {
            glDrawElements(d.primitive().mode(), d.primitive().count(), GL_UNSIGNED_INT, 0L);
        } else {
            glDrawArrays(d.primitive().mode(), 0, d.primitive().count());
        }
        glBindVertexArray(0);
    }

    private static double distanceSquared(double[] a, double[] b) {
        double x = a[0] - b[0];
        double y = a[1] - b[1];
        double z = a[2] - b[2];
        return x * x + y * y + z * z;
    }

    private static float srgbToLinear(int c) {
        double v = c / 255.0;
        return (float) (v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
    }

    private void releaseGl() {
        environments.values().forEach(Environment::close);
        environments.clear();
        programs.close();
        if (dfgLut != 0) {
            glDeleteTextures(dfgLut);
        }
        if (white != 0) {
            glDeleteTextures(white);
        }
        if (emptyVao != 0) {
            glDeleteVertexArrays(emptyVao);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            egl.makeCurrent();
            releaseGl();
        } finally {
            egl.close();
        }
    }
}
