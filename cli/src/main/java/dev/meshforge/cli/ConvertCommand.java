// `meshforge convert IN OUT [--to FORMAT]`: read any supported format, write another.
package dev.meshforge.cli;

import dev.meshforge.core.UnsupportedFeatureException;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Scene;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a model to another format. The output format comes from --to, or else from "
                + "OUT's extension (.zip means obj_zip).")
final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "input model")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "output file")
    Path out;

    @Option(names = "--to", paramLabel = "FORMAT", description = "output format: ${COMPLETION-CANDIDATES}",
            completionCandidates = OutputFormats.class)
    String to;

    @Option(names = "--ascii", description = "write the text variant where the format has one (STL, PLY, FBX)")
    boolean ascii;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Format format = to != null ? OutputFormats.parse(to) : OutputFormats.byExtension(out);
        try (Scene scene = Formats.read(in)) {
            for (String w : scene.warnings()) {
                err.println("warning: " + w);
            }
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new UnsupportedFeatureException("the output directory " + parent + " does not exist");
            }
            Formats.write(scene, out, format, new WriteOptions(ascii));
            err.printf(Locale.ROOT, "wrote %s (%s, %d triangles)%n", out, format.name().toLowerCase(Locale.ROOT),
                    scene.triangleCount());
        }
        err.flush();
        return 0;
    }

    /** The names `--to` accepts: the Format constants in lower case. */
    static final class OutputFormats implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Arrays.stream(Format.values()).filter(f -> f != Format.ZIP)
                    .map(f -> f.name().toLowerCase(Locale.ROOT)).iterator();
        }

        static Format parse(String name) {
            for (Format f : Format.values()) {
                if (f != Format.ZIP && f.name().equalsIgnoreCase(name)) {
                    return f;
                }
            }
            throw new UnsupportedFeatureException("unknown output format '" + name + "'; choose one of "
                    + String.join(", ", new OutputFormats()));
        }

        static Format byExtension(Path out) {
            String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".zip")) {
                return parse("obj_zip");
            }
            return Format.byExtension(out).filter(f -> f != Format.ZIP).orElseThrow(() ->
                    new UnsupportedFeatureException("cannot tell the output format from '" + out.getFileName()
                            + "'; give --to (" + String.join(", ", new OutputFormats()) + ")"));
        }
    }
}
