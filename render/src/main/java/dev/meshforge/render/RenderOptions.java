// Everything a render request says: views, size, background, lighting, tone, camera, output.
package dev.meshforge.render;

import dev.meshforge.core.ProgressListener;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to render and how.
 *
 * @param views           the camera directions, one image each (names must differ)
 * @param width           pixels, 16..4096
 * @param height          pixels, 16..4096
 * @param background      transparent (real alpha), a solid colour, or the environment
 * @param lighting        the studio environment preset
 * @param environmentMap  an equirectangular Radiance HDR image (.hdr) to light with instead of the preset, or null
 * @param exposure        linear multiplier of the scene's radiance before tone mapping (1 = as lit)
 * @param toneMapping     the tone curve; Khronos PBR Neutral by default
 * @param shadow          a soft contact shadow on a ground plane under the model
 * @param samples         multisample count per pixel: 1, 2, 4 or 8
 * @param projection      perspective or orthographic (a view may force orthographic, as isometric does)
 * @param fieldOfView     vertical field of view of the perspective camera, degrees, 5..120
 * @param margin          free space kept around the model on each side, as a fraction of the image, 0..0.4
 * @param outputDirectory where to write {@code <view>.png} (and {@code contact_sheet.png}); null keeps the images
 *                        in memory in the result instead
 * @param contactSheet    also write all views side by side in one image (with an output directory and two or
 *                        more views)
 * @param progress        progress and cancellation
 */
public record RenderOptions(List<View> views, int width, int height, Background background, Lighting lighting,
                            Path environmentMap, double exposure, ToneMapping toneMapping, boolean shadow, int samples,
                            Projection projection, double fieldOfView, double margin, Path outputDirectory,
                            boolean contactSheet, ProgressListener progress) {
    public static final int MIN_SIZE = 16;
    public static final int MAX_SIZE = 4096;

    /** Three-quarter view, 1024², transparent, studio lighting, PBR Neutral, shadow, 4x MSAA, 35° perspective. */
    public static final RenderOptions DEFAULTS = new RenderOptions(List.of(View.named("three_quarter")), 1024, 1024,
            Background.TRANSPARENT, Lighting.STUDIO, null, 1.0, ToneMapping.PBR_NEUTRAL, true, 4,
            Projection.PERSPECTIVE, 35, 0.05, null, true, ProgressListener.NONE);

    public RenderOptions {
        views = List.copyOf(views);
        if (views.isEmpty()) {
            throw new IllegalArgumentException("a render needs at least one view");
        }
        if (views.stream().map(View::name).distinct().count() != views.size()) {
            throw new IllegalArgumentException("two views have the same name, so their files would collide");
        }
        if (width < MIN_SIZE || width > MAX_SIZE || height < MIN_SIZE || height > MAX_SIZE) {
            throw new IllegalArgumentException("the image size must be " + MIN_SIZE + " to " + MAX_SIZE
                    + " pixels a side, not " + width + " x " + height);
        }
        Objects.requireNonNull(background, "background");
        Objects.requireNonNull(lighting, "lighting");
        Objects.requireNonNull(toneMapping, "toneMapping");
        Objects.requireNonNull(projection, "projection");
        Objects.requireNonNull(progress, "progress");
        if (!(exposure > 0) || Double.isInfinite(exposure)) {
            throw new IllegalArgumentException("exposure must be a positive number, not " + exposure);
        }
        if (samples != 1 && samples != 2 && samples != 4 && samples != 8) {
            throw new IllegalArgumentException("samples must be 1, 2, 4 or 8, not " + samples);
        }
        if (!(fieldOfView >= 5 && fieldOfView <= 120)) {
            throw new IllegalArgumentException("the field of view must be 5 to 120 degrees, not " + fieldOfView);
        }
        if (!(margin >= 0 && margin <= 0.4)) {
            throw new IllegalArgumentException("the margin must be 0 to 0.4 of the image, not " + margin);
        }
    }

    public RenderOptions withViews(List<View> v) {
        return new RenderOptions(v, width, height, background, lighting, environmentMap, exposure,
                toneMapping, shadow, samples,
                projection, fieldOfView, margin, outputDirectory, contactSheet, progress);
    }

    public RenderOptions withSize(int w, int h) {
        return new RenderOptions(views, w, h, background, lighting, environmentMap, exposure,
                toneMapping, shadow, samples,
                projection, fieldOfView, margin, outputDirectory, contactSheet, progress);
    }

    public RenderOptions withBackground(Background b) {
        return new RenderOptions(views, width, height, b, lighting, environmentMap, exposure,
                toneMapping, shadow, samples,
                projection, fieldOfView, margin, outputDirectory, contactSheet, progress);
    }

    public RenderOptions withLighting(Lighting l) {
        return new RenderOptions(views, width, height, background, l, environmentMap, exposure,
                toneMapping, shadow, samples,
                projection, fieldOfView, margin, outputDirectory, contactSheet, progress);
    }

    public RenderOptions withEnvironmentMap(Path hdr) {
        return new RenderOptions(views, width, height, background, lighting, hdr, exposure, toneMapping, shadow,
                samples, projection, fieldOfView, margin, outputDirectory, contactSheet, progress);
    }

    public RenderOptions withExposure(double e) {
        return new RenderOptions(views, width, height, background, lighting, environmentMap, e,
                toneMapping, shadow, samples,
                projection, fieldOfView, margin, outputDirectory, contactSheet, progress);
    }

    public RenderOptions withToneMapping(ToneMapping t) {
        return new RenderOptions(views, width, height, background, lighting, environmentMap, exposure,
                t, shadow, samples,
                projection, fieldOfView, margin, outputDirectory, contactSheet, progress);
    }

    public RenderOptions withShadow(boolean s) {
        return new RenderOptions(views, width, height, background, lighting, environmentMap, exposure,
                toneMapping, s, samples,
                projection, fieldOfView, margin, outputDirectory, contactSheet, progress);
    }

    public RenderOptions withSamples(int n) {
        return new RenderOptions(views, width, height, background, lighting, environmentMap, exposure,
                toneMapping, shadow, n,
                projection, fieldOfView, margin, outputDirectory, contactSheet, progress);
    }

    public RenderOptions withProjection(Projection p, double fovDegrees) {
        return new RenderOptions(views, width, height, background, lighting, environmentMap, exposure,
                toneMapping, shadow, samples,
                p, fovDegrees, margin, outputDirectory, contactSheet, progress);
    }

    public RenderOptions withMargin(double m) {
        return new RenderOptions(views, width, height, background, lighting, environmentMap, exposure,
                toneMapping, shadow, samples,
                projection, fieldOfView, m, outputDirectory, contactSheet, progress);
    }

    public RenderOptions withOutput(Path directory, boolean sheet) {
        return new RenderOptions(views, width, height, background, lighting, environmentMap, exposure,
                toneMapping, shadow, samples,
                projection, fieldOfView, margin, directory, sheet, progress);
    }

    public RenderOptions withProgress(ProgressListener listener) {
        return new RenderOptions(views, width, height, background, lighting, environmentMap, exposure,
                toneMapping, shadow, samples,
                projection, fieldOfView, margin, outputDirectory, contactSheet, listener);
    }
}
