// The repair tool on a Scene: all placements merged in world space, repaired by the kernel, returned as a new
// one-mesh scene (or the input itself where it already met the guarantee).
package dev.meshforge.core.ops;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.ProgressListener;
import dev.meshforge.core.inspect.MeshReport;
import dev.meshforge.core.kernel.Kernel;
import dev.meshforge.core.kernel.KernelRepairOptions;
import dev.meshforge.core.kernel.KernelRepairResult;
import dev.meshforge.core.ops.internal.AttributeLayout;
import dev.meshforge.core.ops.internal.BaseColorTransfer;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.TriangleMesh;
import dev.meshforge.core.scene.VertexAttribute;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
public final class Repair {
    /** Grid resolution of the volumetric stage: 100, 200 or 320 cells along the longest side. */
    public enum Quality { LOW, DEFAULT, MAX }

    /** What the repair did to reach the guarantee. */
    public enum Stage { UNCHANGED, TOPOLOGICAL, VOLUMETRIC }

    /**
     * @param quality         resolution of the volumetric stage
     * @param targetTriangles simplify a volumetric result toward this many triangles (0 = the input's count)
     * @param keepSmallParts  keep parts smaller than 0.2% of the bounding-box diagonal
     * @param hausdorff       measure the two Hausdorff distances (a sampling pass over both surfaces)
     * @param progress        progress and cancellation
     * @param timeLimit       stop with a limit error after this long (null = no limit)
     */
    public record Options(Quality quality, long targetTriangles, boolean keepSmallParts, boolean hausdorff,
                          ProgressListener progress, Duration timeLimit) {
        public static final Options DEFAULTS = new Options(Quality.DEFAULT, 0, false, true, ProgressListener.NONE,
                null);

        public Options {
            Objects.requireNonNull(quality, "quality");
            Objects.requireNonNull(progress, "progress");
            if (targetTriangles < 0) {
                throw new IllegalArgumentException("targetTriangles must be >= 0");
            }
        }

        public Options withQuality(Quality q) {
            return new Options(q, targetTriangles, keepSmallParts, hausdorff, progress, timeLimit);
        }

        public Options withTargetTriangles(long n) {
            return new Options(quality, n, keepSmallParts, hausdorff, progress, timeLimit);
        }

        public Options withKeepSmallParts(boolean keep) {
            return new Options(quality, targetTriangles, keep, hausdorff, progress, timeLimit);
        }

        public Options withProgress(ProgressListener listener) {
            return new Options(quality, targetTriangles, keepSmallParts, hausdorff, listener, timeLimit);
        }
    }

    /**
     * @param scene          the repaired scene: the input object itself when {@code stage} is UNCHANGED, else a new
     *                       scene the caller closes
     * @param hausdorffOutIn largest sampled distance output to input, as a fraction of the input's bbox diagonal
     * @param hausdorffInOut the same input to output (-1 when not measured)
     * @param hausdorffOutInPatched largest sampled distance output to the input together with the hole patches the
     *                       topological stage added (what the volumetric stage rebuilds from): small where
     *                       {@code hausdorffOutIn} is large only because a hole had to be covered; equal to it where
     *                       no hole was filled (-1 when not measured)
     * @param warnings       what the repair could not carry over (e.g. a base-colour texture it could not decode)
     */
    public record Result(Scene scene, Stage stage, MeshReport before, MeshReport after, long verticesWelded,
                         long facesRemoved, long facesFlipped, long holesFilled, long holeTriangles,
                         long smallPartsRemoved, long partsMerged, int resolution, boolean simplified,
                         double hausdorffOutIn, double hausdorffInOut, double hausdorffOutInPatched,
                         List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stage", stage.name().toLowerCase(java.util.Locale.ROOT));
            m.put("triangles_in", before.triangles());
            m.put("triangles_out", after.triangles());
            m.put("vertices_welded", verticesWelded);
            m.put("faces_removed", facesRemoved);
            m.put("faces_flipped", facesFlipped);
            m.put("holes_filled", holesFilled);
            m.put("hole_triangles", holeTriangles);
            m.put("small_parts_removed", smallPartsRemoved);
            m.put("parts_merged", partsMerged);
            m.put("grid_resolution", resolution);
            m.put("simplified", simplified);
            m.put("hausdorff_out_in", hausdorffOutIn);
            m.put("hausdorff_in_out", hausdorffInOut);
            m.put("hausdorff_out_in_patched", hausdorffOutInPatched);
            m.put("warnings", warnings);
            m.put("before", before.toMap());
            m.put("after", after.toMap());
            return m;
        }
    }

    private static final String COLOR = "COLOR_0";

    private Repair() {
    }

    public static Result run(Scene input, Options options) {
        Objects.requireNonNull(input, "input");
        List<Primitive> prims = new ArrayList<>();
        forEachTrianglePrimitive(input, (p, t) -> prims.add(p));
        if (prims.isEmpty()) {
            throw new BadInputException(null, "it has no triangles to repair (points or lines only, or empty)");
        }
        BaseColorTransfer colors = BaseColorTransfer.of(input, prims);
        AttributeLayout layout = AttributeLayout.of(prims, colors != null);
        int flags = (options.keepSmallParts() ? KernelRepairOptions.KEEP_SMALL_PARTS : 0)
                | (options.hausdorff() ? 0 : KernelRepairOptions.SKIP_HAUSDORFF);
        KernelRepairOptions kernelOptions = new KernelRepairOptions(switch (options.quality()) {
            case DEFAULT -> 0;
            case LOW -> 1;
            case MAX -> 2;
        }, 0, options.targetTriangles(), flags, options.progress(), options.timeLimit());

        Scene out = new Scene();
        boolean keepOut = false;
        try (Arena scratch = Arena.ofConfined()) {
            TriangleMesh mesh = input.worldTriangles(scratch);
            MemorySegment attributes = layout.width() == 0 ? null
                    : gather(input, layout, colors, mesh.vertexCount(), scratch);
            KernelRepairResult r = Kernel.repair(mesh, attributes, layout.width(), kernelOptions, out.arena());
            Stage stage = Stage.values()[r.stage()];
            Scene scene = input;
            List<String> warnings = new ArrayList<>();
            if (stage != Stage.UNCHANGED) {
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
            return new Result(scene, stage, r.before(), r.after(), r.verticesWelded(), r.facesRemoved(),
                    r.facesFlipped(), r.holesFilled(), r.holeTriangles(), r.smallPartsRemoved(), r.partsMerged(),
                    r.resolution(), r.simplified(), r.hausdorffOutIn(), r.hausdorffInOut(), r.hausdorffOutInPatched(),
                    warnings);
        } finally {
            if (!keepOut) {
                out.close();
            }
        }
    }

    public static Result run(Scene input) {
        return run(input, Options.DEFAULTS);
    }

    private interface PrimitiveVisitor {
        void accept(Primitive p, Transform t);
    }

    /** The order of Scene.worldTriangles: placements depth first, their triangle primitives with triangles. */
    private static void forEachTrianglePrimitive(Scene scene, PrimitiveVisitor visitor) {
        scene.forEachPlacedMesh((Mesh mesh, Transform t) -> {
            for (Primitive p : mesh.primitives()) {
                if (p.topology() == Topology.TRIANGLES && p.triangleCount() > 0) {
                    visitor.accept(p, t);
                }
            }
        });
    }

    /**
     * The carried attributes of every vertex in worldTriangles order, as {@code layout} places them, with the
     * base-colour block where {@code colors} is not null.
     */
    private static MemorySegment gather(Scene input, AttributeLayout layout, BaseColorTransfer colors,
                                        long vertices, Arena scratch) {
        int width = layout.width();
        MemorySegment data = scratch.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, vertices * width));
        long[] base = {0};
        forEachTrianglePrimitive(input, (p, t) -> {
            layout.gather(p, data, base[0]);
            if (colors != null) {
                colors.gather(p, data, base[0] * width + layout.surfaceAt(), width);
            }
            base[0] += p.vertexCount();
        });
        return data;
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
            parts.add(subset(out, all, e.getValue()).material(e.getKey()));
        }
        mesh.primitives().clear();
        parts.forEach(mesh::add);
    }

    /** A primitive of the given triangles of {@code all}, over a compact copy of the vertices they use. */
    private static Primitive subset(Scene out, Primitive all, List<Integer> triangles) {
        Map<Integer, Integer> remap = new LinkedHashMap<>();
        MemorySegment idx = out.allocateInts(Math.max(1, 3L * triangles.size()));
        long i = 0;
        for (int t : triangles) {
            for (int k = 0; k < 3; k++) {
                int v = all.index(3L * t + k);
                Integer to = remap.get(v);
                if (to == null) {
                    to = remap.size();
                    remap.put(v, to);
                }
                idx.setAtIndex(ValueLayout.JAVA_INT, i++, to);
            }
        }
        Primitive p = null;
        for (VertexAttribute a : all.attributes().values()) {
            MemorySegment seg = out.allocateFloats(Math.max(1, (long) remap.size() * a.components()));
            for (Map.Entry<Integer, Integer> e : remap.entrySet()) {
                MemorySegment.copy(a.data(), (long) e.getKey() * a.components() * Float.BYTES, seg,
                        (long) e.getValue() * a.components() * Float.BYTES, (long) a.components() * Float.BYTES);
            }
            VertexAttribute copy = new VertexAttribute(a.name(), a.components(), remap.size(), seg);
            if (p == null) {
                p = new Primitive(Topology.TRIANGLES, copy, idx, 3L * triangles.size());
            } else {
                p.put(copy);
            }
        }
        return p;
    }

    /**
     * The output's one primitive: every carried attribute after the topological stage; after the volumetric one
     * COLOR_0 only, where the materials do not colour the surface instead.
     */
    private static void build(Scene out, Scene input, List<Primitive> prims, KernelRepairResult r,
                              AttributeLayout layout, Stage stage, boolean colorsFromMaterials) {
        out.units(input.units());
        long n = r.vertexCount();
        Primitive p = new Primitive(Topology.TRIANGLES, new VertexAttribute(VertexAttribute.POSITION, 3, n,
                r.positions()), r.indices(), 3 * r.triangleCount());
        for (AttributeLayout.Slot s : layout.slots()) {
            if (stage == Stage.TOPOLOGICAL || s.name().equals(COLOR) && !colorsFromMaterials) {
                p.put(layout.unpack(s, r.attributes(), n, out));
            }
        }
        if (stage == Stage.TOPOLOGICAL) {
            out.materials().addAll(input.materials());
            out.textures().addAll(input.textures());
            p.material(prims.get(0).material());
        }
        out.addRoot(new Node("repaired").mesh(new Mesh("repaired").add(p)));
    }
}
