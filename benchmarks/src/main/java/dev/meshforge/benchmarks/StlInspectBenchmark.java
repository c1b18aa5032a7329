// Binary STL read and kernel inspect on a generated 1M-triangle torus, beside a raw file-copy baseline.
package dev.meshforge.benchmarks;

import dev.meshforge.core.ops.Inspect;
import dev.meshforge.core.inspect.MeshReport;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * {@code readStl} maps and decodes the file into a scene; {@code rawCopy} only copies the same bytes
 * off-heap, the floor any reader pays; {@code inspect} runs the kernel (weld, topology, BVH intersection
 * search) on an already-read scene; {@code readAndInspect} is what {@code meshforge inspect} does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StlInspectBenchmark {
    private Path file;
    private Scene scene;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        file = Files.createTempFile("meshforge-bench-torus-1m", ".stl");
        TorusStl.write(file, 1000, 500);
        scene = Formats.read(file);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        scene.close();
        Files.deleteIfExists(file);
    }

    @Benchmark
    public long rawCopy() throws IOException {
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            MemorySegment copy = arena.allocate(ch.size());
            copy.copyFrom(mapped);
            return copy.byteSize();
        }
    }

    @Benchmark
    public long readStl() {
        try (Scene s = Formats.read(file)) {
            return s.triangleCount();
        }
    }

    @Benchmark
    public MeshReport inspect() {
        return Inspect.report(scene);
    }

    @Benchmark
    public MeshReport readAndInspect() {
        try (Scene s = Formats.read(file)) {
            return Inspect.report(s);
        }
    }
}
