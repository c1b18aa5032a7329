// The options of hollowing, shared by `hollow` and `print --hollow`.
package dev.meshforge.cli;

import dev.meshforge.core.ops.Hollow;
import dev.meshforge.core.ops.LengthUnit;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** --wall, --holes, --hole-diameter, --vents, --up, --quality, --closing; lengths such as 2mm or 0.1in. */
final class HollowOptions {
    @Option(names = "--wall", paramLabel = "LENGTH", converter = ScaleCommand.LengthConverter.class,
            description = "the least wall thickness, e.g. 2mm (default 2mm)")
    ScaleCommand.Length wall = new ScaleCommand.Length(2, LengthUnit.MM);

    @Option(names = "--holes", paramLabel = "auto|none|X,Y,Z[;X,Y,Z...]",
            description = "drain holes: at the lowest point of every cavity (auto, the default), none, or at "
                    + "points in millimetres")
    String holes = "auto";

    @Option(names = "--hole-diameter", paramLabel = "LENGTH", converter = ScaleCommand.LengthConverter.class,
            description = "drain hole diameter (default 3mm)")
    ScaleCommand.Length holeDiameter = new ScaleCommand.Length(3, LengthUnit.MM);

    @Option(names = "--vents", description = "with automatic holes, a vent hole at each cavity's highest point too")
    boolean vents;

    @Option(names = "--up", paramLabel = "x|y|z|-x|-y|-z",
            description = "the print direction (default: the model's up axis)")
    String up;

    @Option(names = "--quality", paramLabel = "low|default|max",
            description = "grid cells across the wall: 3, 4 or 6 (default 4)")
    String quality = "default";

    @Option(names = "--closing", paramLabel = "LENGTH", converter = ScaleCommand.LengthConverter.class,
            description = "fill cavity features narrower than about twice this (default 0)")
    ScaleCommand.Length closing = new ScaleCommand.Length(0, LengthUnit.MM);

    /** The tool's options in millimetres; a usage error names the option that is wrong. */
    Hollow.Options options(CommandSpec spec) {
        try {
            Hollow.Quality q = switch (quality.toLowerCase(Locale.ROOT)) {
                case "low" -> Hollow.Quality.LOW;
                case "default" -> Hollow.Quality.DEFAULT;
                case "max" -> Hollow.Quality.MAX;
                default -> throw new IllegalArgumentException("--quality must be low, default or max, not " + quality);
            };
            Hollow.Options o = new Hollow.Options(mm(wall), mm(closing), LengthUnit.MM, q, Hollow.Holes.AUTO,
                    List.of(), mm(holeDiameter), vents, up == null ? null : Hollow.Axis.parse(up));
            return switch (holes.strip().toLowerCase(Locale.ROOT)) {
                case "auto" -> o;
                case "none" -> o.withHoles(Hollow.Holes.NONE);
                default -> o.withHolesAt(points(holes));
            };
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static double mm(ScaleCommand.Length length) {
        return length.value() * length.unit().metres() / LengthUnit.MM.metres();
    }

    private static List<double[]> points(String text) {
        List<double[]> points = new ArrayList<>();
        for (String point : text.split(";")) {
            String[] xyz = point.strip().split(",");
            if (xyz.length != 3) {
                throw new IllegalArgumentException("--holes must be auto, none or points X,Y,Z separated by ';', not "
                        + text);
            }
            try {
                points.add(new double[] {Double.parseDouble(xyz[0].strip()), Double.parseDouble(xyz[1].strip()),
                        Double.parseDouble(xyz[2].strip())});
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--holes: '" + point.strip() + "' is not three numbers X,Y,Z");
            }
        }
        return points;
    }
}
