// The public face of the renderer: studio-lit PBR images of a Scene from named angles, offscreen through EGL.
package dev.meshforge.render;

import dev.meshforge.core.scene.Scene;
import dev.meshforge.render.internal.OffscreenRenderer;

/**
 * Renders scenes headless: Mesa's llvmpipe through EGL's surfaceless platform on a machine without a GPU, the GPU
 * through EGL's device platform where there is one ({@code MESHFORGE_EGL=auto|device|surfaceless}). One GL context
 * renders every view of every request made through this object; {@link #close()} releases it and everything on
 * it. Calls are serialised; the object may be used from any thread.
 *
 * <pre>{@code
 * try (StudioRenderer r = StudioRenderer.open(); Scene s = Formats.read(path)) {
 *     RenderResult out = r.render(s, RenderOptions.DEFAULTS.withViews(View.parse("front,three_quarter"))
 *             .withOutput(Path.of("renders"), true));
 * }
 * }</pre>
 *
 * Failures: {@link dev.meshforge.core.UnsupportedFeatureException} when no EGL or OpenGL 3.3 core context can be
 * had (naming the Debian packages that provide them), {@link dev.meshforge.core.BadInputException} for a scene
 * with nothing to draw, {@link dev.meshforge.core.CancelledException} when the progress listener says stop,
 * {@link dev.meshforge.core.LimitExceededException} when the GPU runs out of memory.
 */
public final class StudioRenderer implements AutoCloseable {
    private final OffscreenRenderer renderer;

    private StudioRenderer(OffscreenRenderer renderer) {
        this.renderer = renderer;
    }

    /** Creates the GL context and the resources every render shares (shaders, the DFG table). */
    public static StudioRenderer open() {
        return new StudioRenderer(OffscreenRenderer.open());
    }

    /** Opens a renderer, renders one request and closes it. */
    public static RenderResult renderOnce(Scene scene, RenderOptions options) {
        try (StudioRenderer r = open()) {
            return r.render(scene, options);
        }
    }

    /** Renders every view of {@code options}; the scene is only read. */
    public RenderResult render(Scene scene, RenderOptions options) {
        return renderer.render(scene, options);
    }

    /** The EGL platform and GL renderer, e.g. "Mesa surfaceless: llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5 ...". */
    public String description() {
        return renderer.description();
    }

    @Override
    public void close() {
        renderer.close();
    }
}
