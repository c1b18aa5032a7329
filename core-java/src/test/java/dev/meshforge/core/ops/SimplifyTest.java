// The simplify tool on corpus models: targets reached, the surface kept close (sampled Hausdorff), closed solids
// kept closed, UV islands kept apart, no face turned against the input's surface, every attribute, skin and morph
// target kept, and bad input refused in one sentence.
package dev.meshforge.core.ops;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.CancelledException;
import dev.meshforge.core.ProgressListener;
import dev.meshforge.core.inspect.MeshReport;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.internal.DistinctVertices;
import dev.meshforge.core.kernel.Kernel;
import dev.meshforge.core.kernel.KernelMesh;
import dev.meshforge.core.kernel.KernelSimplifyOptions;
import dev.meshforge.core.kernel.KernelSimplifyResult;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Skin;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.TriangleMesh;
import dev.meshforge.core.scene.VertexAttribute;
import dev.meshforge.core.testing.Corpus;
import dev.meshforge.core.testing.TriangleDistance;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimplifyTest {
    private static Path corpus(String file) {
        return Corpus.root().resolve(file);
    }

    /** The sampled Hausdorff distance both ways between two scenes' world triangles, over the input's diagonal. */
    private static double hausdorff(Scene a, Scene b) {
        try (Arena arena = Arena.ofConfined()) {
            double[] h = Kernel.hausdorff(a.worldTriangles(arena), b.worldTriangles(arena), 50_000);
            return Math.max(h[0], h[1]) / h[2];
        }
    }

    @Test
    void helmetToThirtyPercentKeepsItsShapeItsAttributesAndItsUvIslands() {
        try (Scene in = Formats.read(corpus("glb/DamagedHelmet.glb"));
             ToolResult<Simplify.Report> r = Simplify.run(in, Simplify.Options.ratio(0.3))) {
            Simplify.Report report = r.report();
            long before = in.triangleCount();
            assertEquals(before, report.trianglesBefore());
            assertEquals(Math.round(before * 0.3), report.targetTriangles());
            assertEquals(Simplify.Stop.TARGET, report.stop(), report.toText().toString());
            assertTrue(report.trianglesAfter() <= report.targetTriangles()
                    && report.trianglesAfter() >= report.targetTriangles() - 5, report.toText().toString());
            assertEquals(report.trianglesAfter(), r.scene().triangleCount());
            // meshoptimizer's meshopt_simplify measures 0.078 of the diagonal on these positions at the same ratio.
            double h = hausdorff(in, r.scene());
            assertTrue(h < 0.078, "Hausdorff " + h + " of the diagonal");
            // The reported error is the worst collapse's quadric distance (normals and UVs weigh in the order).
            assertTrue(report.relativeError() > 0 && report.relativeError() < 0.5, "error " + report.relativeError());
            Primitive p = in.roots().isEmpty() ? null : firstPrimitive(in);
            Primitive q = firstPrimitive(r.scene());
            assertEquals(p.attributes().keySet(), q.attributes().keySet());
            assertEquals(p.material(), q.material());
            // Islands of the input counted once its vertices equal in every value are merged, as the tool merges them.
            try (Arena arena = Arena.ofConfined()) {
                assertEquals(islands(DistinctVertices.of(p, arena)), islands(q),
                        "UV islands (pieces joined by shared vertices)");
            }
            // Every kept vertex keeps its data: each output vertex's (position, UV, normal) is an input vertex's.
            Set<List<Float>> inputVertices = new HashSet<>();
            for (long v = 0; v < p.vertexCount(); v++) {
                inputVertices.add(record(p, v));
            }
            for (long v = 0; v < q.vertexCount(); v++) {
                assertTrue(inputVertices.contains(record(q, v)), "output vertex " + v + " is no input vertex");
            }
        }
    }

    /**
     * Positions alone, the kernel driven part way down: the early collapses keep the shape about as close as
     * meshoptimizer's meshopt_simplify does at the same count (its sampled Hausdorff distance on these positions:
     * DamagedHelmet at 12,000 triangles 0.0022 of the diagonal, retroufo at 10,000 0.0018). With area-weighted
     * face planes the kernel measured 0.0048 and 0.0025.
     */
    @Test
    void earlyCollapsesKeepTheShapeAsCloseAsMeshoptimizer() {
        assertEquals(List.of(0.0025, 0.0021), List.of(positionsAloneTo("glb/DamagedHelmet.glb", 12_000, 0.0025),
                positionsAloneTo("glb/retroufo.glb", 10_000, 0.0021)));
    }

    /** The kernel's simplification of a file's world positions to {@code target} triangles: bound where its
     *  sampled Hausdorff distance is under {@code bound}, else the distance. */
    private static double positionsAloneTo(String file, long target, double bound) {
        try (Scene in = Formats.read(corpus(file)); Arena arena = Arena.ofConfined()) {
            TriangleMesh t = in.worldTriangles(arena);
            KernelSimplifyResult r = Kernel.simplify(KernelMesh.of(t), KernelSimplifyOptions.triangles(target), arena);
            assertEquals(target, r.triangleCount(), 1.0, file);
            double[] h = Kernel.hausdorff(t, new TriangleMesh(t.positions(), t.vertexCount(), r.indices(),
                    r.triangleCount(), t.float64()), 50_000);
            double d = Math.max(h[0], h[1]) / h[2];
            return d < bound ? bound : d;
        }
    }

    @Test
    void aClosedSolidStaysClosedAndClearOfItself() {
        try (Scene in = Formats.read(corpus("glb/ai_hunyuan3d21_shape.glb"));
             ToolResult<Simplify.Report> r = Simplify.run(in, Simplify.Options.triangles(4000)
                     .withNoSelfIntersections(true))) {
            MeshReport before = Inspect.report(in);
            assertTrue(before.watertight() && before.intersectingPairs() == 0, "the fixture is a clean solid");
            MeshReport after = Inspect.report(r.scene());
            assertTrue(after.watertight(), "watertight");
            assertEquals(0, after.nonManifoldEdges());
            assertEquals(0, after.intersectingPairs());
            assertEquals(before.components(), after.components());
            assertTrue(r.report().trianglesAfter() <= 4000 && r.report().trianglesAfter() >= 3990,
                    r.report().toText().toString());
            assertTrue(hausdorff(in, r.scene()) < 0.02);
            assertEquals(before.volume(), after.volume(), 0.02 * Math.abs(before.volume()));
        }
    }

    /**
     * Faces whose centroid lies nearest an input face that looks the other way: a fold-over, or a face of a thin part
     * that came to lie nearer its other side. The kernel turns no face 90 degrees from its own input normal; near the
     * Duck's thin parts a handful of faces still end up closer to the opposite sheet, one to four thousandths
     * of the extent away. meshoptimizer on the same world positions at the same ratio leaves 123 such faces of 1,053
     * (meshopt_simplify) and 118 of 1,052 (meshopt_simplifyWithAttributes, normals at weight 0.5).
     */
    @Test
    void noFaceTurnsAgainstTheInputSurfaceAtItsClosestPoint() {
        try (Scene in = Formats.read(corpus("glb/Duck.glb"));
             ToolResult<Simplify.Report> r = Simplify.run(in, Simplify.Options.ratio(0.25));
             Arena arena = Arena.ofConfined()) {
            TriangleMesh a = in.worldTriangles(arena);
            TriangleMesh b = r.scene().worldTriangles(arena);
            int against = 0;
            for (long f = 0; f < b.triangleCount(); f++) {
                double[][] t = corners(b, f);
                double[] n = normal(t);
                double[] c = {(t[0][0] + t[1][0] + t[2][0]) / 3, (t[0][1] + t[1][1] + t[2][1]) / 3,
                        (t[0][2] + t[1][2] + t[2][2]) / 3};
                double best = Double.POSITIVE_INFINITY;
                double[] bestNormal = null;
                for (long g = 0; g < a.triangleCount(); g++) {
                    double[][] s = corners(a, g);
                    double d = TriangleDistance.squared(c, s);
                    double[] m = normal(s);
                    if (d < best && (m[0] != 0 || m[1] != 0 || m[2] != 0)) {
                        best = d;
                        bestNormal = m;
                    }
                }
                if (n[0] * bestNormal[0] + n[1] * bestNormal[1] + n[2] * bestNormal[2] <= 0) {
                    against++;
                }
            }
            assertTrue(against <= b.triangleCount() / 100, against + " of " + b.triangleCount()
                    + " output faces turned 90 degrees or more from the input at their closest point");
        }
    }

    @Test
    void skinsAndMorphTargetsAreKept() {
        try (Scene in = Formats.read(corpus("glb/Fox.glb"));
             ToolResult<Simplify.Report> r = Simplify.run(in, Simplify.Options.ratio(0.5))) {
            Primitive q = firstPrimitive(r.scene());
            assertTrue(q.attributes().containsKey("JOINTS_0") && q.attributes().containsKey("WEIGHTS_0"));
            Skin skin = r.scene().skins().getFirst();
            Set<Node> inNodes = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            in.forEachPlacedNode((n, t) -> inNodes.add(n));
            // Joints and animated nodes are the output's own copies, never the input's placed nodes.
            assertTrue(skin.joints().stream().noneMatch(inNodes::contains), "joints are the output's own nodes");
            assertEquals(in.animations().size(), r.scene().animations().size());
            assertTrue(r.scene().animations().getFirst().channels().stream()
                    .noneMatch(c -> inNodes.contains(c.target())));
            assertTrue(r.report().trianglesAfter() < in.triangleCount());
        }
        try (Scene in = Formats.read(corpus("gltf/MorphStressTest.gltf"));
             ToolResult<Simplify.Report> r = Simplify.run(in, Simplify.Options.ratio(0.25))) {
            Primitive p = firstPrimitive(in);
            Primitive q = firstPrimitive(r.scene());
            assertEquals(p.targets().size(), q.targets().size());
            assertTrue(r.report().trianglesAfter() < in.triangleCount(), r.report().toText().toString());
            for (Map<String, VertexAttribute> target : q.targets()) {
                target.values().forEach(a -> assertEquals(q.vertexCount(), a.count()));
            }
        }
    }

    @Test
    void aTargetAtOrAboveTheInputLeavesItAsItIs() {
        try (Scene in = Formats.read(corpus("glb/Duck.glb"));
             ToolResult<Simplify.Report> r = Simplify.run(in, Simplify.Options.triangles(in.triangleCount() + 1))) {
            assertSame(in, r.scene());
            assertEquals(in.triangleCount(), r.report().trianglesAfter());
            assertTrue(r.warnings().getFirst().contains("nothing was simplified"), r.warnings().toString());
        }
    }

    @Test
    void pointsLinesAndEmptyScenesAreRefusedInOneSentence() {
        for (Topology topology : new Topology[] {Topology.POINTS, Topology.LINES}) {
            try (Scene s = new Scene()) {
                MemorySegment xyz = s.allocateFloats(6);
                xyz.setAtIndex(ValueLayout.JAVA_FLOAT, 3, 1f);
                MemorySegment idx = s.allocateInts(2);
                idx.setAtIndex(ValueLayout.JAVA_INT, 1, 1);
                s.addRoot(new Node("n").mesh(new Mesh("m").add(new Primitive(topology,
                        new VertexAttribute(VertexAttribute.POSITION, 3, 2, xyz), idx, 2))));
                BadInputException e = assertThrows(BadInputException.class,
                        () -> Simplify.run(s, Simplify.Options.ratio(0.5)));
                assertTrue(e.getMessage().contains("no triangles to simplify"), e.getMessage());
            }
        }
        try (Scene empty = new Scene()) {
            assertThrows(BadInputException.class, () -> Simplify.run(empty, Simplify.Options.ratio(0.5)));
        }
    }

    @Test
    void zeroTargetsAndNanWeightsAreRefusedNamingTheField() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> Simplify.Options.triangles(0));
        assertTrue(zero.getMessage().contains("triangle target must be at least 1"), zero.getMessage());
        IllegalArgumentException ratio = assertThrows(IllegalArgumentException.class,
                () -> Simplify.Options.ratio(0));
        assertTrue(ratio.getMessage().contains("ratio"), ratio.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Simplify.Options.ratio(0.5).withWeights(Map.of("TEXCOORD_1", Double.NaN)));
        assertTrue(nan.getMessage().contains("weight of TEXCOORD_1"), nan.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new Simplify.Options(0, 0, 0, false, Simplify.DEFAULT_WEIGHTS, false, true, false));
        assertTrue(none.getMessage().contains("needs a target"), none.getMessage());
    }

    /**
     * 77 meshes of many UV islands, asked for 10 %: each stops on its topology. Where the ends of seams (points of
     * one value that seam edges reach) were held in place the whole stopped at 5,875 triangles; moving them as
     * manifold points it gets to 5,023, and no island is split or lost on the way. Faces with two corners at one
     * position, which the kernel drops on input, are not counted in the input's islands.
     */
    @Test
    void retroufoGoesPastTheEndsOfItsSeamsAndKeepsEveryUvIsland() {
        try (Scene in = Formats.read(corpus("glb/retroufo.glb"));
             ToolResult<Simplify.Report> r = Simplify.run(in, Simplify.Options.ratio(0.1));
             Arena arena = Arena.ofConfined()) {
            List<Primitive> a = trianglePrimitives(in);
            List<Primitive> b = trianglePrimitives(r.scene());
            assertEquals(a.size(), b.size());
            int before = 0;
            int after = 0;
            for (int i = 0; i < a.size(); i++) {
                before += islands(DistinctVertices.of(a.get(i), arena), true);
                after += islands(b.get(i), false);
            }
            assertEquals(before, after, "UV islands over all meshes (pieces joined by shared vertices)");
            assertTrue(r.report().trianglesAfter() < 5_500, r.report().toText().toString());
        }
    }

    /** Each mesh's triangle primitives once, in the order they are first placed. */
    private static List<Primitive> trianglePrimitives(Scene scene) {
        Set<Object> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<Primitive> all = new ArrayList<>();
        scene.forEachPlacedMesh((m, t) -> {
            if (seen.add(m)) {
                m.primitives().stream().filter(p -> p.topology() == Topology.TRIANGLES).forEach(all::add);
            }
        });
        return all;
    }

    @Test
    void kernelSimplifyTellsItsListenerOnTheCallingThreadAndStopsWhenItCancels() {
        try (Scene in = Formats.read(corpus("glb/DamagedHelmet.glb")); Arena arena = Arena.ofConfined()) {
            TriangleMesh t = in.worldTriangles(arena);
            Thread caller = Thread.currentThread();
            List<Double> seen = new ArrayList<>();
            Set<Thread> threads = new HashSet<>();
            Set<String> stages = new HashSet<>();
            ProgressListener record = (fraction, stage) -> {
                seen.add(fraction);
                threads.add(Thread.currentThread());
                stages.add(stage);
                return true;
            };
            KernelSimplifyResult r = Kernel.simplify(KernelMesh.of(t),
                    new KernelSimplifyOptions(1545, 0, 0, false, false, false, null, record, null, 0), arena);
            assertTrue(r.triangleCount() < 15452 / 2, "triangles " + r.triangleCount());
            assertEquals(Set.of(caller), threads);
            assertEquals(Set.of("simplify"), stages);
            assertEquals(0.0, seen.get(0));
            assertEquals(1.0, seen.get(seen.size() - 1));
            assertTrue(seen.size() > 4, "reports " + seen);
            // Cancelled a quarter of the way: no result, the kernel's sentence.
            ProgressListener cancel = (fraction, stage) -> fraction < 0.25;
            CancelledException e = assertThrows(CancelledException.class, () -> Kernel.simplify(KernelMesh.of(t),
                    new KernelSimplifyOptions(1545, 0, 0, false, false, false, null, cancel, null, 0), arena));
            assertTrue(e.getMessage().contains("cancel"), e.getMessage());
        }
    }

    private static Primitive firstPrimitive(Scene scene) {
        List<Primitive> all = new ArrayList<>();
        scene.forEachPlacedMesh((m, t) -> m.primitives().stream()
                .filter(p -> p.topology() == Topology.TRIANGLES).forEach(all::add));
        return all.getFirst();
    }

    /** Pieces of a primitive joined by shared vertex ids: with UVs split at seams, its UV islands. */
    private static int islands(Primitive p) {
        return islands(p, false);
    }

    /** As {@link #islands(Primitive)}; where {@code soundOnly}, of the faces whose three corners lie apart. */
    private static int islands(Primitive p, boolean soundOnly) {
        int[] parent = new int[(int) p.vertexCount()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        Set<Integer> roots = new HashSet<>();
        List<Long> faces = new ArrayList<>();
        for (long i = 0; i < p.indexCount(); i += 3) {
            if (soundOnly && (samePosition(p, p.index(i), p.index(i + 1)) || samePosition(p, p.index(i + 1),
                    p.index(i + 2)) || samePosition(p, p.index(i), p.index(i + 2)))) {
                continue;
            }
            faces.add(i);
            int a = find(parent, p.index(i));
            parent[find(parent, p.index(i + 1))] = a;
            parent[find(parent, p.index(i + 2))] = a;
        }
        for (long i : faces) {
            roots.add(find(parent, p.index(i)));
        }
        return roots.size();
    }

    private static boolean samePosition(Primitive p, int a, int b) {
        VertexAttribute x = p.positions();
        return x.get(a, 0) == x.get(b, 0) && x.get(a, 1) == x.get(b, 1) && x.get(a, 2) == x.get(b, 2);
    }

    private static int find(int[] parent, int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    private static List<Float> record(Primitive p, long v) {
        List<Float> r = new ArrayList<>();
        for (String name : List.of("POSITION", "NORMAL", "TEXCOORD_0")) {
            VertexAttribute a = p.attribute(name);
            for (int c = 0; c < a.components(); c++) {
                r.add(a.get(v, c));
            }
        }
        return r;
    }

    private static double[][] corners(TriangleMesh m, long f) {
        double[][] t = new double[3][3];
        for (int k = 0; k < 3; k++) {
            long v = m.index(3 * f + k);
            for (int axis = 0; axis < 3; axis++) {
                t[k][axis] = m.coordinate(v, axis);
            }
        }
        return t;
    }

    private static double[] normal(double[][] t) {
        double[] u = {t[1][0] - t[0][0], t[1][1] - t[0][1], t[1][2] - t[0][2]};
        double[] w = {t[2][0] - t[0][0], t[2][1] - t[0][1], t[2][2] - t[0][2]};
        return new double[] {u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]};
    }
}
