// `meshforge render IN OUTDIR`: studio-lit PNG product shots of a model from named angles or as a turntable.
package dev.meshforge.cli;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.render.Background;
import dev.meshforge.render.Lighting;
import dev.meshforge.render.Projection;
import dev.meshforge.render.RenderOptions;
import dev.meshforge.render.RenderResult;
import dev.meshforge.render.RenderedView;
import dev.meshforge.render.StudioRenderer;
import dev.meshforge.render.ToneMapping;
import dev.meshforge.render.View;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Render studio-lit PBR images of a model, one PNG per view named after it (front.png, "
                + "three_quarter.png, turntable_03.png), and a contact sheet of them all.")
final class RenderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "model file")
    Path in;

    @Parameters(index = "1", paramLabel = "OUTDIR", description = "directory for the PNGs (created if missing)")
    Path outDir;

    @Option(names = "--angles", paramLabel = "LIST", description = "comma-separated views: front, back, left, right, "
            + "top, bottom, three_quarter, isometric (default: three_quarter, front, right, top unless --turntable "
            + "is given)")
    String angles;

    @Option(names = "--turntable", paramLabel = "N", description = "N frames evenly around the model")
    Integer turntable;

    @Option(names = "--size", paramLabel = "PX", description = "image width and height, 16..4096 (default 1024)")
    int size = 1024;

    @Option(names = "--background", paramLabel = "transparent|#RRGGBB|environment",
            description = "transparent (real alpha, the default), a solid sRGB colour, or the lighting environment")
    String background = "transparent";

    @Option(names = "--lighting", paramLabel = "studio|soft|dramatic|FILE.hdr",
            description = "lighting preset (default studio), or an equirectangular Radiance HDR image")
    String lighting = "studio";

    @Option(names = "--exposure", paramLabel = "X", description = "linear exposure multiplier (default 1)")
    double exposure = 1;

    @Option(names = "--tone-mapping", paramLabel = "pbr-neutral|aces|none", description = "tone curve (default "
            + "Khronos PBR Neutral)")
    String toneMapping = "pbr-neutral";

    @Option(names = "--no-shadow", description = "no contact shadow on the ground")
    boolean noShadow;

    @Option(names = "--orthographic", description = "orthographic camera instead of perspective")
    boolean orthographic;

    @Option(names = "--fov", paramLabel = "DEG", description = "vertical field of view, 5..120 (default 35)")
    double fov = 35;

    @Option(names = "--samples", paramLabel = "N", description = "multisamples per pixel: 1, 2, 4 or 8 (default 4)")
    int samples = 4;

    @Option(names = "--no-contact-sheet", description = "do not write contact_sheet.png")
    boolean noContactSheet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RenderOptions options;
        try {
            List<View> views = new ArrayList<>();
            if (angles != null) {
                views.addAll(View.parse(angles));
            }
            if (turntable != null) {
                views.addAll(View.turntable(turntable));
            }
            if (views.isEmpty()) {
                views.addAll(View.parse("three_quarter,front,right,top"));
            }
            ToneMapping tone = switch (toneMapping.toLowerCase(Locale.ROOT).replace('_', '-')) {
                case "pbr-neutral", "neutral" -> ToneMapping.PBR_NEUTRAL;
                case "aces" -> ToneMapping.ACES;
                case "none" -> ToneMapping.NONE;
                default -> throw new IllegalArgumentException("--tone-mapping is pbr-neutral, aces or none, not '"
                        + toneMapping + "'");
            };
            boolean hdr = lighting.toLowerCase(Locale.ROOT).endsWith(".hdr");
            options = new RenderOptions(views, size, size, Background.parse(background),
                    hdr ? Lighting.STUDIO : Lighting.parse(lighting), hdr ? Path.of(lighting) : null, exposure, tone,
                    !noShadow, samples,
                    orthographic ? Projection.ORTHOGRAPHIC : Projection.PERSPECTIVE, fov,
                    RenderOptions.DEFAULTS.margin(), outDir, !noContactSheet, dev.meshforge.core.ProgressListener.NONE);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        long start = System.nanoTime();
        RenderResult result;
        try (Scene scene = Formats.read(in);
             ProgressBar bar = new ProgressBar(err, ProgressBar.interactive())) {
            for (String w : scene.warnings()) {
                err.println("warning: " + w);
            }
            try (StudioRenderer renderer = StudioRenderer.open()) {
                result = renderer.render(scene, options.withProgress(bar));
            } catch (BadInputException e) {
                // The scene does not know its file: name it, so that the one line says which input it is.
                throw e.file() != null ? e : new BadInputException(in, e.getMessage(), e);
            } catch (java.io.UncheckedIOException e) {
                // A PNG that cannot be written (disk full, no permission) is the output's problem, in one line.
                throw new BadInputException(outDir, e.getMessage(), e);
            }
        }
        for (String w : result.warnings()) {
            err.println("warning: " + w);
        }
        for (RenderedView v : result.views()) {
            out.println(v.file());
        }
        if (result.contactSheet() != null) {
            out.println(result.contactSheet());
        }
        if (result.animation() != null) {
            out.println(result.animation());
        }
        out.printf(Locale.ROOT, "%d view(s) at %d x %d in %.2f s (%s)%n", result.views().size(), size, size,
                (System.nanoTime() - start) / 1e9, result.renderer());
        out.flush();
        return 0;
    }
}
