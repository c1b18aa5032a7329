// `meshforge simplify IN OUT --ratio 0.1 | --triangles N | --error 0.5%`: fewer triangles, seams and attributes kept.
package dev.meshforge.cli;

import dev.meshforge.core.ops.RunControl;
import dev.meshforge.core.ops.Simplify;
import dev.meshforge.core.ops.ToolResult;
import dev.meshforge.core.scene.Scene;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "simplify", addMethodSubcommands = false, mixinStandardHelpOptions = true,
        description = "Simplify every mesh by quadric edge collapse to a share of its triangles, a triangle count or "
                + "an error bound, keeping UV and material seams, normals, every UV and colour set, skins and morph "
                + "targets.")
final class SimplifyCommand extends FileToFileCommand {
    static final class Target {
        @Option(names = "--ratio", paramLabel = "R", description = "keep this share of the triangles, in (0, 1]")
        Double ratio;
        @Option(names = "--triangles", paramLabel = "N", description = "simplify to N triangles over the scene")
        Long triangles;
        @Option(names = "--error", paramLabel = "E", description = "as far as this error allows: a percentage of "
                + "the model's extent (0.5%%) or a distance in the model's units (0.2)")
        String error;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--lock-border", description = "vertices on open edges never move")
    boolean lockBorder;

    @Option(names = "--no-seams", description = "let seams collapse: each position welded to its first vertex, "
            + "a seam's attributes taken from one side (reaches further, may smear textures)")
    boolean noSeams;

    @Option(names = "--no-self-intersections", description = "no collapse makes a face cross another (slower)")
    boolean noSelfIntersections;

    @Option(names = "--normal-weight", paramLabel = "W", description = "weight of normals in the cost (default 0.5)")
    Double normalWeight;

    @Option(names = "--uv-weight", paramLabel = "W", description = "weight of every UV set (default 1)")
    Double uvWeight;

    @Option(names = "--color-weight", paramLabel = "W", description = "weight of every colour set (default 1)")
    Double colorWeight;

    private Simplify.Options options;

    @Override
    void validate() {
        try {
            Simplify.Options o;
            if (target.ratio != null) {
                o = Simplify.Options.ratio(target.ratio);
            } else if (target.triangles != null) {
                o = Simplify.Options.triangles(target.triangles);
            } else {
                String e = target.error.strip();
                o = e.endsWith("%") ? Simplify.Options.error(number(e.substring(0, e.length() - 1), "--error") / 100)
                        : Simplify.Options.absoluteError(number(e, "--error"));
            }
            Map<String, Double> weights = new LinkedHashMap<>(Simplify.DEFAULT_WEIGHTS);
            if (normalWeight != null) {
                weights.put("NORMAL", normalWeight);
            }
            if (uvWeight != null) {
                weights.put("TEXCOORD", uvWeight);
            }
            if (colorWeight != null) {
                weights.put("COLOR", colorWeight);
            }
            options = o.withWeights(weights).withLockBorder(lockBorder).withKeepSeams(!noSeams)
                    .withNoSelfIntersections(noSelfIntersections);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private double number(String text, String option) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), option + " must be a number or a percentage such as "
                    + "0.5%, not '" + text + "'");
        }
    }

    @Override
    ToolResult<?> run(Scene scene, RunControl control) {
        return Simplify.TOOL.run(scene, options, control);
    }
}
