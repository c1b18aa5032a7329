// `meshforge repair IN OUT`: makes a model printable and says what it found, what it did and how far it moved.
package dev.meshforge.cli;

import dev.meshforge.core.ops.Repair;
import dev.meshforge.core.ops.RunControl;
import dev.meshforge.core.ops.ToolResult;
import dev.meshforge.core.scene.Scene;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "repair", addMethodSubcommands = false, mixinStandardHelpOptions = true,
        description = "Make a model watertight, manifold, outward-facing and free of self-intersections, close to "
                + "the input; prints what it found, what it did and the Hausdorff distances.")
final class RepairCommand extends FileToFileCommand {
    @Option(names = "--quality", paramLabel = "low|default|max", converter = QualityConverter.class,
            description = "volumetric grid: 100, 200 or 320 cells")
    Repair.Quality quality = Repair.Quality.DEFAULT;

    @Option(names = "--target-triangles", paramLabel = "N", description = "simplify a rebuilt surface toward N triangles")
    long targetTriangles;

    @Option(names = "--keep-small-parts", description = "keep parts smaller than 0.2%% of the bounding-box diagonal")
    boolean keepSmallParts;

    @Override
    void validate() {
        if (targetTriangles < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--target-triangles must be 0 or more, not " + targetTriangles);
        }
    }

    @Override
    ToolResult<?> run(Scene scene, RunControl control) {
        return Repair.TOOL.run(scene, Repair.Options.DEFAULTS.withQuality(quality).withTargetTriangles(targetTriangles)
                .withKeepSmallParts(keepSmallParts), control);
    }

    /** low, default or max, in any case; anything else is a usage error naming the choices. */
    static final class QualityConverter implements picocli.CommandLine.ITypeConverter<Repair.Quality> {
        @Override
        public Repair.Quality convert(String value) {
            for (Repair.Quality q : Repair.Quality.values()) {
                if (q.name().equalsIgnoreCase(value)) {
                    return q;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("must be low, default or max, not " + value);
        }
    }
}
