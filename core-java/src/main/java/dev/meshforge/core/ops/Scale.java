// The scale tool: a model sized to a target length in real units, along the scene's own axes.
package dev.meshforge.core.ops;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.ops.internal.WorldMesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.Units;
import dev.meshforge.core.scene.UpAxis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Scales a model uniformly so that one of its dimensions has a target length, and optionally moves its origin to
 * the bottom centre and fits it into a build volume. The source unit is the file's where it declares one (glTF,
 * FBX, 3MF), else {@link Options#sourceUnit()}, else the reader's assumption (STL millimetres, OBJ and PLY
 * metres), with a warning when the model's size suggests another unit (as PrusaSlicer asks: inches below 9 mm³,
 * metres below 0.001 mm³). The scaling is a new root node over the input's hierarchy, applied in float64 by every
 * writer, so that no vertex is rounded twice; the output shares the input's data and must be closed before it.
 */
public final class Scale implements Tool<Scale.Options, Scale.Report> {
    /** Which extent the target length is for: height along the up axis, width along x, depth the other one. */
    public enum Dimension { HEIGHT, WIDTH, DEPTH, LONGEST }

    /** Where the model's origin ends up. */
    public enum Origin { KEEP, BOTTOM_CENTER }

    /**
     * @param dimension   the extent {@code target} is for
     * @param target      its length in {@code unit} (positive; 0 = keep the size, e.g. to move the origin or fit)
     * @param unit        the unit of {@code target} and of {@code buildVolume}
     * @param sourceUnit  the unit of an input that declares none (null = the reader's assumption)
     * @param origin      keep the origin, or put it at the bottom centre of the bounding box
     * @param buildVolume width, depth, height the result must fit in, scaled down uniformly where it does not
     *                    (null = no limit)
     */
    public record Options(Dimension dimension, double target, LengthUnit unit, LengthUnit sourceUnit, Origin origin,
                          double[] buildVolume) {
        public static final Options DEFAULTS = new Options(Dimension.HEIGHT, 0, LengthUnit.MM, null, Origin.KEEP,
                null);

        public Options {
            Objects.requireNonNull(dimension, "dimension");
            Objects.requireNonNull(unit, "unit");
            Objects.requireNonNull(origin, "origin");
            if (!(target >= 0) || Double.isInfinite(target)) {
                throw new IllegalArgumentException("the target length must be a finite number of 0 or more, not "
                        + target);
            }
            if (buildVolume != null && (buildVolume.length != 3 || !(buildVolume[0] > 0) || !(buildVolume[1] > 0)
                    || !(buildVolume[2] > 0) || Double.isInfinite(buildVolume[0] + buildVolume[1] + buildVolume[2]))) {
                throw new IllegalArgumentException("the build volume must be three positive finite lengths");
            }
            buildVolume = buildVolume == null ? null : buildVolume.clone();
        }

        public static Options height(double target, LengthUnit unit) {
            return new Options(Dimension.HEIGHT, target, unit, null, Origin.KEEP, null);
        }

        public Options withOrigin(Origin o) {
            return new Options(dimension, target, unit, sourceUnit, o, buildVolume);
        }

        public Options withSourceUnit(LengthUnit u) {
            return new Options(dimension, target, unit, u, origin, buildVolume);
        }

        public Options withBuildVolume(double width, double depth, double height) {
            return new Options(dimension, target, unit, sourceUnit, origin, new double[] {width, depth, height});
        }
    }

    /**
     * @param factor     the uniform scale applied to the coordinates
     * @param sourceUnit the unit the input's coordinates were taken in
     * @param sizeBefore width, depth, height before, in millimetres (width along x, height along the up axis)
     * @param sizeAfter  the same after
     * @param fitted     whether the build volume made it smaller than the target asked
     */
    public record Report(double factor, String sourceUnit, boolean unitDeclared, double[] sizeBefore,
                         double[] sizeAfter, Origin origin, boolean fitted) implements dev.meshforge.core.Report {
        @Override
        public List<String> toText() {
            return List.of(
                    String.format(Locale.ROOT, "source unit: %s (%s)", sourceUnit, unitDeclared ? "declared by the file"
                            : "assumed"),
                    String.format(Locale.ROOT, "size before: %.4g x %.4g x %.4g mm (width x depth x height)",
                            sizeBefore[0], sizeBefore[1], sizeBefore[2]),
                    String.format(Locale.ROOT, "scaled by %.6g%s: %.4g x %.4g x %.4g mm", factor,
                            fitted ? " (fitted into the build volume)" : "", sizeAfter[0], sizeAfter[1], sizeAfter[2]));
        }
    }

    public static final Scale TOOL = new Scale();

    private Scale() {
    }

    @Override
    public String name() {
        return "scale";
    }

    public static ToolResult<Report> run(Scene input, Options options) {
        return TOOL.run(input, options, RunControl.DEFAULTS);
    }

    @Override
    public ToolResult<Report> run(Scene input, Options options, RunControl control) {
        StageClock clock = new StageClock(name(), control);
        clock.checkpoint(0, "measure");
        double[][] box = WorldMesh.bounds(input);
        if (box == null) {
            throw new BadInputException(null, "it has no vertices to scale");
        }
        Units units = input.units();
        List<String> warnings = new ArrayList<>();
        boolean declared = units.declared();
        double metresPerUnit = units.metresPerUnit();
        String sourceName = unitName(metresPerUnit);
        if (!declared && options.sourceUnit() != null) {
            metresPerUnit = options.sourceUnit().metres();
            sourceName = options.sourceUnit().toString();
        } else if (declared && options.sourceUnit() != null
                && Math.abs(options.sourceUnit().metres() - metresPerUnit) > 1e-12 * metresPerUnit) {
            warnings.add("the file declares its unit (" + sourceName + "), so the source unit "
                    + options.sourceUnit() + " was not used");
        }
        int up = units.upAxis() == UpAxis.Z ? 2 : 1;
        int depthAxis = up == 2 ? 1 : 2;
        double mm = metresPerUnit * 1000;
        double[] before = {(box[1][0] - box[0][0]) * mm, (box[1][depthAxis] - box[0][depthAxis]) * mm,
                (box[1][up] - box[0][up]) * mm};
        if (!declared && options.sourceUnit() == null) {
            double volume = before[0] * before[1] * before[2];
            if (volume < 0.001) {
                warnings.add(String.format(Locale.ROOT, "the model is %.3g mm³ taken as %s: if its unit is metres, "
                        + "give the source unit m", volume, sourceName));
            } else if (volume < 9) {
                warnings.add(String.format(Locale.ROOT, "the model is %.3g mm³ taken as %s: if its unit is inches, "
                        + "give the source unit in", volume, sourceName));
            }
        }
        double current = switch (options.dimension()) {
            case WIDTH -> before[0];
            case DEPTH -> before[1];
            case HEIGHT -> before[2];
            case LONGEST -> Math.max(before[0], Math.max(before[1], before[2]));
        };
        double targetMm = options.target() * options.unit().metres() * 1000;
        if (options.target() > 0 && !(current > 0)) {
            throw new BadInputException(null, "its " + options.dimension().name().toLowerCase(Locale.ROOT)
                    + " is 0, so no scale can give it a length");
        }
        double factor = options.target() > 0 ? targetMm / current : 1;
        boolean fitted = false;
        if (options.buildVolume() != null) {
            double limit = Double.POSITIVE_INFINITY;
            for (int k = 0; k < 3; k++) {
                double room = options.buildVolume()[k] * options.unit().metres() * 1000;
                if (before[k] > 0) {
                    limit = Math.min(limit, room / before[k]);
                }
            }
            if (limit < factor) {
                factor = limit;
                fitted = true;
                warnings.add(String.format(Locale.ROOT, "scaled down to fit the build volume %.4g x %.4g x %.4g %s",
                        options.buildVolume()[0], options.buildVolume()[1], options.buildVolume()[2], options.unit()));
            }
        }
        // The factor is on coordinates, which stay in the source unit; that unit is declared from now on, since the
        // sizes the user asked for hold only in it (an STL is then written in millimetres).
        Transform t = Transform.scale(factor, factor, factor);
        if (options.origin() == Origin.BOTTOM_CENTER) {
            double[] shift = new double[3];
            for (int k = 0; k < 3; k++) {
                shift[k] = k == up ? -box[0][k] * factor : -(box[0][k] + box[1][k]) / 2 * factor;
            }
            t = Transform.translation(shift[0], shift[1], shift[2]).then(t);
        }
        clock.checkpoint(0.5, "scale");
        Scene out = new Scene();
        out.units(new Units(metresPerUnit, units.upAxis(), true));
        out.materials().addAll(input.materials());
        out.textures().addAll(input.textures());
        out.skins().addAll(input.skins());
        out.animations().addAll(input.animations());
        Node root = new Node("scaled").local(t);
        input.roots().forEach(root::add);
        out.addRoot(root);
        double[] after = {before[0] * factor, before[1] * factor, before[2] * factor};
        Report report = new Report(factor, sourceName, declared, before, after, options.origin(), fitted);
        warnings.forEach(out::warn);
        return new ToolResult<>(out, true, List.of(), report, warnings, clock.finish());
    }

    private static String unitName(double metresPerUnit) {
        for (LengthUnit u : LengthUnit.values()) {
            if (Math.abs(u.metres() - metresPerUnit) <= 1e-12 * metresPerUnit) {
                return u.toString();
            }
        }
        return String.format(Locale.ROOT, "%.6g m", metresPerUnit);
    }
}
