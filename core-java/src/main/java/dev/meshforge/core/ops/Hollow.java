// The hollow tool on a Scene: all placements merged in world space, hollowed by the kernel to a wall given in real
// units, drain holes cut, returned as a new one-mesh scene in the input's units.
package dev.meshforge.core.ops;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.KernelException;
import dev.meshforge.core.inspect.MeshReport;
import dev.meshforge.core.kernel.Kernel;
import dev.meshforge.core.kernel.KernelHollowOptions;
import dev.meshforge.core.kernel.KernelHollowResult;
import dev.meshforge.core.ops.internal.WorldMesh;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.TriangleMesh;
import dev.meshforge.core.scene.UpAxis;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Hollows a closed solid for printing: an inner surface at least the wall thickness from the outer one everywhere
 * (measured, not assumed), parts thinner than two walls left solid, and drain holes carved before contouring so
 * that none can fail: by default one at the lowest point of every cavity along the up axis, proved to drain by a
 * flood fill from outside. The input must be watertight, outward and free of self-intersections (run
 * {@link Repair} first). Without holes the input's own surface stays the outer shell; with holes the whole solid
 * is rebuilt on the hollowing grid (a quarter of the wall by default), so detail finer than a cell is lost there.
 * Vertex attributes and materials are not carried.
 */
public final class Hollow implements Tool<Hollow.Options, Hollow.Report> {
    /** Grid cells across the wall: 3, 4 or 6. */
    public enum Quality { LOW, DEFAULT, MAX }

    /** Where drain holes go: at each cavity's lowest point, nowhere, or at given points. */
    public enum Holes { AUTO, NONE, AT }

    /** A print direction. */
    public enum Axis {
        X(1, 0, 0), Y(0, 1, 0), Z(0, 0, 1), NEG_X(-1, 0, 0), NEG_Y(0, -1, 0), NEG_Z(0, 0, -1);

        private final double[] direction;

        Axis(double x, double y, double z) {
            direction = new double[] {x, y, z};
        }

        double[] direction() {
            return direction.clone();
        }

        /** "x", "y", "z", "-x", "-y" or "-z" in any case. */
        public static Axis parse(String s) {
            String t = s.strip().toUpperCase(Locale.ROOT);
            for (Axis a : values()) {
                if (a.name().equals(t.startsWith("-") ? "NEG_" + t.substring(1) : t)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("unknown axis '" + s + "'; use x, y, z, -x, -y or -z");
        }
    }

    /**
     * @param wall         the least wall thickness, in {@code unit} (> 0)
     * @param closing      fill cavity features narrower than about twice this, in {@code unit} (0 = none)
     * @param unit         the unit of every length here (hole points too)
     * @param quality      grid cells across the wall
     * @param holes        hole placement
     * @param holePoints   where {@code holes} is AT: points on or near the surface, xyz in the model's coordinates
     *                     scaled to {@code unit}
     * @param holeDiameter in {@code unit} (> 0)
     * @param vents        automatic holes: a vent at each cavity's highest point too
     * @param up           the print direction (null = the scene's up axis)
     */
    public record Options(double wall, double closing, LengthUnit unit, Quality quality, Holes holes,
                          List<double[]> holePoints, double holeDiameter, boolean vents, Axis up) {
        public static final Options DEFAULTS = new Options(2, 0, LengthUnit.MM, Quality.DEFAULT, Holes.AUTO, List.of(),
                3, false, null);

        public Options {
            Objects.requireNonNull(unit, "unit");
            Objects.requireNonNull(quality, "quality");
            Objects.requireNonNull(holes, "holes");
            holePoints = holePoints.stream().map(double[]::clone).toList();
            if (!(wall > 0) || Double.isInfinite(wall)) {
                throw new IllegalArgumentException("the wall thickness must be a positive finite length, not " + wall);
            }
            if (!(closing >= 0) || Double.isInfinite(closing)) {
                throw new IllegalArgumentException("the closing distance must be 0 or a positive finite length, not "
                        + closing);
            }
            if (!(holeDiameter > 0) || Double.isInfinite(holeDiameter)) {
                throw new IllegalArgumentException("the hole diameter must be a positive finite length, not "
                        + holeDiameter);
            }
            if ((holes == Holes.AT) == holePoints.isEmpty()) {
                throw new IllegalArgumentException("hole points are given exactly when holes are placed at points");
            }
            for (double[] p : holePoints) {
                if (p.length != 3 || !Double.isFinite(p[0] + p[1] + p[2])) {
                    throw new IllegalArgumentException("a hole point needs three finite coordinates");
                }
            }
        }

        public static Options wall(double wall, LengthUnit unit) {
            return new Options(wall, 0, unit, Quality.DEFAULT, Holes.AUTO, List.of(), 3 * LengthUnit.MM.metres()
                    / unit.metres(), false, null);
        }

        public Options withHoles(Holes h) {
            return new Options(wall, closing, unit, quality, h, holePoints, holeDiameter, vents, up);
        }

        public Options withHolesAt(List<double[]> points) {
            return new Options(wall, closing, unit, quality, Holes.AT, points, holeDiameter, vents, up);
        }

        public Options withHoleDiameter(double d) {
            return new Options(wall, closing, unit, quality, holes, holePoints, d, vents, up);
        }

        public Options withVents(boolean v) {
            return new Options(wall, closing, unit, quality, holes, holePoints, holeDiameter, v, up);
        }

        public Options withQuality(Quality q) {
            return new Options(wall, closing, unit, q, holes, holePoints, holeDiameter, vents, up);
        }

        public Options withUp(Axis a) {
            return new Options(wall, closing, unit, quality, holes, holePoints, holeDiameter, vents, a);
        }

        public Options withClosing(double c) {
            return new Options(wall, c, unit, quality, holes, holePoints, holeDiameter, vents, up);
        }
    }

    /**
     * What hollowing made, lengths in millimetres and volumes in mm³; the keys of {@code meshforge hollow --json}
     * are these names in snake_case.
     *
     * @param materialSavedPercent how much of the solid's volume the cavities took
     * @param minWall              measured: the least distance from the inner surface to the outer one
     * @param cavities             hollow regions made (0: nothing is thicker than two walls)
     * @param cavitiesDrained      of them, reached from outside through the holes
     * @param holeOpenings         where each hole leaves the outer surface, mm
     * @param printSize            width, depth, height of the result, mm (along x, the other axis and up)
     * @param remeshed             the whole solid was rebuilt on the hollowing grid (holes cut)
     */
    public record Report(double volumeBefore, double volumeAfter, double materialSavedPercent, double wall,
                         double minWall, int cavities, int cavitiesDrained, int holes, List<double[]> holeOpenings,
                         double[] printSize, long trianglesIn, long trianglesOut, long innerTriangles,
                         boolean remeshed, double cellSize, MeshReport after) implements dev.meshforge.core.Report {
        @Override
        public List<String> toText() {
            List<String> lines = new ArrayList<>();
            lines.add(String.format(Locale.ROOT, "volume: %.6g mm³ solid, %.6g mm³ hollowed (%.1f%% material saved)",
                    volumeBefore, volumeAfter, materialSavedPercent));
            lines.add(String.format(Locale.ROOT, "wall: %.4g mm asked, %.4g mm measured at its thinnest (grid cell "
                    + "%.3g mm)", wall, minWall, cellSize));
            lines.add(String.format(Locale.ROOT, "cavities: %d, %d drained through %d holes", cavities,
                    cavitiesDrained, holes));
            for (double[] p : holeOpenings) {
                lines.add(String.format(Locale.ROOT, "  hole at %.4g, %.4g, %.4g mm", p[0], p[1], p[2]));
            }
            lines.add(String.format(Locale.ROOT, "print size: %.4g x %.4g x %.4g mm (width x depth x height)",
                    printSize[0], printSize[1], printSize[2]));
            lines.add(String.format(Locale.ROOT, "triangles: %d in, %d out (%d inner)%s", trianglesIn, trianglesOut,
                    innerTriangles, remeshed ? ", the whole solid rebuilt to cut the holes" : ""));
            return lines;
        }
    }

    public static final Hollow TOOL = new Hollow();

    private Hollow() {
    }

    @Override
    public String name() {
        return "hollow";
    }

    public static ToolResult<Report> run(Scene input, Options options) {
        return TOOL.run(input, options, RunControl.DEFAULTS);
    }

    @Override
    public ToolResult<Report> run(Scene input, Options options, RunControl control) {
        Objects.requireNonNull(input, "input");
        StageClock clock = new StageClock(name(), control);
        // The kernel's first hollow in a process opens the library and links first (about 100 ms): on a thread of
        // its own (not the common pool, where other work could hold it up) while the input is gathered and copied,
        // waited for before the call.
        CompletableFuture<Void> prepared = CompletableFuture.runAsync(Kernel::prepareHollow,
                task -> Thread.ofPlatform().name("hollow-prepare").daemon().start(task));
        WorldMesh world = WorldMesh.withTriangles(input, "hollow");
        clock.checkpoint(0, "gather");
        // Lengths go to the kernel in the model's own units; everything reported is in millimetres.
        double perUnit = options.unit().metres() / input.units().metresPerUnit();
        double mmPerModel = input.units().toMillimetres();
        int upAxis = input.units().upAxis() == UpAxis.Z ? 2 : 1;
        double[] up = options.up() != null ? options.up().direction()
                : upAxis == 2 ? Axis.Z.direction() : Axis.Y.direction();
        List<double[]> points = options.holePoints().stream()
                .map(p -> new double[] {p[0] * perUnit, p[1] * perUnit, p[2] * perUnit}).toList();
        KernelHollowOptions kernelOptions = new KernelHollowOptions(options.wall() * perUnit,
                options.closing() * perUnit, switch (options.quality()) {
                    case DEFAULT -> 0;
                    case LOW -> 1;
                    case MAX -> 2;
                }, options.holes().ordinal(), options.vents(), up, options.holeDiameter() * perUnit, points,
                clock.span(0.02, 0.95), clock.remaining(), clock.maxMemoryBytes());

        Scene out = new Scene();
        boolean keepOut = false;
        try (Arena scratch = Arena.ofConfined()) {
            TriangleMesh mesh = world.triangles(scratch);
            prepared.join();
            KernelHollowResult r;
            try {
                r = Kernel.hollow(mesh, kernelOptions, out.arena());
            } catch (KernelException e) {
                // The kernel's refusals of the input (open, inward, crossing, too thin for the wall) are the
                // user's to fix.
                throw e.status() == KernelException.INVALID_ARGUMENT ? new BadInputException(null, e.getMessage()) : e;
            }
            clock.checkpoint(0.95, "rebuild");
            List<String> warnings = new ArrayList<>();
            Scene scene = input;
            if (r.hollowed()) {
                out.units(input.units());
                WorldMesh.addAsOnlyMesh(out, "hollowed", WorldMesh.primitive(out, r.positions(), r.vertexCount(),
                        r.indices(), r.triangleCount(), null, null, s -> false));
                scene = out;
                keepOut = true;
            } else {
                warnings.add(String.format(Locale.ROOT, "nothing was hollowed: no part of the model is thicker than "
                        + "two walls of %.4g mm", options.wall() * options.unit().metres() * 1000));
            }
            if (r.cavitiesDrained() < r.cavities()) {
                warnings.add((r.cavities() - r.cavitiesDrained()) + " of " + r.cavities() + " cavities are closed: "
                        + "resin or powder stays trapped in them");
            }
            double mm3 = mmPerModel * mmPerModel * mmPerModel;
            MeshReport after = r.after();
            double[] size = new double[3];
            int depthAxis = upAxis == 2 ? 1 : 2;
            int[] axes = {0, depthAxis, upAxis};
            for (int k = 0; k < 3; k++) {
                size[k] = (after.bboxMax()[axes[k]] - after.bboxMin()[axes[k]]) * mmPerModel;
            }
            List<double[]> openings = r.holeOpenings().stream()
                    .map(p -> new double[] {p[0] * mmPerModel, p[1] * mmPerModel, p[2] * mmPerModel}).toList();
            double before = r.volumeBefore() * mm3;
            double left = r.volumeAfter() * mm3;
            Report report = new Report(before, left, before > 0 ? 100 * (before - left) / before : 0,
                    options.wall() * options.unit().metres() * 1000, r.minWall() * mmPerModel, r.cavities(),
                    r.cavitiesDrained(), openings.size(), openings, size, mesh.triangleCount(), after.triangles(),
                    r.innerTriangles(), r.remeshed(), r.cellSize() * mmPerModel, after);
            warnings.forEach(out::warn);
            return new ToolResult<>(scene, keepOut, List.of(), report, warnings, clock.finish());
        } finally {
            if (!keepOut) {
                out.close();
            }
        }
    }
}
