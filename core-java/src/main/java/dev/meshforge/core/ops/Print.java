// The print preparation tool: repair, scale to a size in real units, turn Z up, and hollow if asked, in one run.
package dev.meshforge.core.ops;

import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.TriangleMesh;
import dev.meshforge.core.scene.Units;
import dev.meshforge.core.scene.UpAxis;
import dev.meshforge.core.scene.VertexAttribute;
import dev.meshforge.core.ops.internal.WorldMesh;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Makes a model ready for a slicer the way a print service is asked to: {@link Repair} (unchanged where the
 * model is already a closed solid), {@link Scale} (to the size asked, origin at the bottom centre by default), the
 * result as one mesh with Z up in the scale's declared unit (so that STL is written in millimetres and 3MF says
 * millimetres), then {@link Hollow} where asked. Vertex attributes and materials are not carried: a slicer takes
 * the shape.
 */
public final class Print implements Tool<Print.Options, Print.Report> {
    /**
     * @param repair the repair's options
     * @param scale  the target size, unit and origin
     * @param hollow the hollowing's options, or null for a solid print
     */
    public record Options(Repair.Options repair, Scale.Options scale, Hollow.Options hollow) {
        public Options {
            Objects.requireNonNull(repair, "repair");
            Objects.requireNonNull(scale, "scale");
        }
    }

    /**
     * The three reports (hollow null for a solid print), and the print's size in millimetres (width, depth, height
     * with Z up) and triangle count.
     */
    public record Report(Repair.Report repair, Scale.Report scale, Hollow.Report hollow, double[] printSize,
                         long triangles) implements dev.meshforge.core.Report {
        @Override
        public List<String> toText() {
            List<String> lines = new ArrayList<>();
            repair.toText().forEach(l -> lines.add("repair: " + l));
            scale.toText().forEach(l -> lines.add("scale: " + l));
            if (hollow != null) {
                hollow.toText().forEach(l -> lines.add("hollow: " + l));
            }
            lines.add(String.format(Locale.ROOT, "print: %.4g x %.4g x %.4g mm, Z up, %d triangles", printSize[0],
                    printSize[1], printSize[2], triangles));
            return lines;
        }
    }

    public static final Print TOOL = new Print();

    private Print() {
    }

    @Override
    public String name() {
        return "print";
    }

    public static ToolResult<Report> run(Scene input, Options options) {
        return TOOL.run(input, options, RunControl.DEFAULTS);
    }

    @Override
    public ToolResult<Report> run(Scene input, Options options, RunControl control) {
        StageClock clock = new StageClock(name(), control);
        List<String> warnings = new ArrayList<>();
        Scene flat = null;
        boolean handedOver = false;
        try (ToolResult<Repair.Report> repaired = Repair.TOOL.run(input, options.repair(), part(clock, control, 0, 0.5));
             ToolResult<Scale.Report> scaled = Scale.TOOL.run(repaired.scene(), options.scale(),
                     part(clock, control, 0.5, 0.55))) {
            warnings.addAll(repaired.warnings());
            warnings.addAll(scaled.warnings());
            clock.checkpoint(0.55, "z up");
            flat = zUp(scaled.scene());
            Hollow.Report hollowReport = null;
            Scene result = flat;
            ToolResult<Hollow.Report> hollowed = null;
            if (options.hollow() != null) {
                hollowed = Hollow.TOOL.run(flat, options.hollow(), part(clock, control, 0.6, 1.0));
                hollowReport = hollowed.report();
                warnings.addAll(hollowed.warnings());
                result = hollowed.scene();
            }
            if (result != flat) {
                flat.close();
            }
            double[][] box = WorldMesh.bounds(result);
            double mm = result.units().toMillimetres();
            double[] size = {(box[1][0] - box[0][0]) * mm, (box[1][1] - box[0][1]) * mm, (box[1][2] - box[0][2]) * mm};
            long triangles = new WorldMesh(result).primitives().stream().mapToLong(Primitive::triangleCount).sum();
            Report report = new Report(repaired.report(), scaled.report(), hollowReport, size, triangles);
            handedOver = true;
            return new ToolResult<>(result, true, List.of(), report, warnings, clock.finish());
        } finally {
            if (!handedOver && flat != null) {
                flat.close();
            }
        }
    }

    private static RunControl part(StageClock clock, RunControl control, double from, double to) {
        return new RunControl(clock.span(from, to), control.cancellation(), control.limits());
    }

    /**
     * The scene's triangles in world space as one mesh of float32 positions in a scene of its own, turned so that
     * its up axis is Z (a Y-up model's y becomes z, its z becomes -y: a rotation, so that nothing is mirrored).
     */
    private static Scene zUp(Scene scene) {
        Scene out = new Scene();
        try (Arena scratch = Arena.ofConfined()) {
            TriangleMesh t = scene.worldTriangles(scratch);
            boolean yUp = scene.units().upAxis() == UpAxis.Y;
            MemorySegment pos = out.allocateFloats(Math.max(1, 3 * t.vertexCount()));
            for (long v = 0; v < t.vertexCount(); v++) {
                double x = t.coordinate(v, 0);
                double y = t.coordinate(v, 1);
                double z = t.coordinate(v, 2);
                pos.setAtIndex(ValueLayout.JAVA_FLOAT, 3 * v, (float) x);
                pos.setAtIndex(ValueLayout.JAVA_FLOAT, 3 * v + 1, (float) (yUp ? -z : y));
                pos.setAtIndex(ValueLayout.JAVA_FLOAT, 3 * v + 2, (float) (yUp ? y : z));
            }
            MemorySegment idx = out.allocateInts(Math.max(1, 3 * t.triangleCount()));
            MemorySegment.copy(t.indices(), 0, idx, 0, 12 * t.triangleCount());
            Units units = scene.units();
            out.units(new Units(units.metresPerUnit(), UpAxis.Z, units.declared()));
            WorldMesh.addAsOnlyMesh(out, "print", new Primitive(Topology.TRIANGLES,
                    new VertexAttribute(VertexAttribute.POSITION, 3, t.vertexCount(), pos), idx, 3 * t.triangleCount()));
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }
}
