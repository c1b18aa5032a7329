// The error half of mf_simplify's comparison with meshoptimizer as one table: every SimplifyBenchmark input to 10 % and
// 1 % of its triangles, positions alone and with normals, both at the same triangle count.
package dev.meshforge.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * For each input, ratio and arm (positions alone: mf_simplify against meshopt_simplify; with normals weighed 0.5:
 * against meshopt_simplifyWithAttributes), ours runs to the ratio's target and meshoptimizer to the count ours
 * reached; where meshoptimizer stops short of that count (its topology floor lies higher), ours runs again to
 * meshoptimizer's count, so that the two are always compared at the same count. Each row gives both counts, both
 * sampled Hausdorff distances (both ways, a fraction of the diagonal, {@code -Dsamples} random points on each surface
 * besides its vertices, 2,000,000 by default: at 100,000 a ratio moves by a few per cent with the sample), their
 * ratio, ours over meshoptimizer's, and each result's open and non-manifold edges (over welded positions, {@link
 * SimplifyBenchmark#openAndNonManifoldEdges}), after a line with the input's own: a result that has more of either
 * than its input has torn or pinched the surface (mf_simplify's link condition rules that out for its own results).
 * The aim is a ratio of at most 1 on every row.
 *
 * <pre>java -Xmx6g --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     dev.meshforge.benchmarks.SimplifyErrorTable [INPUT ...]</pre>
 */
public final class SimplifyErrorTable {
    private static final List<String> INPUTS = List.of("glb/scallop_120k.glb", "glb/DamagedHelmet.glb",
            "glb/2CylinderEngine.glb", "glb/retroufo.glb", "glb/ai_hunyuan3d21_textured_case1.glb", "torus-1M");

    private SimplifyErrorTable() {
    }

    public static void main(String[] args) {
        int samples = Integer.getInteger("samples", 2_000_000);
        List<String> inputs = args.length > 0 ? List.of(args) : INPUTS;
        System.out.printf(Locale.ROOT, "%-40s %5s %-10s %9s %9s %9s %9s %6s %9s %9s%n", "input", "ratio", "arm", "ours",
                "error", "meshopt", "error", "ratio", "ours o/n", "mo o/n");
        for (String input : inputs) {
            SimplifyBenchmark b = SimplifyBenchmark.fromArgs(new String[] {input, "0.1"}, "SimplifyErrorTable");
            try {
                long[] given = b.inputOpenAndNonManifoldEdges();
                System.out.printf(Locale.ROOT, "%-40s input: %d triangles, %d open and %d non-manifold edges%n",
                        input, b.triangleCount(), given[0], given[1]);
                for (double ratio : new double[] {0.1, 0.01}) {
                    for (boolean normals : new boolean[] {false, true}) {
                        row(b, input, ratio, normals, samples);
                    }
                }
            } finally {
                b.close();
            }
        }
    }

    private static void row(SimplifyBenchmark b, String input, double ratio, boolean normals, int samples) {
        b.retarget(Math.max(1, Math.round(ratio * b.triangleCount())));
        b.mf(normals);
        long count = b.lastTriangles();
        double error = b.lastError(samples);
        long[] edges = b.openAndNonManifoldEdges();
        b.retarget(count);
        b.meshopt(normals);
        long theirCount = b.lastTriangles();
        double theirError = b.lastError(samples);
        long[] theirEdges = b.openAndNonManifoldEdges();
        if (theirCount > count + count / 200) {
            b.retarget(theirCount);
            b.mf(normals);
            count = b.lastTriangles();
            error = b.lastError(samples);
            edges = b.openAndNonManifoldEdges();
        }
        System.out.printf(Locale.ROOT, "%-40s %5.2f %-10s %9d %9.5f %9d %9.5f %6.3f %9s %9s%n", input, ratio,
                normals ? "normals" : "positions", count, error, theirCount, theirError, error / theirError,
                edges[0] + "/" + edges[1], theirEdges[0] + "/" + theirEdges[1]);
    }
}
