// The cost of a reader's native int list against an int[] in the loops an FBX read runs per vertex.
package dev.meshforge.benchmarks;

import dev.meshforge.core.io.internal.NativeList;
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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The FBX gather turns each vertex's corner into its control point in place (read the corner, look its control
 * point up in the file's index array, write it back) and the polygon loop appends a corner per vertex. Each is run
 * over {@code n} vertices with the list's memory as: an {@code int[]} ({@code heap}, the reader before its arrays
 * moved off the heap); a segment of a shared arena read through the list ({@code list}) or hoisted into a local
 * ({@code shared}); and a view of the same memory without the arena's liveness check ({@code global}, {@code
 * MemorySegment.ofAddress(...).reinterpret}). The index array is a shared arena's segment in every case, as the
 * file's inflated arrays are.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class NativeListBenchmark {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    @Param("6000000")
    public int n;

    private Arena arena;
    private MemorySegment pvi;
    private int[] original;
    private int[] heap;
    private NativeList list;
    private MemorySegment global;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        SplittableRandom random = new SplittableRandom(17);
        pvi = arena.allocate(INT, n);
        original = new int[n];
        for (int i = 0; i < n; i++) {
            pvi.setAtIndex(INT, i, random.nextInt(n / 6));
            // Corners met in about the file's order: a vertex's first corner a little ahead of the last one's.
            original[i] = Math.min(n - 1, i + random.nextInt(4));
        }
        heap = new int[n];
        list = NativeList.inArena(arena, n, n, bound -> "more than " + bound);
        list.extend(n);
        global = MemorySegment.ofAddress(list.segment().address()).reinterpret(list.segment().byteSize());
    }

    /** Every variant starts from the same corners (the gather overwrites them). */
    @Setup(Level.Invocation)
    public void reset() {
        System.arraycopy(original, 0, heap, 0, n);
        MemorySegment.copy(original, 0, list.segment(), INT, 0, n);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        list.close();
        arena.close();
    }

    @Benchmark
    public long gatherHeap() {
        int[] cornerOf = heap;
        MemorySegment p = pvi;
        long sum = 0;
        for (int vi = 0; vi < n; vi++) {
            int cp = p.getAtIndex(INT, cornerOf[vi]);
            cornerOf[vi] = cp;
            sum += cp;
        }
        return sum;
    }

    @Benchmark
    public long gatherList() {
        NativeList cornerOf = list;
        MemorySegment p = pvi;
        long sum = 0;
        for (int vi = 0; vi < n; vi++) {
            int cp = p.getAtIndex(INT, cornerOf.get(vi));
            cornerOf.set(vi, cp);
            sum += cp;
        }
        return sum;
    }

    @Benchmark
    public long gatherShared() {
        return gather(list.segment().asSlice(0, (long) n * Integer.BYTES));
    }

    @Benchmark
    public long gatherGlobal() {
        return gather(global);
    }

    private long gather(MemorySegment cornerOf) {
        MemorySegment p = pvi;
        long sum = 0;
        for (int vi = 0; vi < n; vi++) {
            int cp = p.getAtIndex(INT, cornerOf.getAtIndex(INT, vi));
            cornerOf.setAtIndex(INT, vi, cp);
            sum += cp;
        }
        return sum;
    }

    /** Appends a corner per vertex to an int[] (grown as the heap list grew) and to a native list. */
    @Benchmark
    public int appendHeap() {
        int[] a = new int[16];
        int size = 0;
        for (int i = 0; i < n; i++) {
            if (size == a.length) {
                a = java.util.Arrays.copyOf(a, a.length + (a.length >> 1) + 16);
            }
            a[size++] = i;
        }
        return a[size - 1];
    }

    @Benchmark
    public long appendList() {
        try (Arena read = Arena.ofShared()) {
            NativeList a = NativeList.inArena(read, 16, n, bound -> "more than " + bound);
            for (int i = 0; i < n; i++) {
                a.add(i);
            }
            return a.get(n - 1);
        }
    }
}
