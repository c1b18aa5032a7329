// mf_simplify and meshoptimizer called in turn on one thread, on SimplifyBenchmark's inputs: hot calls side by side.
package dev.meshforge.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/**
 * Calls SimplifyBenchmark's two arms alternately, call by call, on one thread and on the same buffers, and prints each
 * arm's median and least wall time over the last three quarters of the calls, and their ratio. JMH's single shots
 * (SimplifyBenchmark's mode) spread by a fifth or more on a shared machine, and each shot is a call with cold
 * caches; here both arms run warm in the same minutes, so a change of a few percent shows.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     dev.meshforge.benchmarks.SimplifyAlternating glb/DamagedHelmet.glb 0.1 [CALLS (80)] [normals]</pre>
 *
 * <p>With {@code -Dtargets=3600,4000} both arms are driven to each of those triangle counts in turn instead of the
 * ratio (a target just above where topology holds a run is where passes of a few collapses each add up).
 */
public final class SimplifyAlternating {
    private SimplifyAlternating() {
    }

    public static void main(String[] args) {
        SimplifyBenchmark b = SimplifyBenchmark.fromArgs(args, "SimplifyAlternating INPUT RATIO [CALLS] [normals]");
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 80;
        boolean normals = args.length > 3 && args[3].equals("normals");
        try {
            String targets = System.getProperty("targets");
            if (targets == null) {
                alternate(b, calls, normals, args[0] + " ratio " + args[1]);
            } else {
                for (String t : targets.split(",")) {
                    b.retarget(Long.parseLong(t.trim()));
                    alternate(b, calls, normals, args[0] + " to " + t.trim() + " triangles");
                }
            }
        } finally {
            b.tearDown();
        }
    }

    /** The calls' times without the first quarter (warm-up), sorted (KernelAB's too). */
    static double[] lastThreeQuarters(double[] all) {
        double[] t = Arrays.copyOfRange(all, all.length / 4, all.length);
        Arrays.sort(t);
        return t;
    }

    /** The two arms called in turn {@code calls} times each on b's current target; prints their medians. */
    private static void alternate(SimplifyBenchmark b, int calls, boolean normals, String what) {
        double[] ours = new double[calls];
        double[] theirs = new double[calls];
        long ourTriangles = 0;
        long theirTriangles = 0;
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            ourTriangles = normals ? b.mfSimplifyNormals().triangleCount() : b.mfSimplify().triangleCount();
            long t1 = System.nanoTime();
            theirTriangles = (normals ? b.meshoptSimplifyWithAttributes() : b.meshoptSimplify()) / 3;
            long t2 = System.nanoTime();
            ours[i] = (t1 - t0) / 1e6;
            theirs[i] = (t2 - t1) / 1e6;
        }
        double[] o = lastThreeQuarters(ours);
        double[] t = lastThreeQuarters(theirs);
        System.out.printf(Locale.ROOT, "%s%s, %d calls each (the first quarter left out): mf_simplify %d triangles, "
                        + "median %.2f ms (least %.2f), meshoptimizer %d triangles, median %.2f ms (least %.2f), "
                        + "mf / meshoptimizer %.3f%n", what, normals ? " with normals" : "", calls, ourTriangles,
                o[o.length / 2], o[0], theirTriangles, t[t.length / 2], t[0], o[o.length / 2] / t[t.length / 2]);
    }
}
