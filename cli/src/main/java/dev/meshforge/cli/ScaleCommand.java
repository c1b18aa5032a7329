// `meshforge scale IN OUT --height 120mm`: a model sized in real units along its own up axis.
package dev.meshforge.cli;

import dev.meshforge.core.ops.LengthUnit;
import dev.meshforge.core.ops.RunControl;
import dev.meshforge.core.ops.Scale;
import dev.meshforge.core.ops.ToolResult;
import dev.meshforge.core.scene.Scene;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@Command(name = "scale", addMethodSubcommands = false, mixinStandardHelpOptions = true,
        description = "Scale a model uniformly to a height, width, depth or longest side in mm, cm, m or in, "
                + "using the file's unit where it declares one.")
final class ScaleCommand extends FileToFileCommand {
    /** A length with its unit, e.g. 120mm, 4.5in, 0.2m; a bare number is millimetres. */
    record Length(double value, LengthUnit unit) {
    }

    static final class LengthConverter implements ITypeConverter<Length> {
        private static final Pattern LENGTH = Pattern.compile("([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\\s*([a-zA-Z]*)");

        @Override
        public Length convert(String text) {
            Matcher m = LENGTH.matcher(text.strip());
            if (!m.matches()) {
                throw new TypeConversionException("'" + text + "' is not a length such as 120mm, 12cm or 4.5in");
            }
            try {
                return new Length(Double.parseDouble(m.group(1)),
                        m.group(2).isEmpty() ? LengthUnit.MM : LengthUnit.parse(m.group(2)));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Target {
        @Option(names = "--height", paramLabel = "LENGTH", converter = LengthConverter.class,
                description = "length along the up axis, e.g. 120mm")
        Length height;
        @Option(names = "--width", paramLabel = "LENGTH", converter = LengthConverter.class,
                description = "length along x")
        Length width;
        @Option(names = "--depth", paramLabel = "LENGTH", converter = LengthConverter.class,
                description = "length along the horizontal axis that is not x")
        Length depth;
        @Option(names = "--longest", paramLabel = "LENGTH", converter = LengthConverter.class,
                description = "length of the longest side")
        Length longest;

        /** The dimension given, height where none was (a null target keeps the size). */
        static Scale.Dimension dimension(Target t) {
            if (t == null || t.height != null) {
                return Scale.Dimension.HEIGHT;
            }
            return t.width != null ? Scale.Dimension.WIDTH : t.depth != null ? Scale.Dimension.DEPTH
                    : Scale.Dimension.LONGEST;
        }

        /** The length given, 0 mm (keep the size) where none was. */
        static Length length(Target t) {
            if (t == null) {
                return new Length(0, LengthUnit.MM);
            }
            return t.height != null ? t.height : t.width != null ? t.width : t.depth != null ? t.depth : t.longest;
        }
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Target target;

    @Option(names = "--origin", paramLabel = "keep|bottom", description = "keep the origin, or put it at the bottom "
            + "centre (default keep)")
    String origin = "keep";

    @Option(names = "--source-unit", paramLabel = "mm|cm|m|in", description = "the unit of a file that declares "
            + "none (STL, OBJ, PLY); the default is the reader's assumption: mm for STL, m for OBJ and PLY")
    String sourceUnit;

    @Option(names = "--fit", paramLabel = "WxDxH", description = "scale down to fit a build volume, e.g. 250x210x220mm")
    String fit;

    private Scale.Options options;

    @Override
    void validate() {
        Scale.Dimension dimension = Target.dimension(target);
        Length length = Target.length(target);
        Scale.Origin o = switch (origin.toLowerCase(Locale.ROOT)) {
            case "keep" -> Scale.Origin.KEEP;
            case "bottom", "bottom-center", "bottom_centre", "bottom-centre" -> Scale.Origin.BOTTOM_CENTER;
            default -> throw usage("--origin must be keep or bottom, not " + origin);
        };
        double[] volume = null;
        LengthUnit unit = length.unit();
        if (fit != null) {
            Matcher m = Pattern.compile("([0-9.]+)x([0-9.]+)x([0-9.]+)\\s*([a-zA-Z]*)").matcher(fit.strip());
            if (!m.matches()) {
                throw usage("--fit must be WIDTHxDEPTHxHEIGHT with a unit, e.g. 250x210x220mm, not " + fit);
            }
            LengthUnit fitUnit = m.group(4).isEmpty() ? LengthUnit.MM : parseUnit(m.group(4), "--fit");
            double k = fitUnit.metres() / unit.metres();
            volume = new double[] {Double.parseDouble(m.group(1)) * k, Double.parseDouble(m.group(2)) * k,
                    Double.parseDouble(m.group(3)) * k};
        }
        try {
            options = new Scale.Options(dimension, length.value(), unit,
                    sourceUnit == null ? null : parseUnit(sourceUnit, "--source-unit"), o, volume);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private LengthUnit parseUnit(String text, String option) {
        try {
            return LengthUnit.parse(text);
        } catch (IllegalArgumentException e) {
            throw usage(option + ": " + e.getMessage());
        }
    }

    private picocli.CommandLine.ParameterException usage(String message) {
        return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
    }

    @Override
    ToolResult<?> run(Scene scene, RunControl control) {
        return Scale.TOOL.run(scene, options, control);
    }
}
