// `meshforge hollow IN OUT --wall 2mm`: a solid hollowed for printing, with drain holes and the measured wall.
package dev.meshforge.cli;

import dev.meshforge.core.ops.Hollow;
import dev.meshforge.core.ops.RunControl;
import dev.meshforge.core.ops.ToolResult;
import dev.meshforge.core.scene.Scene;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "hollow", addMethodSubcommands = false, mixinStandardHelpOptions = true,
        description = "Hollow a closed model for resin or powder printing: walls never thinner than asked "
                + "(measured), parts thinner than two walls kept solid, a drain hole at the lowest point of every "
                + "cavity. Run repair first on a model that is not watertight.")
final class HollowCommand extends FileToFileCommand {
    @Mixin
    HollowOptions hollow = new HollowOptions();

    private Hollow.Options options;

    @Override
    void validate() {
        options = hollow.options(spec);
    }

    @Override
    ToolResult<?> run(Scene scene, RunControl control) {
        return Hollow.TOOL.run(scene, options, control);
    }
}
