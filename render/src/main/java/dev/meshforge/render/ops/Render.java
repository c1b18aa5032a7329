// The render tool on the ops contract: studio images of a scene from named angles, for the command line and the
// server, with progress per view, cancellation between views (and tiles) and the run's limits.
package dev.meshforge.render.ops;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.ops.RunControl;
import dev.meshforge.core.ops.StageClock;
import dev.meshforge.core.ops.Tool;
import dev.meshforge.core.ops.ToolResult;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.render.RenderOptions;
import dev.meshforge.render.RenderResult;
import dev.meshforge.render.RenderedView;
import dev.meshforge.render.StudioRenderer;
import dev.meshforge.render.internal.OffscreenRenderer;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders every view of a {@link RenderOptions} into its output directory: {@code <view>.png} each, and the contact
 * sheet, {@code turntable.gif} and {@code turntable.mp4} where the options and the views call for them. The
 * result has no scene; its files are what was written, in that order. Progress comes from the
 * {@link RunControl}, not from {@link RenderOptions#progress()}: each view is a stage (timed under its name), and a
 * cancellation or the time limit stops the run before the next view or tile. A request whose working memory
 * (pixels, tiles, contact sheet) would pass {@link dev.meshforge.core.ops.Limits#maxMemoryBytes()} is refused
 * before anything is drawn.
 */
public final class Render implements Tool<RenderOptions, Render.Report> {
    /**
     * @param views        the views' names, in order (each written as {@code <name>.png})
     * @param width        pixels
     * @param height       pixels
     * @param directory    where the files went
     * @param contactSheet {@code contact_sheet.png}, or null
     * @param animation    {@code turntable.gif}, or null
     * @param video        {@code turntable.mp4}, or null
     * @param renderer     the EGL platform and GL renderer that drew them
     */
    public record Report(List<String> views, int width, int height, Path directory, Path contactSheet,
                         Path animation, Path video, String renderer) implements dev.meshforge.core.Report {
        public Report {
            views = List.copyOf(views);
        }

        @Override
        public List<String> toText() {
            List<String> lines = new ArrayList<>();
            for (String v : views) {
                lines.add(directory.resolve(v + ".png").toString());
            }
            for (Path p : new Path[] {contactSheet, animation, video}) {
                if (p != null) {
                    lines.add(p.toString());
                }
            }
            lines.add(String.format(Locale.ROOT, "%d view(s) at %d x %d (%s)", views.size(), width, height,
                    renderer));
            return lines;
        }
    }

    /** Opens a GL context for each run and closes it after. */
    public static final Render TOOL = new Render(null);

    private final StudioRenderer shared;

    /**
     * A tool that renders through {@code renderer} (a server keeps one context for many runs); the caller closes it.
     * Null opens a context per run.
     */
    public Render(StudioRenderer renderer) {
        this.shared = renderer;
    }

    @Override
    public String name() {
        return "render";
    }

    @Override
    public ToolResult<Report> run(Scene input, RenderOptions options, RunControl control) {
        StageClock clock = new StageClock(name(), control);
        Path dir = options.outputDirectory();
        if (dir == null) {
            throw new IllegalArgumentException("the render tool writes files: give the options an output directory");
        }
        long need = OffscreenRenderer.workingBytes(options);
        long limit = clock.maxMemoryBytes();
        if (limit > 0 && need > limit) {
            throw new LimitExceededException(String.format(Locale.ROOT, "rendering %d x %d with %d samples needs "
                    + "about %.1f MB, over the limit of %.1f MB (Limits.maxMemoryBytes)", options.width(),
                    options.height(), options.samples(), need / 1e6, limit / 1e6));
        }
        clock.checkpoint(0, "context");
        // The clock's checkpoint throws on cancellation or past the time limit: the renderer releases what it
        // holds and the exception reaches the caller as it is.
        RenderOptions run = options.withProgress((fraction, stage) -> {
            clock.checkpoint(fraction, stage);
            return true;
        });
        RenderResult result;
        StudioRenderer renderer = shared != null ? shared : StudioRenderer.open();
        try {
            result = renderer.render(input, run);
        } catch (UncheckedIOException e) {
            // A PNG or animation that cannot be written (disk full, no permission) is the output's problem.
            throw new BadInputException(dir, e.getMessage(), e);
        } finally {
            if (shared == null) {
                renderer.close();
            }
        }
        List<Path> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (RenderedView v : result.views()) {
            files.add(v.file());
            names.add(v.view().name());
        }
        for (Path p : new Path[] {result.contactSheet(), result.animation(), result.video()}) {
            if (p != null) {
                files.add(p);
            }
        }
        Report report = new Report(names, options.width(), options.height(), dir, result.contactSheet(),
                result.animation(), result.video(), result.renderer());
        return new ToolResult<>(null, false, files, report, result.warnings(), clock.finish());
    }
}
