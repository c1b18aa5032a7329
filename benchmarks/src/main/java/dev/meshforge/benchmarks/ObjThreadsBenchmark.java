// The generated 2M-triangle OBJ read on 1, 2, 4 ... threads: how the sliced parse scales with threads.
package dev.meshforge.benchmarks;

import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.io.obj.ObjReader;
import dev.meshforge.core.scene.Scene;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@link ObjReader} with {@code threads} threads (1: the single-threaded reader; more: the sliced parse, whose
 * helpers come from the common pool, so the pool's parallelism, the machine's cores less one unless set with
 * {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism}, bounds what a larger value gets). The input
 * is {@link GeneratedReadBenchmark}'s OBJ (198 MB at the default 2M triangles), written once for the run's
 * trials ({@link RunInput}). The counters {@code cpuMs} and
 * {@code reads} give the benchmark thread's CPU time a read (their ratio), which a loaded machine inflates far less
 * than the time a read takes; at one thread it is the whole read's CPU (helpers do nothing then).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
@State(Scope.Benchmark)
public class ObjThreadsBenchmark {
    @Param({"1", "2", "4", "8"})
    public int threads;

    @Param({"2000000"})
    public int triangles;

    private Path file;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        file = RunInput.torus("obj", triangles);
        System.err.printf("%n%s: %d bytes, %d threads asked, common pool parallelism %d%n", file,
                Files.size(file), threads, java.util.concurrent.ForkJoinPool.getCommonPoolParallelism());
    }

    /** The reading thread's CPU time in an iteration, and its reads. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Cpu {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        public double cpuMs;
        public long reads;

        @Setup(Level.Iteration)
        public void reset() {
            cpuMs = 0;
            reads = 0;
        }
    }

    @Benchmark
    public long read(Cpu cpu) {
        long before = Cpu.THREADS.getCurrentThreadCpuTime();
        try (Scene s = new ObjReader(null, threads).read(file, ReadOptions.DEFAULTS)) {
            return s.triangleCount();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            cpu.cpuMs += (Cpu.THREADS.getCurrentThreadCpuTime() - before) / 1e6;
            cpu.reads++;
        }
    }
}
