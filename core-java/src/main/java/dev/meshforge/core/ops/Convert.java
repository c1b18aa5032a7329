// The convert tool: a scene written in another format. Every tool's output scene is written through it.
package dev.meshforge.core.ops;

import dev.meshforge.core.UnsupportedFeatureException;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Scene;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes a scene to a file in any writable {@link Format}; what the format cannot hold the writer warns about.
 * Its output is the file (the result has no scene).
 */
public final class Convert implements Tool<Convert.Options, Convert.Report> {
    /**
     * @param output where to write; companion files (a glTF's .bin and images, an OBJ's MTL) go beside it
     * @param format the output format, or null for the one {@code output}'s extension names
     * @param write  the writer's choices (text or binary)
     */
    public record Options(Path output, Format format, WriteOptions write) {
        public Options {
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(write, "write");
            if (format == Format.ZIP) {
                throw new UnsupportedFeatureException("zip is read only; write obj_zip or fbx_zip");
            }
        }

        public static Options to(Path output) {
            return new Options(output, null, WriteOptions.DEFAULTS);
        }

        /** The format to write: the one given, else the one the output's extension names. */
        public Format resolvedFormat() {
            return format != null ? format : Format.forOutput(output);
        }
    }

    /**
     * @param output    the file written
     * @param format    its format
     * @param triangles triangles in the scene written
     * @param bytes     size of the file written (companion files not counted)
     */
    public record Report(Path output, Format format, long triangles, long bytes)
            implements dev.meshforge.core.Report {
        @Override
        public List<String> toText() {
            return List.of(String.format(Locale.ROOT, "wrote %s (%s, %d triangles)", output,
                    format.name().toLowerCase(Locale.ROOT), triangles));
        }
    }

    public static final Convert TOOL = new Convert();

    private Convert() {
    }

    @Override
    public String name() {
        return "convert";
    }

    public static ToolResult<Report> run(Scene input, Options options) {
        return TOOL.run(input, options, RunControl.DEFAULTS);
    }

    @Override
    public ToolResult<Report> run(Scene input, Options options, RunControl control) {
        StageClock clock = new StageClock(name(), control);
        Format format = options.resolvedFormat();
        Path parent = options.output().toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UnsupportedFeatureException("the output directory " + parent + " does not exist");
        }
        clock.checkpoint(0, "write");
        int warned = input.warnings().size();
        Formats.write(input, options.output(), format, options.write());
        // What the writer could not hold it notes on the scene: those notes are this run's warnings.
        List<String> warnings = List.copyOf(input.warnings().subList(warned, input.warnings().size()));
        long bytes;
        try {
            bytes = Files.size(options.output());
        } catch (IOException e) {
            bytes = -1;
        }
        Report report = new Report(options.output(), format, input.triangleCount(), bytes);
        return new ToolResult<>(null, false, List.of(options.output()), report, warnings, clock.finish());
    }
}
