// `meshforge print IN OUT.3mf|.stl --height 60mm [--hollow --wall 2mm]`: repair, scale, Z up, hollow, in one run.
package dev.meshforge.cli;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.ops.LengthUnit;
import dev.meshforge.core.ops.Print;
import dev.meshforge.core.ops.Repair;
import dev.meshforge.core.ops.RunControl;
import dev.meshforge.core.ops.Scale;
import dev.meshforge.core.ops.ToolResult;
import dev.meshforge.core.scene.Scene;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.Locale;

@Command(name = "print", addMethodSubcommands = false, mixinStandardHelpOptions = true,
        description = "Prepare a model for printing: repair it, scale it to a size in mm, cm, m or in with its origin "
                + "at the bottom centre, turn it Z up, and hollow it with --hollow; writes 3MF or STL in millimetres.")
final class PrintCommand extends FileToFileCommand {
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ScaleCommand.Target target;

    @Option(names = "--source-unit", paramLabel = "mm|cm|m|in", description = "the unit of a file that declares "
            + "none (STL, OBJ, PLY); the default is the reader's assumption: mm for STL, m for OBJ and PLY")
    String sourceUnit;

    @Option(names = "--hollow", description = "hollow the model (see the hollow command's options)")
    boolean hollow;

    @Mixin
    HollowOptions hollowOptions = new HollowOptions();

    private Print.Options options;

    /** A print is written as 3MF or STL (through Convert, like every command's output), in millimetres. */
    @Override
    Format outputFormat() {
        String name = output().getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".3mf") && !name.endsWith(".stl")) {
            throw new ParameterException(spec.commandLine(), "print writes .3mf or .stl, not " + output());
        }
        return super.outputFormat();
    }

    @Override
    void validate() {
        ScaleCommand.Length length = ScaleCommand.Target.length(target);
        try {
            Scale.Options scale = new Scale.Options(ScaleCommand.Target.dimension(target), length.value(), length.unit(),
                    sourceUnit == null ? null : LengthUnit.parse(sourceUnit), Scale.Origin.BOTTOM_CENTER, null);
            options = new Print.Options(Repair.Options.DEFAULTS, scale, hollow ? hollowOptions.options(spec) : null);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    ToolResult<?> run(Scene scene, RunControl control) {
        return Print.TOOL.run(scene, options, control);
    }
}
