// `meshforge inspect FILE [--json]`: defects and measures of a model, for people or machines.
package dev.meshforge.cli;

import dev.meshforge.core.ops.Inspect;
import dev.meshforge.core.ops.RunControl;
import dev.meshforge.core.ops.ToolResult;
import dev.meshforge.core.scene.Scene;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

@Command(name = "inspect", addMethodSubcommands = false, mixinStandardHelpOptions = true,
        description = "Report holes, open and non-manifold edges, flipped faces, degenerate and duplicate faces, "
                + "parts, self-intersections, volume, area and bounds (after welding equal positions).")
final class InspectCommand extends ToolCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "model file")
    Path file;

    @Option(names = "--no-intersections", description = "skip the self-intersection search (reported as 0)")
    boolean noIntersections;

    @Override
    Path input() {
        return file;
    }

    @Override
    ToolResult<?> run(Scene scene, RunControl control) {
        return Inspect.TOOL.run(scene, new Inspect.Options(!noIntersections), control);
    }
}
