// The simplify tool: every mesh of a scene decimated by the kernel's quadric edge collapse with attributes,
// keeping the scene's nodes, materials, skins, animations and every vertex attribute.
package dev.meshforge.core.ops;

import dev.meshforge.core.KernelException;
import dev.meshforge.core.io.internal.DistinctVertices;
import dev.meshforge.core.kernel.Kernel;
import dev.meshforge.core.kernel.KernelMesh;
import dev.meshforge.core.kernel.KernelSimplifyOptions;
import dev.meshforge.core.kernel.KernelSimplifyResult;
import dev.meshforge.core.ops.internal.AttributeLayout;
import dev.meshforge.core.ops.internal.SceneCopy;
import dev.meshforge.core.ops.internal.WorldMesh;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.TriangleMesh;
import dev.meshforge.core.scene.VertexAttribute;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Simplifies every triangle mesh of a scene toward a target (a share of the triangles, a triangle count, or an
 * error bound) by the kernel's quadric edge collapse ({@code mf_simplify}). The primitives of one mesh are
 * simplified together, so that a material boundary is a seam both sides keep; a UV or other attribute seam is kept
 * the same way (a seam vertex moves only along its seam). Collapses keep one endpoint, so every kept vertex keeps
 * all its data unchanged: positions (float64 too), normals, tangents, every UV and colour set, joints and weights,
 * morph targets, application attributes. Normals, UV sets and colours also weigh in the collapse cost. Nodes,
 * materials, textures, skins and animations are the input's; a mesh placed several times is simplified once.
 * Points and lines pass through unchanged. The output shares the input's data and must be closed before it.
 */
public final class Simplify implements Tool<Simplify.Options, Simplify.Report> {
    /** Why simplification stopped: the target was reached, the error bound was, or no valid collapse was left. */
    public enum Stop { TARGET, ERROR, TOPOLOGY }

    /** Weights of the attributes by name or family ({@code TEXCOORD} and {@code COLOR} stand for every set). */
    public static final Map<String, Double> DEFAULT_WEIGHTS = Map.of(VertexAttribute.NORMAL, 0.5, "TEXCOORD", 1.0,
            "COLOR", 1.0);

    /**
     * Give at least one target; where several are given the first reached ends the run.
     *
     * @param ratio               the share of the triangles to keep, in (0, 1]; 0 = none
     * @param triangles           the triangle count to reach over the whole scene (placements counted as
     *                            {@link Scene#triangleCount()} does), distributed in proportion; 0 = none
     * @param error               no collapse beyond this distance: a fraction of the scene's extent (the largest
     *                            side of its bounding box), or scene units where {@code absoluteError}; 0 = none
     * @param absoluteError       {@code error} is in the scene's units
     * @param weights             attribute weights by name ({@code NORMAL}, {@code TEXCOORD_1}) or family
     *                            ({@code TEXCOORD}, {@code COLOR}); a name absent from both weighs 0 (it is kept, not
     *                            weighed). Finite, 0 or more.
     * @param lockBorder          vertices on open edges never move
     * @param keepSeams           attribute and material seams kept (false welds each position to its first vertex
     *                            before simplifying: further targets, seams' attributes taken from one side)
     * @param noSelfIntersections no collapse makes a face cross another (slower)
     */
    public record Options(double ratio, long triangles, double error, boolean absoluteError,
                          Map<String, Double> weights, boolean lockBorder, boolean keepSeams,
                          boolean noSelfIntersections) {
        public Options {
            weights = Map.copyOf(Objects.requireNonNull(weights, "weights"));
            if (!(ratio >= 0 && ratio <= 1)) {
                throw new IllegalArgumentException("the ratio must be in (0, 1], not " + ratio);
            }
            if (triangles < 0) {
                throw new IllegalArgumentException("the triangle target must be at least 1, not " + triangles);
            }
            if (!(error >= 0) || Double.isInfinite(error)) {
                throw new IllegalArgumentException("the error must be a finite distance of 0 or more, not " + error);
            }
            if (ratio == 0 && triangles == 0 && error == 0) {
                throw new IllegalArgumentException("simplify needs a target above 0: a ratio, a triangle count or "
                        + "an error");
            }
            for (Map.Entry<String, Double> w : weights.entrySet()) {
                if (w.getValue() == null || !(w.getValue() >= 0) || Double.isInfinite(w.getValue())) {
                    throw new IllegalArgumentException("the weight of " + w.getKey() + " must be a finite number of "
                            + "0 or more, not " + w.getValue());
                }
            }
        }

        /** Keep this share of the triangles, in (0, 1]. */
        public static Options ratio(double ratio) {
            if (!(ratio > 0)) {
                throw new IllegalArgumentException("the ratio must be in (0, 1], not " + ratio);
            }
            return new Options(ratio, 0, 0, false, DEFAULT_WEIGHTS, false, true, false);
        }

        /** Simplify to this many triangles (at least 1). */
        public static Options triangles(long triangles) {
            if (triangles < 1) {
                throw new IllegalArgumentException("the triangle target must be at least 1, not " + triangles);
            }
            return new Options(0, triangles, 0, false, DEFAULT_WEIGHTS, false, true, false);
        }

        /** Simplify as far as an error of this fraction of the scene's extent allows (0.005 = 0.5 %). */
        public static Options error(double fraction) {
            if (!(fraction > 0)) {
                throw new IllegalArgumentException("the error must be a positive fraction, not " + fraction);
            }
            return new Options(0, 0, fraction, false, DEFAULT_WEIGHTS, false, true, false);
        }

        /** Simplify as far as an error of this distance in the scene's units allows. */
        public static Options absoluteError(double distance) {
            if (!(distance > 0)) {
                throw new IllegalArgumentException("the error must be a positive distance, not " + distance);
            }
            return new Options(0, 0, distance, true, DEFAULT_WEIGHTS, false, true, false);
        }

        /** Also stop at this error (a fraction of the extent): the first bound reached ends the run. */
        public Options withError(double fraction) {
            return new Options(ratio, triangles, fraction, false, weights, lockBorder, keepSeams,
                    noSelfIntersections);
        }

        public Options withWeights(Map<String, Double> w) {
            return new Options(ratio, triangles, error, absoluteError, w, lockBorder, keepSeams, noSelfIntersections);
        }

        public Options withLockBorder(boolean lock) {
            return new Options(ratio, triangles, error, absoluteError, weights, lock, keepSeams, noSelfIntersections);
        }

        public Options withKeepSeams(boolean keep) {
            return new Options(ratio, triangles, error, absoluteError, weights, lockBorder, keep, noSelfIntersections);
        }

        public Options withNoSelfIntersections(boolean none) {
            return new Options(ratio, triangles, error, absoluteError, weights, lockBorder, keepSeams, none);
        }

        /** The weight of an attribute: its own name's, else its family's, else 0. */
        double weight(String name) {
            Double w = weights.get(name);
            if (w == null && name.indexOf('_') > 0) {
                w = weights.get(name.substring(0, name.indexOf('_')));
            }
            return w == null ? 0 : w;
        }
    }

    /**
     * One simplified mesh.
     *
     * @param name            the mesh's name
     * @param trianglesBefore its triangles (once, however often it is placed)
     * @param trianglesAfter  what it kept
     * @param target          the count aimed at (0 where only the error bounded it)
     * @param error           the largest geometric error of a collapse, in scene units (at the mesh's largest
     *                        placement scale)
     * @param stop            why it stopped
     */
    public record MeshResult(String name, long trianglesBefore, long trianglesAfter, long target, double error,
                             Stop stop) {
    }

    /**
     * What simplification did; the keys of {@code meshforge simplify --json} are these names in snake_case.
     *
     * @param trianglesBefore the input's triangles over all placements
     * @param trianglesAfter  the output's
     * @param targetTriangles the count aimed at over all placements (0 where only the error bounded it)
     * @param error           the largest geometric error a collapse reached, in scene units (world scale)
     * @param relativeError   {@code error} as a fraction of the scene's extent
     * @param stop            TARGET when every mesh reached its target, else the reason of the first that did not
     * @param meshes          each simplified mesh
     */
    public record Report(long trianglesBefore, long trianglesAfter, long targetTriangles, double error,
                         double relativeError, Stop stop, List<MeshResult> meshes)
            implements dev.meshforge.core.Report {
        @Override
        public List<String> toText() {
            List<String> lines = new ArrayList<>();
            lines.add(String.format(Locale.ROOT, "triangles: %d in, %d out%s", trianglesBefore, trianglesAfter,
                    targetTriangles > 0 ? " (target " + targetTriangles + ")" : ""));
            lines.add(String.format(Locale.ROOT, "error: %.4g (%.3g%% of the extent)", error, 100 * relativeError));
            lines.add("stopped: " + switch (stop) {
                case TARGET -> "the target was reached";
                case ERROR -> "the error bound was reached before the triangle target";
                case TOPOLOGY -> "no collapse was left that keeps the surface valid (borders or seams locked, "
                        + "non-manifold points, or a fold)";
            });
            for (MeshResult m : meshes) {
                if (m.stop != Stop.TARGET && m.target > 0) {
                    lines.add(String.format(Locale.ROOT, "  mesh '%s': %d of %d triangles kept, target %d (%s)",
                            m.name, m.trianglesAfter, m.trianglesBefore, m.target,
                            m.stop.name().toLowerCase(Locale.ROOT)));
                }
            }
            return lines;
        }
    }

    public static final Simplify TOOL = new Simplify();

    private Simplify() {
    }

    @Override
    public String name() {
        return "simplify";
    }

    public static ToolResult<Report> run(Scene input, Options options) {
        return TOOL.run(input, options, RunControl.DEFAULTS);
    }

    @Override
    public ToolResult<Report> run(Scene input, Options options, RunControl control) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(options, "options");
        StageClock clock = new StageClock(name(), control);
        WorldMesh.withTriangles(input, "simplify");
        long before = input.triangleCount();
        double[][] box = WorldMesh.bounds(input);
        double extent = Math.max(box[1][0] - box[0][0], Math.max(box[1][1] - box[0][1], box[1][2] - box[0][2]));
        double absolute = options.error() == 0 ? 0 : options.absoluteError() ? options.error()
                : options.error() * extent;
        double ratio = options.triangles() > 0 ? Math.min(1, (double) options.triangles() / before) : options.ratio();
        List<String> warnings = new ArrayList<>();
        if (options.error() == 0 && ratio >= 1) {
            warnings.add("the target of " + (options.triangles() > 0 ? options.triangles() + " triangles"
                    : "all the triangles") + " is not below the input's " + before + ": nothing was simplified");
            Report report = new Report(before, before, before, 0, 0, Stop.TARGET, List.of());
            return new ToolResult<>(input, false, List.of(), report, warnings, clock.finish());
        }

        // Each mesh once, with the largest scale it is placed at (an error bound in scene units holds at each).
        Map<Mesh, Double> scales = new IdentityHashMap<>();
        input.forEachPlacedMesh((mesh, t) -> scales.merge(mesh, largestScale(t), Math::max));
        Scene out = new Scene();
        boolean keepOut = false;
        try {
            List<MeshResult> results = new ArrayList<>();
            long[] done = {0};
            long triangleTotal = scales.keySet().stream().mapToLong(Mesh::triangleCount).sum();
            SceneCopy.withMeshes(input, out, mesh -> {
                double scale = scales.getOrDefault(mesh, 1.0);
                long n = mesh.triangleCount();
                if (n == 0) {
                    return mesh;
                }
                double from = 0.02 + 0.93 * done[0] / Math.max(1, triangleTotal);
                done[0] += n;
                double to = 0.02 + 0.93 * done[0] / Math.max(1, triangleTotal);
                clock.checkpoint(from, "simplify");
                KernelSimplifyOptions kernel = new KernelSimplifyOptions(0, ratio >= 1 ? 0 : ratio,
                        absolute > 0 ? absolute / (scale > 0 ? scale : 1) : 0, true, options.lockBorder(),
                        options.noSelfIntersections(), null, clock.span(from, to), clock.remaining(),
                        clock.maxMemoryBytes());
                return simplifyMesh(mesh, scale, kernel, options, out, results, warnings);
            });
            clock.checkpoint(0.97, "rebuild");
            long after = out.triangleCount();
            long target = options.triangles() > 0 ? options.triangles()
                    : ratio > 0 && ratio < 1 ? Math.round(ratio * before) : 0;
            double worst = 0;
            Stop stop = Stop.TARGET;
            for (MeshResult m : results) {
                worst = Math.max(worst, m.error());
                if (stop == Stop.TARGET && m.stop() != Stop.TARGET) {
                    stop = m.stop();
                }
            }
            Report report = new Report(before, after, target, worst, extent > 0 ? worst / extent : 0, stop,
                    List.copyOf(results));
            warnings.forEach(out::warn);
            keepOut = true;
            return new ToolResult<>(out, true, List.of(), report, warnings, clock.finish());
        } finally {
            if (!keepOut) {
                out.close();
            }
        }
    }

    /** The largest factor by which {@code t} stretches a length (its 3x3 part's largest column). */
    private static double largestScale(Transform t) {
        double s = 0;
        for (int c = 0; c < 3; c++) {
            s = Math.max(s, Math.sqrt(t.get(0, c) * t.get(0, c) + t.get(1, c) * t.get(1, c) + t.get(2, c) * t.get(2, c)));
        }
        return s;
    }

    /**
     * The mesh with its triangle primitives simplified together in its own coordinates: one kernel mesh over all
     * their vertices (positions, the weighed attributes), the result split back by primitive.
     */
    private static Mesh simplifyMesh(Mesh mesh, double scale, KernelSimplifyOptions kernel, Options options, Scene out,
                                     List<MeshResult> results, List<String> warnings) {
        List<Primitive> sources = mesh.primitives().stream()
                .filter(p -> p.topology() == Topology.TRIANGLES && p.triangleCount() > 0).toList();
        try (Arena scratch = Arena.ofConfined()) {
            // Vertices equal in every value are one wedge (else a needless seam would pin them); primitives with
            // float64 positions keep theirs as they are.
            List<Primitive> triangles = sources.stream()
                    .map(p -> p.positions64() == null ? DistinctVertices.of(p, scratch).material(p.material()) : p)
                    .toList();
            return simplifyPrimitives(mesh, sources, triangles, scale, kernel, options, out, results, warnings,
                    scratch);
        }
    }

    private static Mesh simplifyPrimitives(Mesh mesh, List<Primitive> sources, List<Primitive> triangles,
                                           double scale, KernelSimplifyOptions kernel, Options options, Scene out,
                                           List<MeshResult> results, List<String> warnings, Arena scratch) {
        AttributeLayout layout = AttributeLayout.of(triangles, false);
        if (!layout.dropped().isEmpty()) {
            warnings.add("mesh '" + mesh.name() + "': " + String.join(", ", layout.dropped()) + " kept but not weighed "
                    + "in the simplification (more attribute floats than the kernel weighs)");
        }
        float[] weights = new float[layout.width()];
        for (AttributeLayout.Slot s : layout.slots()) {
            java.util.Arrays.fill(weights, s.offset(), s.offset() + s.components(), (float) options.weight(s.name()));
        }
        long vertices = 0;
        long indexCount = 0;
        long[] firstVertex = new long[triangles.size()];
        for (int i = 0; i < triangles.size(); i++) {
            firstVertex[i] = vertices;
            vertices += triangles.get(i).vertexCount();
            indexCount += 3 * triangles.get(i).triangleCount();
        }
        long before = indexCount / 3;
        MemorySegment positions = scratch.allocate(ValueLayout.JAVA_DOUBLE, Math.max(1, 3 * vertices));
        MemorySegment indices = scratch.allocate(ValueLayout.JAVA_INT, Math.max(1, indexCount));
        MemorySegment attributes = layout.width() == 0 ? null
                : scratch.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, vertices * layout.width()));
        double[] xyz = new double[3];
        long at = 0;
        for (int i = 0; i < triangles.size(); i++) {
            Primitive p = triangles.get(i);
            // Without seams each position is welded to its first vertex within the primitive (a material boundary
            // stays a seam: a face belongs to one primitive).
            Map<List<Double>, Integer> firstAt = options.keepSeams() ? null : new HashMap<>();
            int[] weld = new int[(int) p.vertexCount()];
            for (long v = 0; v < p.vertexCount(); v++) {
                p.position(v, xyz);
                long g = firstVertex[i] + v;
                MemorySegment.copy(xyz, 0, positions, ValueLayout.JAVA_DOUBLE, 24 * g, 3);
                weld[(int) v] = (int) g;
                if (firstAt != null) {
                    weld[(int) v] = firstAt.computeIfAbsent(List.of(xyz[0] + 0.0, xyz[1] + 0.0, xyz[2] + 0.0),
                            k -> (int) g);
                }
            }
            if (attributes != null) {
                layout.gather(p, attributes, firstVertex[i]);
            }
            for (long k = 0; k < p.indexCount(); k++) {
                indices.setAtIndex(ValueLayout.JAVA_INT, at++, weld[p.index(k)]);
            }
        }
        TriangleMesh input = new TriangleMesh(positions, vertices, indices, before, true);
        KernelSimplifyResult r = Kernel.simplify(new KernelMesh(input, attributes, layout.width(), 0),
                new KernelSimplifyOptions(kernel.targetTriangles(), kernel.targetRatio(), kernel.targetError(),
                        kernel.absoluteError(), kernel.lockBorder(), kernel.noIntersections(), weights,
                        kernel.progress(), kernel.timeLimit(), kernel.maxMemoryBytes()), scratch);
        results.add(new MeshResult(mesh.name(), before, r.triangleCount(), r.targetTriangles(), r.error() * scale,
                switch (r.stop()) {
                    case KernelSimplifyResult.REACHED_TARGET -> Stop.TARGET;
                    case KernelSimplifyResult.ERROR_BOUND -> Stop.ERROR;
                    default -> Stop.TOPOLOGY;
                }));
        return rebuild(mesh, sources, triangles, firstVertex, r, out);
    }

    /** A copy of {@code mesh} whose triangle primitives hold the kernel's kept faces, each over its own vertices. */
    private static Mesh rebuild(Mesh mesh, List<Primitive> sources, List<Primitive> triangles, long[] firstVertex,
                                KernelSimplifyResult r, Scene out) {
        List<List<Integer>> faces = new ArrayList<>();
        triangles.forEach(p -> faces.add(new ArrayList<>()));
        for (long f = 0; f < r.triangleCount(); f++) {
            int[] c = new int[3];
            for (int k = 0; k < 3; k++) {
                c[k] = r.indices().getAtIndex(ValueLayout.JAVA_INT, 3 * f + k);
            }
            int owner = ownerOf(firstVertex, c[0]);
            if (ownerOf(firstVertex, c[1]) != owner || ownerOf(firstVertex, c[2]) != owner) {
                throw new KernelException(-1, "mf_simplify returned a face across two primitives of mesh '"
                        + mesh.name() + "'");
            }
            faces.get(owner).add(c[0]);
            faces.get(owner).add(c[1]);
            faces.get(owner).add(c[2]);
        }
        Mesh copy = new Mesh(mesh.name()).weights(mesh.weights());
        for (Primitive p : mesh.primitives()) {
            int i = sources.indexOf(p);
            if (i < 0) {
                copy.add(p);
            } else if (!faces.get(i).isEmpty()) {
                copy.add(compact(triangles.get(i), faces.get(i), firstVertex[i], out));
            }
        }
        return copy;
    }

    private static int ownerOf(long[] firstVertex, int v) {
        int i = 0;
        while (i + 1 < firstVertex.length && firstVertex[i + 1] <= v) {
            i++;
        }
        return i;
    }

    /** {@code p} over the faces {@code corners} (mesh-wide ids from {@code first}), its used vertices compacted. */
    private static Primitive compact(Primitive p, List<Integer> corners, long first, Scene out) {
        Map<Integer, Integer> remap = new LinkedHashMap<>();
        MemorySegment idx = out.allocateInts(corners.size());
        for (int k = 0; k < corners.size(); k++) {
            int v = (int) (corners.get(k) - first);
            Integer to = remap.putIfAbsent(v, remap.size());
            idx.setAtIndex(ValueLayout.JAVA_INT, k, to == null ? remap.size() - 1 : to);
        }
        int[] used = remap.keySet().stream().mapToInt(Integer::intValue).toArray();
        Primitive q = new Primitive(Topology.TRIANGLES, pick(p.positions(), used, out), idx, corners.size());
        for (VertexAttribute a : p.attributes().values()) {
            if (!a.name().equals(VertexAttribute.POSITION)) {
                q.put(pick(a, used, out));
            }
        }
        for (Map<String, VertexAttribute> target : p.targets()) {
            Map<String, VertexAttribute> t = new LinkedHashMap<>();
            target.forEach((name, a) -> t.put(name, pick(a, used, out)));
            q.addTarget(t);
        }
        MemorySegment exact = p.positions64();
        if (exact != null) {
            MemorySegment e = out.arena().allocate(ValueLayout.JAVA_DOUBLE, Math.max(1, 3L * used.length));
            for (int i = 0; i < used.length; i++) {
                MemorySegment.copy(exact, 24L * used[i], e, 24L * i, 24);
            }
            q.positions64(e);
        }
        return q.material(p.material());
    }

    /** The records {@code used} of {@code a}, in that order, in {@code out}'s arena. */
    private static VertexAttribute pick(VertexAttribute a, int[] used, Scene out) {
        long bytes = a.data().byteSize() / Math.max(1, a.count());
        MemorySegment seg = out.arena().allocate(Math.max(1, bytes * used.length), 8);
        for (int i = 0; i < used.length; i++) {
            MemorySegment.copy(a.data(), used[i] * bytes, seg, i * bytes, bytes);
        }
        return new VertexAttribute(a.name(), a.components(), used.length, seg);
    }
}
