// mf_simplify beside meshoptimizer (lwjgl-meshoptimizer) on the same buffers: positions alone against
// meshopt_simplify, positions with normals (weight 0.5) against meshopt_simplifyWithAttributes, to 10 % and 1 % of
// the triangles, on the five largest corpus GLB files and a generated 1M-triangle bumpy torus.
package dev.meshforge.benchmarks;

import dev.meshforge.core.ProgressListener;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.kernel.Kernel;
import dev.meshforge.core.kernel.KernelMesh;
import dev.meshforge.core.kernel.KernelSimplifyOptions;
import dev.meshforge.core.kernel.KernelSimplifyResult;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.TriangleMesh;
import dev.meshforge.core.scene.VertexAttribute;
import org.lwjgl.util.meshoptimizer.MeshOptimizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Each benchmark simplifies the same float32 positions (world space, every placement) and uint32 indices to
 * {@code ratio} of the triangles, with no error bound. After each trial the last result's triangle count and its
 * sampled Hausdorff distance to the input (both ways, 100k samples, our kernel's {@code mf_hausdorff}, a fraction of
 * the input's diagonal) are printed, so that time and error can be compared at the same triangle count. The
 * attribute variants weigh normals 0.5 in both (meshoptimizer's gltfpack weighs normals alike); vertex seams (UV,
 * normal splits) are kept by both, as each input's vertex ids give them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx6g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class SimplifyBenchmark {
    /** The five largest corpus GLB files and a generated torus. */
    @Param({"glb/scallop_120k.glb", "glb/DamagedHelmet.glb", "glb/2CylinderEngine.glb", "glb/retroufo.glb",
            "glb/ai_hunyuan3d21_textured_case1.glb", "torus-1M"})
    public String input;

    @Param({"0.1", "0.01"})
    public double ratio;

    static final float NORMAL_WEIGHT = 0.5f;
    /** See {@link #firstAtPosition()}. */
    private int[] firstAtPosition;

    private Arena arena;
    private MemorySegment positions;
    private MemorySegment indices;
    private MemorySegment normals;
    private MemorySegment output;
    private MemorySegment lastIndices;
    private KernelMesh mesh;
    private KernelMesh meshWithNormals;
    private KernelSimplifyOptions options;
    private KernelSimplifyOptions optionsWithNormals;
    private IntBuffer dst;
    private IntBuffer src;
    private FloatBuffer xyz;
    private FloatBuffer attr;
    private FloatBuffer weights;
    private long vertexCount;
    private long triangleCount;
    private long target;
    private long lastTriangles;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        firstAtPosition = null;
        if (input.startsWith("torus")) {
            torus(1000, 500);
        } else {
            try (Scene scene = Formats.read(CorpusFiles.root().resolve(input)); Arena scratch = Arena.ofConfined()) {
                TriangleMesh t = scene.worldTriangles(scratch);
                vertexCount = t.vertexCount();
                triangleCount = t.triangleCount();
                positions = arena.allocate(ValueLayout.JAVA_FLOAT, 3 * vertexCount);
                for (long i = 0; i < 3 * vertexCount; i++) {
                    positions.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) t.coordinate(i / 3, (int) (i % 3)));
                }
                indices = arena.allocate(ValueLayout.JAVA_INT, 3 * triangleCount);
                MemorySegment.copy(t.indices(), 0, indices, 0, 12 * triangleCount);
                normals = arena.allocate(ValueLayout.JAVA_FLOAT, 3 * vertexCount);
                long[] at = {0};
                scene.forEachPlacedMesh((mesh, transform) -> {
                    for (Primitive p : mesh.primitives()) {
                        if (p.topology() != Topology.TRIANGLES || p.triangleCount() == 0) {
                            continue;
                        }
                        VertexAttribute n = p.attribute(VertexAttribute.NORMAL);
                        for (long v = 0; v < p.vertexCount(); v++) {
                            for (int c = 0; c < 3; c++) {
                                normals.setAtIndex(ValueLayout.JAVA_FLOAT, 3 * (at[0] + v) + c, n == null ? 0 : n.get(v, c));
                            }
                        }
                        at[0] += p.vertexCount();
                    }
                });
            }
        }
        output = arena.allocate(ValueLayout.JAVA_INT, 3 * triangleCount);
        // Each arm's inputs are made here, outside the timed calls: the meshes and options, the buffer views.
        TriangleMesh t = new TriangleMesh(positions, vertexCount, indices, triangleCount);
        mesh = KernelMesh.of(t);
        meshWithNormals = new KernelMesh(t, normals, 3, 0);
        retarget(Math.max(1, Math.round(ratio * triangleCount)));
        dst = output.asByteBuffer().order(ByteOrder.nativeOrder()).asIntBuffer();
        src = indices.asByteBuffer().order(ByteOrder.nativeOrder()).asIntBuffer();
        xyz = positions.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
        attr = normals.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
        weights = arena.allocateFrom(ValueLayout.JAVA_FLOAT, NORMAL_WEIGHT, NORMAL_WEIGHT, NORMAL_WEIGHT).asByteBuffer()
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** A torus of rings x segments quads (two triangles each) with a bumpy tube, smooth normals, closed. */
    private void torus(int rings, int segments) {
        vertexCount = (long) rings * segments;
        triangleCount = 2 * vertexCount;
        positions = arena.allocate(ValueLayout.JAVA_FLOAT, 3 * vertexCount);
        normals = arena.allocate(ValueLayout.JAVA_FLOAT, 3 * vertexCount);
        indices = arena.allocate(ValueLayout.JAVA_INT, 3 * triangleCount);
        for (int i = 0; i < rings; i++) {
            for (int j = 0; j < segments; j++) {
                double u = 2 * Math.PI * i / rings;
                double v = 2 * Math.PI * j / segments;
                double r = 0.3 * (1 + 0.08 * Math.sin(12 * u) * Math.sin(9 * v));
                long k = (long) i * segments + j;
                double[] p = {(1 + r * Math.cos(v)) * Math.cos(u), (1 + r * Math.cos(v)) * Math.sin(u), r * Math.sin(v)};
                double[] n = {Math.cos(v) * Math.cos(u), Math.cos(v) * Math.sin(u), Math.sin(v)};
                for (int c = 0; c < 3; c++) {
                    positions.setAtIndex(ValueLayout.JAVA_FLOAT, 3 * k + c, (float) p[c]);
                    normals.setAtIndex(ValueLayout.JAVA_FLOAT, 3 * k + c, (float) n[c]);
                }
                int a = (int) k;
                int b = (int) (((i + 1) % rings) * (long) segments + j);
                int c = (int) ((long) i * segments + (j + 1) % segments);
                int d = (int) (((i + 1) % rings) * (long) segments + (j + 1) % segments);
                long f = 2 * k;
                int[] tri = {a, b, d, a, d, c};
                for (int q = 0; q < 6; q++) {
                    indices.setAtIndex(ValueLayout.JAVA_INT, 3 * f + q, tri[q]);
                }
            }
        }
    }

    /** Our arm: the kernel's result, copied once into the benchmark's arena (the API's own copy), read in place. */
    KernelSimplifyResult mf(boolean withNormals) {
        KernelSimplifyResult r = withNormals ? Kernel.simplify(meshWithNormals, optionsWithNormals, arena)
                : Kernel.simplify(mesh, options, arena);
        lastIndices = r.indices();
        lastTriangles = r.triangleCount();
        return r;
    }

    /** meshoptimizer's arm: writes into the output buffer made in setUp. */
    long meshopt(boolean withNormals) {
        long n = withNormals
                ? MeshOptimizer.meshopt_simplifyWithAttributes(dst, src, xyz, vertexCount, 12, attr, 12, weights, null,
                        3 * target, Float.MAX_VALUE, 0, null)
                : MeshOptimizer.meshopt_simplify(dst, src, xyz, vertexCount, 12, 3 * target, Float.MAX_VALUE, 0, null);
        lastIndices = output;
        lastTriangles = n / 3;
        return n;
    }

    @Benchmark
    public KernelSimplifyResult mfSimplify() {
        return mf(false);
    }

    @Benchmark
    public long meshoptSimplify() {
        return meshopt(false);
    }

    @Benchmark
    public KernelSimplifyResult mfSimplifyNormals() {
        return mf(true);
    }

    @Benchmark
    public long meshoptSimplifyWithAttributes() {
        return meshopt(true);
    }

    /**
     * meshoptimizer's arm, positions alone, with the given vertices locked ({@code vertex_lock}, one byte a vertex):
     * for {@link SimplifyUnderLocks}, not a benchmark of its own.
     */
    long meshoptLocked(ByteBuffer lock) {
        // LWJGL wants an attribute stream: the normals, weighed 0.
        FloatBuffer none = arena.allocate(ValueLayout.JAVA_FLOAT, 3).asByteBuffer().order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        long n = MeshOptimizer.meshopt_simplifyWithAttributes(dst, src, xyz, vertexCount, 12, attr, 12, none, lock,
                3 * target, Float.MAX_VALUE, 0, null);
        lastIndices = output;
        lastTriangles = n / 3;
        return n;
    }

    /** One byte a vertex: 1 where at least {@code min} vertices (this one among them) have its exact position. */
    ByteBuffer sharedPositions(int min) {
        int[] first = firstAtPosition();
        int[] count = new int[first.length];
        for (int f : first) {
            count[f]++;
        }
        ByteBuffer lock = arena.allocate(vertexCount).asByteBuffer();
        for (int v = 0; v < vertexCount; v++) {
            lock.put(v, (byte) (count[first[v]] >= min ? 1 : 0));
        }
        return lock;
    }

    /**
     * For each vertex, the first vertex with its exact position (itself where it is the first); made once (the
     * positions never change), since the error table asks for it three or four times a row.
     */
    private int[] firstAtPosition() {
        if (firstAtPosition == null) {
            firstAtPosition = firstAtPositionOnce();
        }
        return firstAtPosition;
    }

    private int[] firstAtPositionOnce() {
        Map<List<Float>, Integer> first = new HashMap<>();
        int[] at = new int[(int) vertexCount];
        for (int v = 0; v < vertexCount; v++) {
            List<Float> k = List.of(positions.getAtIndex(ValueLayout.JAVA_FLOAT, 3L * v),
                    positions.getAtIndex(ValueLayout.JAVA_FLOAT, 3L * v + 1),
                    positions.getAtIndex(ValueLayout.JAVA_FLOAT, 3L * v + 2));
            Integer f = first.putIfAbsent(k, v);
            at[v] = f == null ? v : f;
        }
        return at;
    }

    /**
     * Welds the input's seams away: every index becomes the first vertex at its exact position, so the input has no
     * UV or normal seam left; the surface, and so every error measured against it, is the same. Both arms' inputs
     * (our meshes, meshoptimizer's buffer) view these indices in place, so both see the welded input. For {@link
     * SimplifyUnderLocks}, after its other runs.
     */
    void weldSeams() {
        int[] first = firstAtPosition();
        for (long i = 0; i < 3 * triangleCount; i++) {
            indices.setAtIndex(ValueLayout.JAVA_INT, i, first[indices.getAtIndex(ValueLayout.JAVA_INT, i)]);
        }
    }

    /**
     * The benchmark's state for a main run outside JMH, set up on {@code args[0]} (a corpus path such as
     * glb/DamagedHelmet.glb, or torus-1M) and ratio {@code args[1]}; where they are missing, prints the usage line
     * (after "usage: ") and exits with 2.
     */
    static SimplifyBenchmark fromArgs(String[] args, String usage) {
        if (args.length < 2) {
            System.err.println("usage: " + usage + "   (INPUT: a corpus path such as glb/DamagedHelmet.glb, or "
                    + "torus-1M)");
            System.exit(2);
        }
        SimplifyBenchmark b = new SimplifyBenchmark();
        b.input = args[0];
        b.ratio = Double.parseDouble(args[1]);
        b.setUp();
        return b;
    }

    /**
     * Sets the arms' target to {@code triangles} and makes our arm's options for it: setUp's target from the ratio, or
     * another count to compare at (the count another arm reached, SimplifyAlternating's -Dtargets).
     */
    void retarget(long triangles) {
        target = triangles;
        options = new KernelSimplifyOptions(target, 0, 0, false, false, false, null, ProgressListener.NONE, null, 0);
        optionsWithNormals = new KernelSimplifyOptions(target, 0, 0, false, false, false,
                new float[] {NORMAL_WEIGHT, NORMAL_WEIGHT, NORMAL_WEIGHT}, ProgressListener.NONE, null, 0);
    }

    /**
     * The last result's edges over welded positions (each vertex taken as the first vertex at its exact position, so
     * that a UV or normal seam is no edge of its own): how many have one face (open: a hole's rim) and how many more
     * than two (non-manifold). Counted here, not by our kernel, so that both arms' results are judged alike.
     */
    long[] openAndNonManifoldEdges() {
        return openAndNonManifoldEdges(lastIndices, lastTriangles);
    }

    /** As {@link #openAndNonManifoldEdges()}, for the input. */
    long[] inputOpenAndNonManifoldEdges() {
        return openAndNonManifoldEdges(indices, triangleCount);
    }

    private long[] openAndNonManifoldEdges(MemorySegment tris, long count) {
        int[] first = firstAtPosition();
        Map<Long, Integer> faces = new HashMap<>();
        for (long f = 0; f < count; f++) {
            for (int k = 0; k < 3; k++) {
                long a = first[tris.getAtIndex(ValueLayout.JAVA_INT, 3 * f + k)];
                long b = first[tris.getAtIndex(ValueLayout.JAVA_INT, 3 * f + (k + 1) % 3)];
                faces.merge(Math.min(a, b) << 32 | Math.max(a, b), 1, Integer::sum);
            }
        }
        long open = 0;
        long nonManifold = 0;
        for (int n : faces.values()) {
            open += n == 1 ? 1 : 0;
            nonManifold += n > 2 ? 1 : 0;
        }
        return new long[] {open, nonManifold};
    }

    /**
     * Pieces (triangles joined through a shared vertex id: UV islands, a material's pieces): the input's, the last
     * result's, and how many of the input's pieces the last result still touches (a vertex of theirs).
     */
    long[] islands() {
        int[] in = pieces(indices, triangleCount);
        int[] out = pieces(lastIndices, lastTriangles);
        // The input's pieces that some output triangle still touches (a vertex of theirs), whether or not joined.
        Set<Integer> touched = new HashSet<>();
        for (long i = 0; i < 3 * lastTriangles; i++) {
            touched.add(in[lastIndices.getAtIndex(ValueLayout.JAVA_INT, i)]);
        }
        return new long[] {count(in, indices, triangleCount), count(out, lastIndices, lastTriangles), touched.size()};
    }

    private long count(int[] label, MemorySegment tris, long n) {
        Set<Integer> seen = new HashSet<>();
        for (long i = 0; i < 3 * n; i++) {
            seen.add(label[tris.getAtIndex(ValueLayout.JAVA_INT, i)]);
        }
        return seen.size();
    }

    private int[] pieces(MemorySegment tris, long count) {
        int[] parent = new int[(int) vertexCount];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        for (long f = 0; f < count; f++) {
            int a = tris.getAtIndex(ValueLayout.JAVA_INT, 3 * f);
            for (int k = 1; k < 3; k++) {
                int b = tris.getAtIndex(ValueLayout.JAVA_INT, 3 * f + k);
                parent[find(parent, a)] = find(parent, b);
            }
        }
        for (int v = 0; v < parent.length; v++) {
            parent[v] = find(parent, v);
        }
        return parent;
    }

    private static int find(int[] parent, int v) {
        while (parent[v] != v) {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        return v;
    }

    /** Our arm's mesh: positions alone, or with the normals (KernelAB calls two builds of the kernel on it). */
    KernelMesh kernelMesh(boolean withNormals) {
        return withNormals ? meshWithNormals : mesh;
    }

    /** The triangle count both arms aim at now. */
    long target() {
        return target;
    }

    long triangleCount() {
        return triangleCount;
    }

    long lastTriangles() {
        return lastTriangles;
    }

    /** The last result's sampled Hausdorff distance to the input, both ways, as a fraction of the diagonal. */
    double lastError() {
        return lastError(100_000);
    }

    /** As {@link #lastError()}, from {@code samples} points on each surface (besides its vertices). */
    double lastError(int samples) {
        TriangleMesh in = new TriangleMesh(positions, vertexCount, indices, triangleCount);
        TriangleMesh out = new TriangleMesh(positions, vertexCount, lastIndices, lastTriangles);
        double[] h = Kernel.hausdorff(in, out, samples);
        return Math.max(h[0], h[1]) / h[2];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (lastTriangles > 0) {
            System.out.printf(Locale.ROOT, "%n[simplify] %s ratio %s: %d of %d triangles (target %d), Hausdorff %.5f "
                    + "of the diagonal%n", input, ratio, lastTriangles, triangleCount, target, lastError());
        }
        close();
    }

    /** Frees the inputs and results, printing nothing (a main that prints its own figures). */
    void close() {
        arena.close();
    }
}
