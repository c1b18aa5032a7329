// What a render request produced.
package dev.meshforge.render;

import java.nio.file.Path;
import java.util.List;

/**
 * @param views        one entry per requested view, in order
 * @param contactSheet the contact sheet written, or null
 * @param animation    {@code turntable.gif}, the turntable frames as an animated GIF looping forever (over the solid
 *                     background, or white), written with an output directory and two or more turntable frames;
 *                     else null
 * @param video        {@code turntable.mp4}, the same frames as an H.264 video (over the same backdrop), written where
 *                     the {@code ffmpeg} program is on the PATH; else null (with a warning saying so)
 * @param warnings     what the render could not honour (a texture that did not decode, points skipped, ...)
 * @param renderer     what rendered: EGL platform and GL renderer, e.g. "Mesa surfaceless: llvmpipe ..."
 */
public record RenderResult(List<RenderedView> views, Path contactSheet, Path animation, Path video, List<String> warnings,
                           String renderer) {
    public RenderResult {
        views = List.copyOf(views);
        warnings = List.copyOf(warnings);
    }
}
