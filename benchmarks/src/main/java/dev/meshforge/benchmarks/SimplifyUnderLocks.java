// mf_simplify against meshoptimizer as it runs and against meshoptimizer with the points where vertices of three or
// more UV charts or normal groups meet held in place, as mf_simplify holds them.
package dev.meshforge.benchmarks;

import java.util.Locale;

/**
 * mf_simplify keeps every seam: a point where three or more vertices share a position (three charts, or a seam's
 * ends) does not move, since moving it would give some chart's corner another chart's texture coordinates.
 * meshoptimizer may move such points. This runs SimplifyBenchmark's positions-only arms once each on one input and
 * ratio, and a third: meshoptimizer with those points locked ({@code vertex_lock}), and prints each result's
 * triangles and sampled Hausdorff distance to the input (both ways, 100k samples, a fraction of the diagonal): how
 * much of a difference in error comes from what each lets move. Last, ours again to its own count on the input with
 * its seams welded away (each vertex index replaced by the first at its position): what keeping the seams costs.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     dev.meshforge.benchmarks.SimplifyUnderLocks glb/ai_hunyuan3d21_textured_case1.glb 0.01</pre>
 */
public final class SimplifyUnderLocks {
    private SimplifyUnderLocks() {
    }

    public static void main(String[] args) {
        SimplifyBenchmark b = SimplifyBenchmark.fromArgs(args, "SimplifyUnderLocks INPUT RATIO");
        try {
            b.mfSimplify();
            print(args, "mf_simplify", b);
            long ours = b.lastTriangles();
            b.meshoptSimplify();
            print(args, "meshopt_simplify", b);
            // meshoptimizer again, asked for the count mf_simplify reached (where the first stopped elsewhere)
            b.retarget(ours);
            b.meshoptSimplify();
            print(args, "meshopt_simplify to mf_simplify's count", b);
            var lock = b.sharedPositions(Integer.getInteger("locks.min", 3));
            long locked = 0;
            for (int v = 0; v < lock.capacity(); v++) {
                locked += lock.get(v);
            }
            b.meshoptLocked(lock);
            print(args, "meshopt_simplifyWithAttributes, " + locked + " vertices locked", b);
            // Both arms on the way down: at counts from three times mf_simplify's last down to it.
            for (long n = 3 * ours; n >= ours; n -= Math.max(1, ours / 8)) {
                b.retarget(n);
                b.mfSimplify();
                print(args, "mf_simplify to " + n, b);
                b.meshoptSimplify();
                print(args, "meshopt_simplify to " + n, b);
            }
            // Last, since it changes the input: ours on the same surface with no seam to keep, to its own count.
            b.weldSeams();
            b.retarget(ours);
            b.mfSimplify();
            print(args, "mf_simplify with the seams welded away, to " + ours, b);
        } finally {
            b.tearDown();
        }
    }

    private static void print(String[] args, String arm, SimplifyBenchmark b) {
        long[] islands = b.islands();
        System.out.printf(Locale.ROOT, "%s ratio %s, %s: %d of %d triangles, Hausdorff %.5f of the diagonal; pieces "
                        + "joined by vertex ids (UV islands, material pieces) %d of %d, %d of them still touched%n",
                args[0], args[1], arm, b.lastTriangles(), b.triangleCount(), b.lastError(), islands[1], islands[0],
                islands[2]);
    }
}
