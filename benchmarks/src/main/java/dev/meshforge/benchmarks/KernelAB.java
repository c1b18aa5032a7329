// Two builds of the kernel's mf_simplify in one process, called in turn on the same buffers: a change to the kernel
// timed against the build before it without the machine's drift between runs.
package dev.meshforge.benchmarks;

import dev.meshforge.core.kernel.KernelMesh;
import dev.meshforge.core.kernel.internal.MeshStruct;
import dev.meshforge.core.kernel.internal.NativeLayouts;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Loads two kernel libraries side by side (each its own copy of the code: the library keeps its symbols to itself
 * and links its C++ runtime statically) and calls each one's {@code mf_simplify} alternately, call by call, on
 * {@link SimplifyBenchmark}'s input and target, the order swapped every call. Prints each build's median and least
 * wall time over the last three quarters of the calls, their ratio (B over A), the triangles each made and whether
 * the two builds' outputs are the same, index for index.
 *
 * <p>Runs of one build after another moved by a tenth between minutes on a shared machine; in one process, with the
 * calls interleaved, both builds see the same machine. Two copies of one build measure the method's own spread
 * (0.984, 1.008 and 0.990 in three runs of 40 calls on scallop to 10 %).
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     dev.meshforge.benchmarks.KernelAB glb/scallop_120k.glb 0.1 A.so B.so [CALLS (30)] [normals]</pre>
 *
 * A and B are paths to {@code libmeshforge_kernel.so} builds: the one the build made is
 * {@code core-java/target/native/libmeshforge_kernel.so}; copy it aside before building the change.
 */
public final class KernelAB {
    private static final FunctionDescriptor CALL = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS);

    private KernelAB() {
    }

    /** One build's entry points, from the library at {@code path}. */
    private record Build(String name, MethodHandle simplify, MethodHandle free) {
        static Build load(Path path, Arena arena) {
            SymbolLookup lib = SymbolLookup.libraryLookup(path, arena);
            Linker linker = Linker.nativeLinker();
            return new Build(path.toString(),
                    linker.downcallHandle(lib.findOrThrow("mf_simplify"), CALL),
                    linker.downcallHandle(lib.findOrThrow("mf_free"), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS)));
        }
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 4) {
            System.err.println("usage: KernelAB INPUT RATIO A.so B.so [CALLS] [normals]");
            System.exit(2);
        }
        int calls = args.length > 4 ? Integer.parseInt(args[4]) : 30;
        boolean normals = args.length > 5 && args[5].equals("normals");
        SimplifyBenchmark b = SimplifyBenchmark.fromArgs(args, "KernelAB INPUT RATIO A.so B.so [CALLS] [normals]");
        try (Arena arena = Arena.ofConfined()) {
            Build[] builds = {Build.load(Path.of(args[2]), arena), Build.load(Path.of(args[3]), arena)};
            KernelMesh mesh = b.kernelMesh(normals);
            MemorySegment m = MeshStruct.of(mesh.triangles(), mesh.attributes(), mesh.attributeCount(),
                    mesh.attributeStride(), arena);
            MemorySegment o = arena.allocate(NativeLayouts.MF_SIMPLIFY_OPTIONS);
            o.set(ValueLayout.JAVA_INT, option("size"), (int) NativeLayouts.MF_SIMPLIFY_OPTIONS.byteSize());
            o.set(ValueLayout.JAVA_LONG, option("target_triangles"), b.target());
            if (normals) {
                o.set(ValueLayout.ADDRESS, option("attribute_weights"),
                        arena.allocateFrom(ValueLayout.JAVA_FLOAT, SimplifyBenchmark.NORMAL_WEIGHT,
                                SimplifyBenchmark.NORMAL_WEIGHT, SimplifyBenchmark.NORMAL_WEIGHT));
            }
            MemorySegment r = arena.allocate(NativeLayouts.MF_SIMPLIFY_RESULT);
            MemorySegment err = arena.allocate(NativeLayouts.MF_ERROR);
            double[][] ms = new double[2][calls];
            int[][] last = new int[2][]; // each build's last output
            for (int i = 0; i < calls; i++) {
                for (int k = 0; k < 2; k++) {
                    int which = i % 2 == 0 ? k : 1 - k;
                    Build build = builds[which];
                    long t0 = System.nanoTime();
                    int status = (int) build.simplify().invokeExact(m, o, r, err);
                    ms[which][i] = (System.nanoTime() - t0) / 1e6;
                    if (status != 0) {
                        throw new IllegalStateException(build.name() + ": mf_simplify returned " + status);
                    }
                    long n = r.get(ValueLayout.JAVA_LONG, result("triangle_count"));
                    MemorySegment indices = r.get(ValueLayout.ADDRESS, result("indices"));
                    last[which] = indices.reinterpret(12 * n).toArray(ValueLayout.JAVA_INT);
                    build.free().invokeExact(indices);
                }
            }
            double[] a = SimplifyAlternating.lastThreeQuarters(ms[0]);
            double[] c = SimplifyAlternating.lastThreeQuarters(ms[1]);
            System.out.printf(Locale.ROOT, "%s ratio %s%s, %d calls each (the first quarter left out): A %d triangles, "
                            + "median %.2f ms (least %.2f); B %d triangles, median %.2f ms (least %.2f); B / A %.3f "
                            + "(least %.3f); outputs %s%n", args[0], args[1], normals ? " with normals" : "", calls,
                    last[0].length / 3, a[a.length / 2], a[0], last[1].length / 3, c[c.length / 2], c[0],
                    c[c.length / 2] / a[a.length / 2], c[0] / a[0],
                    Arrays.equals(last[0], last[1]) ? "the same" : "DIFFER");
        } finally {
            b.tearDown();
        }
    }

    private static long option(String field) {
        return NativeLayouts.MF_SIMPLIFY_OPTIONS.byteOffset(PathElement.groupElement(field));
    }

    private static long result(String field) {
        return NativeLayouts.MF_SIMPLIFY_RESULT.byteOffset(PathElement.groupElement(field));
    }
}
