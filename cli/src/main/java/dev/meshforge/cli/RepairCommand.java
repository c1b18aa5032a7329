// `meshforge repair IN OUT`: makes a model printable and says what it found, what it did and how far it moved.
package dev.meshforge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshforge.core.BadInputException;
import dev.meshforge.core.KernelException;
import dev.meshforge.core.inspect.MeshReport;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.ops.Repair;
import dev.meshforge.core.scene.Scene;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "repair", mixinStandardHelpOptions = true,
        description = "Make a model watertight, manifold, outward-facing and free of self-intersections, close to "
                + "the input; prints what it found, what it did and the Hausdorff distances.")
final class RepairCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "model file to repair")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "where to write the result; format from the extension")
    Path out;

    @Option(names = "--quality", paramLabel = "low|default|max", description = "volumetric grid: 100, 200 or 320 cells")
    String quality = "default";

    @Option(names = "--target-triangles", paramLabel = "N", description = "simplify a rebuilt surface toward N triangles")
    long targetTriangles;

    @Option(names = "--keep-small-parts", description = "keep parts smaller than 0.2% of the bounding-box diagonal")
    boolean keepSmallParts;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Repair.Quality q = switch (quality.toLowerCase(Locale.ROOT)) {
            case "low" -> Repair.Quality.LOW;
            case "default" -> Repair.Quality.DEFAULT;
            case "max" -> Repair.Quality.MAX;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--quality must be low, default or max, not " + quality);
        };
        var format = ConvertCommand.OutputFormats.byExtension(out);
        try (Scene scene = Formats.read(in);
             ProgressBar bar = new ProgressBar(err, ProgressBar.interactive())) {
            for (String w : scene.warnings()) {
                err.println("warning: " + w);
            }
            Repair.Options options = Repair.Options.DEFAULTS.withQuality(q).withTargetTriangles(targetTriangles)
                    .withKeepSmallParts(keepSmallParts).withProgress(bar);
            long start = System.nanoTime();
            Repair.Result result;
            try {
                result = Repair.run(scene, options);
            } catch (BadInputException e) {
                // The scene does not know its file: name it, so that the one line says which input it is.
                throw e.file() != null ? e : new BadInputException(in, e.getMessage(), e);
            } catch (KernelException e) {
                if (e.status() != KernelException.INVALID_ARGUMENT) {
                    throw e;
                }
                throw new BadInputException(in, e.getMessage(), e);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            bar.close();
            for (String w : result.warnings()) {
                err.println("warning: " + w);
            }
            try {
                Formats.write(result.scene(), out, format, WriteOptions.DEFAULTS);
            } finally {
                if (result.scene() != scene) {
                    result.scene().close();
                }
            }
            if (json) {
                var map = result.toMap();
                map.put("seconds", seconds);
                stdout.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(map));
            } else {
                printHuman(stdout, result, seconds);
            }
        }
        stdout.flush();
        return 0;
    }

    private void printHuman(PrintWriter o, Repair.Result r, double seconds) {
        MeshReport b = r.before();
        o.printf(Locale.ROOT, "%s -> %s%n", in, out);
        o.printf(Locale.ROOT, "  found: %d triangles, %d holes, %d open, %d non-manifold, %d flipped edges, "
                        + "%d degenerate, %d duplicate faces, %d parts, %d intersecting pairs, volume %.6g%n",
                b.triangles(), b.holes(), b.openEdges(), b.nonManifoldEdges(), b.inconsistentOrientationEdges(),
                b.degenerateFaces(), b.duplicateFaces(), b.components(), b.intersectingPairs(), b.volume());
        switch (r.stage()) {
            case UNCHANGED -> o.println("  already watertight, manifold, outward and free of intersections: unchanged");
            case TOPOLOGICAL -> o.printf(Locale.ROOT, "  fixed in place: %d vertices welded, %d faces removed, "
                            + "%d flipped, %d holes filled (%d triangles), %d small parts removed%n",
                    r.verticesWelded(), r.facesRemoved(), r.facesFlipped(), r.holesFilled(), r.holeTriangles(),
                    r.smallPartsRemoved());
            case VOLUMETRIC -> o.printf(Locale.ROOT, "  rebuilt as a solid on a %d-cell grid%s: %d parts merged, "
                            + "%d holes filled first, colors from vertex colors and materials transferred%n",
                    r.resolution(), r.simplified() ? " and simplified" : "", r.partsMerged(), r.holesFilled());
        }
        MeshReport a = r.after();
        o.printf(Locale.ROOT, "  result: %d triangles, %d parts, watertight %s, volume %.6g%n", a.triangles(),
                a.components(), a.watertight() ? "yes" : "no", a.volume());
        // A patch stands as far from the input as its hole is wide: how far the output is from both tells more.
        String offPatches = r.holesFilled() == 0 ? "" : String.format(Locale.ROOT,
                " (%.4f%% off the input and its hole patches)", 100 * r.hausdorffOutInPatched());
        o.printf(Locale.ROOT, "  hausdorff: output->input %.4f%%%s, input->output %.4f%% of the diagonal%n",
                100 * r.hausdorffOutIn(), offPatches, 100 * r.hausdorffInOut());
        o.printf(Locale.ROOT, "  time: %.2f s%n", seconds);
    }
}
