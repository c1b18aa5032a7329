// `meshforge inspect FILE [--json]`: defects and measures of a model, for people or machines.
package dev.meshforge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshforge.core.inspect.Inspector;
import dev.meshforge.core.inspect.MeshReport;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.kernel.InspectOptions;
import dev.meshforge.core.scene.Scene;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Report holes, open and non-manifold edges, flipped faces, degenerate and duplicate faces, "
                + "parts, self-intersections, volume, area and bounds (after welding equal positions).")
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "model file (STL)")
    Path file;

    @Option(names = "--json", description = "print one JSON object with the documented keys")
    boolean json;

    @Option(names = "--no-intersections", description = "skip the self-intersection search (reported as 0)")
    boolean noIntersections;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Scene scene = Formats.read(file);
             ProgressBar bar = new ProgressBar(err, ProgressBar.interactive())) {
            for (String w : scene.warnings()) {
                err.println("warning: " + w);
            }
            MeshReport report = Inspector.inspect(scene,
                    InspectOptions.DEFAULTS.withIntersections(!noIntersections).withProgress(bar));
            bar.close();
            if (json) {
                ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                out.println(mapper.writeValueAsString(report.toMap()));
            } else {
                printHuman(out, report);
            }
        }
        out.flush();
        return 0;
    }

    private void printHuman(PrintWriter out, MeshReport r) {
        out.println(file);
        for (Map.Entry<String, Object> e : r.toMap().entrySet()) {
            String key = e.getKey().replace('_', ' ');
            Object v = e.getValue();
            String text;
            if (v instanceof Boolean b) {
                text = b ? "yes" : "no";
            } else if (v instanceof Double d) {
                text = String.format(Locale.ROOT, "%.6g", d);
            } else if (v instanceof Map<?, ?> bbox) {
                text = String.format(Locale.ROOT, "%s .. %s", fmt(bbox.get("min")), fmt(bbox.get("max")));
            } else {
                text = String.valueOf(v);
            }
            out.printf(Locale.ROOT, "  %-32s %s%n", key, text);
        }
    }

    private static String fmt(Object list) {
        StringBuilder sb = new StringBuilder("(");
        for (Object o : (Iterable<?>) list) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(String.format(Locale.ROOT, "%.6g", (Double) o));
        }
        return sb.append(')').toString();
    }
}
