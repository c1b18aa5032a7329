// The repair tool on a Scene: all placements merged in world space, repaired by the kernel, returned as a new
// one-mesh scene (or the input itself where it already met the guarantee).
package dev.meshforge.core.ops;

import dev.meshforge.core.inspect.MeshReport;
import dev.meshforge.core.kernel.Kernel;
import dev.meshforge.core.kernel.KernelRepairOptions;
import dev.meshforge.core.kernel.KernelRepairResult;
import dev.meshforge.core.ops.internal.AttributeLayout;
import dev.meshforge.core.ops.internal.BaseColorTransfer;
import dev.meshforge.core.ops.internal.WorldMesh;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.TriangleMesh;
import dev.meshforge.core.scene.VertexAttribute;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes a scene printable: watertight, manifold, consistently outward, free of degenerate faces and
 * self-intersections, with positive volume, and close to the input (the two sampled Hausdorff distances are
 * reported). The topological stage keeps the input's vertices with their normals, every UV set and every
 * color set, and each triangle's material (one primitive a material); where it is not enough the volumetric
 * stage rebuilds the surface as one primitive and gives it vertex colors: the input's vertex colors times its
 * materials' base colour (factor times texture, sampled at the transferred UV) at the closest input point, under
 * a plain white material. Normals, UVs and the textures do not survive that stage. Neither stage keeps tangents
 * (glTF readers compute them where a file has none), skins or morph targets; see {@link AttributeLayout}.
 */
public final class Repair implements Tool<Repair.Options, Repair.Report> {
    /** Grid resolution of the volumetric stage: 100, 200 or 320 cells along the longest side. */
    public enum Quality { LOW, DEFAULT, MAX }

    /** What the repair did to reach the guarantee. */
    public enum Stage { UNCHANGED, TOPOLOGICAL, VOLUMETRIC }

    /**
     * @param quality         resolution of the volumetric stage
     * @param targetTriangles simplify a volumetric result toward this many triangles (0 = the input's count)
     * @param keepSmallParts  keep parts smaller than 0.2% of the bounding-box diagonal
     * @param hausdorff       measure the two Hausdorff distances (a sampling pass over both surfaces)
     */
    public record Options(Quality quality, long targetTriangles, boolean keepSmallParts, boolean hausdorff) {
        public static final Options DEFAULTS = new Options(Quality.DEFAULT, 0, false, true);

        public Options {
            Objects.requireNonNull(quality, "quality");
            if (targetTriangles < 0) {
                throw new IllegalArgumentException("targetTriangles must be >= 0, not " + targetTriangles);
            }
        }

        public Options withQuality(Quality q) {
            return new Options(q, targetTriangles, keepSmallParts, hausdorff);
        }

        public Options withTargetTriangles(long n) {
            return new Options(quality, n, keepSmallParts, hausdorff);
        }

        public Options withKeepSmallParts(boolean keep) {
            return new Options(quality, targetTriangles, keep, hausdorff);
        }
    }

    /**
     * What the repair found and did; the keys of {@code meshforge repair --json} are these names in snake_case.
     *
     * @param hausdorffOutIn largest sampled distance output to input, as a fraction of the input's bbox diagonal
     * @param hausdorffInOut the same input to output (-1 when not measured)
     * @param hausdorffOutInPatched largest sampled distance output to the input together with the hole patches the
     *                       topological stage added (what the volumetric stage rebuilds from): small where
     *                       {@code hausdorffOutIn} is large only because a hole had to be covered; equal to it where
     *                       no hole was filled (-1 when not measured)
     * @param lost           what of the input the output lost: the largest distance from a point of the input surface
     *                       that lies outside the output solid to the output surface, as a fraction of the input's
     *                       diagonal (a solid may swallow inner walls and overlapping shells, never leave surface
     *                       outside); 0 when unchanged, -1 when not measured
     * @param lostArea       the share of the input's area outside the output, farther than {@link #LOST_AIM} of the
     *                       diagonal (-1 when not measured)
     */
    public record Report(Stage stage, long trianglesIn, long trianglesOut, long verticesWelded, long facesRemoved,
                         long facesFlipped, long holesFilled, long holeTriangles, long smallPartsRemoved,
                         long partsMerged, int gridResolution, boolean simplified, double hausdorffOutIn,
                         double hausdorffInOut, double hausdorffOutInPatched, double lost, double lostArea, MeshReport before,
                         MeshReport after)
            implements dev.meshforge.core.Report {

        /** The largest loss the repair lets pass without a warning, as a fraction of the diagonal. */
        public static final double LOST_AIM = 0.005;

        /** One sentence when part of the input was left outside the solid, farther than {@link #LOST_AIM}. */
        Optional<String> lostWarning() {
            if (!(lost > LOST_AIM)) {
                return Optional.empty();
            }
            return Optional.of(String.format(Locale.ROOT, "the repaired solid lost part of the input: %.2f%% of its "
                    + "area lies outside the solid, up to %.2f%% of the diagonal away", 100 * lostArea, 100 * lost));
        }

        static Report of(KernelRepairResult r) {
            return new Report(Stage.values()[r.stage()], r.before().triangles(), r.after().triangles(),
                    r.verticesWelded(), r.facesRemoved(), r.facesFlipped(), r.holesFilled(), r.holeTriangles(),
                    r.smallPartsRemoved(), r.partsMerged(), r.resolution(), r.simplified(), r.hausdorffOutIn(),
                    r.hausdorffInOut(), r.hausdorffOutInPatched(), r.lost(), r.lostArea(), r.before(), r.after());
        }

        @Override
        public List<String> toText() {
            MeshReport b = before;
            List<String> lines = new ArrayList<>();
            lines.add(String.format(Locale.ROOT, "found: %d triangles, %d holes, %d open, %d non-manifold, "
                            + "%d flipped edges, %d degenerate, %d duplicate faces, %d parts, %d intersecting pairs, "
                            + "volume %.6g", b.triangles(), b.holes(), b.openEdges(), b.nonManifoldEdges(),
                    b.inconsistentOrientationEdges(), b.degenerateFaces(), b.duplicateFaces(), b.components(),
                    b.intersectingPairs(), b.volume()));
            lines.add(switch (stage) {
                case UNCHANGED -> "already watertight, manifold, outward and free of intersections: unchanged";
                case TOPOLOGICAL -> String.format(Locale.ROOT, "fixed in place: %d vertices welded, %d faces "
                                + "removed, %d flipped, %d holes filled (%d triangles), %d small parts removed",
                        verticesWelded, facesRemoved, facesFlipped, holesFilled, holeTriangles, smallPartsRemoved);
                case VOLUMETRIC -> String.format(Locale.ROOT, "rebuilt as a solid on a %d-cell grid%s: %d parts "
                                + "merged, %d holes filled first, colors from vertex colors and materials transferred",
                        gridResolution, simplified ? " and simplified" : "", partsMerged, holesFilled);
            });
            lines.add(String.format(Locale.ROOT, "result: %d triangles, %d parts, watertight %s, volume %.6g",
                    after.triangles(), after.components(), after.watertight() ? "yes" : "no", after.volume()));
            // A patch stands as far from the input as its hole is wide: how far the output is from both tells more.
            String offPatches = holesFilled == 0 ? "" : String.format(Locale.ROOT,
                    " (%.4f%% off the input and its hole patches)", 100 * hausdorffOutInPatched);
            lines.add(String.format(Locale.ROOT, "hausdorff: output->input %.4f%%%s, input->output %.4f%% of the "
                    + "diagonal", 100 * hausdorffOutIn, offPatches, 100 * hausdorffInOut));
            if (lost >= 0) {
                lines.add(String.format(Locale.ROOT, "lost: %.4f%% of the diagonal at most, %.4f%% of the area",
                        100 * lost, 100 * lostArea));
            }
            return lines;
        }
    }

    /** The tool, for callers that hold tools by their contract (the command line, the server). */
    public static final Repair TOOL = new Repair();

    private static final String COLOR = "COLOR_0";

    private Repair() {
    }

    @Override
    public String name() {
        return "repair";
    }

    public static ToolResult<Report> run(Scene input) {
        return TOOL.run(input, Options.DEFAULTS, RunControl.DEFAULTS);
    }

    public static ToolResult<Report> run(Scene input, Options options) {
        return TOOL.run(input, options, RunControl.DEFAULTS);
    }

    @Override
    public ToolResult<Report> run(Scene input, Options options, RunControl control) {
        Objects.requireNonNull(input, "input");
        StageClock clock = new StageClock(name(), control);
        WorldMesh world = WorldMesh.withTriangles(input, "repair");
        List<Primitive> prims = world.primitives();
        clock.checkpoint(0, "gather");
        BaseColorTransfer colors = BaseColorTransfer.of(input, prims);
        AttributeLayout layout = AttributeLayout.of(prims, colors != null);
        int flags = (options.keepSmallParts() ? KernelRepairOptions.KEEP_SMALL_PARTS : 0)
                | (options.hausdorff() ? 0 : KernelRepairOptions.SKIP_HAUSDORFF);

        Scene out = new Scene();
        boolean keepOut = false;
        try (Arena scratch = Arena.ofConfined()) {
            TriangleMesh mesh = world.triangles(scratch);
            MemorySegment attributes = world.attributes(layout, colors == null ? null
                    : (p, data, first) -> colors.gather(p, data, first + layout.surfaceAt(), layout.width()),
                    mesh.vertexCount(), scratch);
            KernelRepairOptions kernelOptions = new KernelRepairOptions(switch (options.quality()) {
                case DEFAULT -> 0;
                case LOW -> 1;
                case MAX -> 2;
            }, 0, options.targetTriangles(), flags, clock.span(0.02, 0.95), clock.remaining())
                    .withMaxMemoryBytes(clock.maxMemoryBytes());
            KernelRepairResult r = Kernel.repair(mesh, attributes, layout.width(), kernelOptions, out.arena());
            Report report = Report.of(r);
            Scene scene = input;
            List<String> warnings = new ArrayList<>();
            report.lostWarning().ifPresent(warnings::add);
            if (report.stage() != Stage.UNCHANGED) {
                clock.checkpoint(0.95, "rebuild");
                Stage stage = report.stage();
                boolean coloured = colors != null && colors.coloured();
                build(out, input, prims, r, layout, stage, coloured);
                if (stage == Stage.TOPOLOGICAL && colors != null && colors.mixesMaterials()) {
                    splitByMaterial(out, r, colors, layout.surfaceAt());
                }
                if (stage == Stage.TOPOLOGICAL && !layout.dropped().isEmpty()) {
                    warnings.add("vertex attributes " + String.join(", ", layout.dropped()) + " were left out: the "
                            + "repair carries at most " + KernelRepairOptions.MAX_ATTRIBUTES + " floats a vertex");
                }
                if (stage == Stage.VOLUMETRIC && coloured) {
                    warnings.addAll(colorFromMaterials(out, r, layout, colors));
                }
                warnings.forEach(out::warn);
                scene = out;
                keepOut = true;
            }
            return new ToolResult<>(scene, keepOut, List.of(), report, warnings, clock.finish());
        } finally {
            if (!keepOut) {
                out.close();
            }
        }
    }

    /**
     * Sets COLOR_0 of the volumetric output to the transferred vertex color (white where the input had none)
     * times the base colour of the closest input surface, under one white material.
     *
     * @return warnings about textures that could not be decoded
     */
    private static List<String> colorFromMaterials(Scene out, KernelRepairResult r, AttributeLayout layout,
                                                   BaseColorTransfer colors) {
        colors.decodeTextures();
        Primitive p = out.roots().get(0).mesh().primitives().get(0);
        long n = r.vertexCount();
        int stride = r.attributeCount();
        AttributeLayout.Slot color = layout.slot(COLOR);
        int colorAt = color == null ? -1 : color.offset();
        int at = layout.surfaceAt();
        MemorySegment seg = out.allocateFloats(Math.max(1, n * 4));
        MemorySegment from = r.attributes();
        float[] rgba = new float[4];
        float[] scratch = new float[4];
        for (long v = 0; v < n; v++) {
            long base = v * stride;
            for (int c = 0; c < 4; c++) {
                rgba[c] = colorAt < 0 ? 1f : from.getAtIndex(ValueLayout.JAVA_FLOAT, base + colorAt + c);
            }
            colors.color(from.getAtIndex(ValueLayout.JAVA_FLOAT, base + at),
                    from.getAtIndex(ValueLayout.JAVA_FLOAT, base + at + 1),
                    from.getAtIndex(ValueLayout.JAVA_FLOAT, base + at + 2), rgba, scratch);
            MemorySegment.copy(rgba, 0, seg, ValueLayout.JAVA_FLOAT, v * 16, 4);
        }
        p.put(new VertexAttribute(COLOR, 4, n, seg));
        out.materials().add(colors.outputMaterial());
        p.material(out.materials().size() - 1);
        return colors.warnings();
    }

    /**
     * Replaces the topological output's one primitive by one a material: a triangle takes the material most of its
     * corners came from (hole patches blend their loop's ids; a three-way tie takes the first corner's), and each
     * primitive gets a compact copy of the vertices it uses.
     *
     * @param at where the surface id sits in each vertex's transferred attributes
     */
    private static void splitByMaterial(Scene out, KernelRepairResult r, BaseColorTransfer colors, int at) {
        Mesh mesh = out.roots().get(0).mesh();
        Primitive all = mesh.primitives().get(0);
        Map<Integer, List<Integer>> trianglesOf = new java.util.TreeMap<>();
        int[] m = new int[3];
        for (int t = 0; t < r.triangleCount(); t++) {
            for (int k = 0; k < 3; k++) {
                long v = Integer.toUnsignedLong(all.index(3L * t + k));
                m[k] = colors.materialOf(r.attributes().getAtIndex(ValueLayout.JAVA_FLOAT,
                        v * r.attributeCount() + at));
            }
            int material = m[1] == m[2] ? m[1] : m[0];
            trianglesOf.computeIfAbsent(material, x -> new ArrayList<>()).add(t);
        }
        List<Primitive> parts = new ArrayList<>();
        for (Map.Entry<Integer, List<Integer>> e : trianglesOf.entrySet()) {
            parts.add(WorldMesh.subset(out, all, e.getValue()).material(e.getKey()));
        }
        mesh.primitives().clear();
        parts.forEach(mesh::add);
    }

    /**
     * The output's one primitive: every carried attribute after the topological stage; after the volumetric one
     * COLOR_0 only, where the materials do not colour the surface instead.
     */
    private static void build(Scene out, Scene input, List<Primitive> prims, KernelRepairResult r,
                              AttributeLayout layout, Stage stage, boolean colorsFromMaterials) {
        out.units(input.units());
        Primitive p = WorldMesh.primitive(out, r.positions(), r.vertexCount(), r.indices(), r.triangleCount(), layout,
                r.attributes(), s -> stage == Stage.TOPOLOGICAL || s.name().equals(COLOR) && !colorsFromMaterials);
        if (stage == Stage.TOPOLOGICAL) {
            out.materials().addAll(input.materials());
            out.textures().addAll(input.textures());
            p.material(prims.get(0).material());
        }
        WorldMesh.addAsOnlyMesh(out, "repaired", p);
    }
}
