// `meshforge convert IN OUT [--to FORMAT]`: read any supported format, write another.
package dev.meshforge.cli;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.ops.Convert;
import dev.meshforge.core.ops.RunControl;
import dev.meshforge.core.ops.ToolResult;
import dev.meshforge.core.scene.Scene;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "convert", addMethodSubcommands = false, mixinStandardHelpOptions = true,
        description = "Convert a model to another format. The output format comes from --to, or else from "
                + "OUT's extension (.zip means obj_zip).")
final class ConvertCommand extends FileToFileCommand {
    @Option(names = "--to", paramLabel = "FORMAT", description = "output format: ${COMPLETION-CANDIDATES}",
            completionCandidates = OutputFormats.class)
    String to;

    @Option(names = "--ascii", description = "write the text variant where the format has one (STL, PLY, FBX)")
    boolean ascii;

    @Override
    Format outputFormat() {
        return to != null ? Format.parseOutput(to) : Format.forOutput(out);
    }

    @Override
    ToolResult<?> run(Scene scene, RunControl control) {
        return Convert.TOOL.run(scene, new Convert.Options(out, outputFormat(), new WriteOptions(ascii)), control);
    }

    /** The names `--to` accepts, for the help text. */
    static final class OutputFormats implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Format.outputNames().iterator();
        }
    }
}
