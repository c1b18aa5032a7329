// Result thumbnails: a small PNG of each model a task writes, from the studio renderer.
package dev.meshforge.server.internal;

import dev.meshforge.core.MeshforgeException;
import dev.meshforge.core.UnsupportedFeatureException;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.render.RenderOptions;
import dev.meshforge.render.StudioRenderer;
import dev.meshforge.render.View;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * One renderer for the process, opened on first use and shared by the workers (its calls are serialised). Where no
 * EGL or OpenGL 3.3 context can be had, the reason is kept and every later task gets it as a warning with a null
 * thumbnail, instead of trying again for each task. A thumbnail is named after its asset, {@code <asset>.thumbnail.png}.
 */
public final class Thumbnails implements AutoCloseable {
    /** Side of a thumbnail, pixels. */
    public static final int SIZE = 256;
    public static final String SUFFIX = ".thumbnail.png";

    private final boolean enabled;
    private StudioRenderer renderer;
    private String unavailable;

    public Thumbnails(boolean enabled) {
        this.enabled = enabled;
    }

    /** Renders {@code scene} to {@code outDir/<assetName>.thumbnail.png}; a reason goes to warnings where it cannot. */
    public void render(Scene scene, Path outDir, String assetName, List<String> warnings) {
        if (!enabled) {
            return;
        }
        StudioRenderer r = renderer(warnings);
        if (r == null) {
            return;
        }
        try {
            Path tmp = Files.createTempDirectory(outDir.getParent(), "thumb");
            try {
                r.render(scene, RenderOptions.DEFAULTS.withViews(List.of(View.named("three_quarter")))
                        .withSize(SIZE, SIZE).withOutput(tmp, false));
                Files.move(tmp.resolve("three_quarter.png"), outDir.resolve(assetName + SUFFIX),
                        StandardCopyOption.REPLACE_EXISTING);
            } finally {
                DirectoryTaskFiles.deleteTree(tmp);
            }
        } catch (MeshforgeException | IOException e) {
            warnings.add("no thumbnail: " + e.getMessage());
        }
    }

    private StudioRenderer renderer(List<String> warnings) {
        try {
            return renderer();
        } catch (UnsupportedFeatureException e) {
            warnings.add("no thumbnail: " + e.getMessage());
            return null;
        }
    }

    /**
     * The process's renderer (for the render tool too).
     *
     * @throws UnsupportedFeatureException where this machine cannot render, saying why
     */
    public synchronized StudioRenderer renderer() {
        if (renderer == null && unavailable == null) {
            try {
                renderer = StudioRenderer.open();
            } catch (UnsupportedFeatureException | LinkageError e) {
                unavailable = e.getMessage();
            }
        }
        if (renderer == null) {
            throw new UnsupportedFeatureException("this server cannot render: " + unavailable);
        }
        return renderer;
    }

    @Override
    public synchronized void close() {
        if (renderer != null) {
            renderer.close();
            renderer = null;
        }
    }
}
