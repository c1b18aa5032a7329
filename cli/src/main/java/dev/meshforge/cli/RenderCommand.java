// `meshforge render IN OUTDIR`: studio-lit PNG product shots of a model from named angles or as a turntable.
package dev.meshforge.cli;

import dev.meshforge.core.ops.RunControl;
import dev.meshforge.core.ops.ToolResult;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.render.Background;
import dev.meshforge.render.Lighting;
import dev.meshforge.render.Projection;
import dev.meshforge.render.RenderOptions;
import dev.meshforge.render.ToneMapping;
import dev.meshforge.render.View;
import dev.meshforge.render.ops.Render;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

@Command(name = "render", addMethodSubcommands = false, mixinStandardHelpOptions = true,
        description = "Render studio-lit PBR images of a model, one PNG per view named after it (front.png, "
                + "three_quarter.png, turntable_03.png), a contact sheet of them all, and a turntable as "
                + "turntable.gif (and turntable.mp4 where ffmpeg is installed).")
final class RenderCommand extends ToolCommand {
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

    private RenderOptions options;

    @Override
    Path input() {
        return in;
    }

    @Override
    void validate() {
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
    }

    @Override
    ToolResult<?> run(Scene scene, RunControl control) {
        return Render.TOOL.run(scene, options, control);
    }
}
