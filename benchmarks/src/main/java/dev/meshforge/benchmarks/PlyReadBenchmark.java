// PLY read (binary and ASCII) and binary write of a generated 1M-triangle torus.
package dev.meshforge.benchmarks;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The torus of {@link TorusStl}, read once and written as PLY (3 million unwelded vertices, 1 million
 * triangles): {@code readBinary} maps and decodes the little-endian file (about 50 MB), {@code readAscii} the
 * text one, {@code writeBinary} writes the scene back.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PlyReadBenchmark {
    private Path stl;
    private Path binary;
    private Path ascii;
    private Path written;
    private Scene scene;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        stl = Files.createTempFile("meshforge-bench-torus-1m", ".stl");
        binary = Files.createTempFile("meshforge-bench-torus-1m", ".ply");
        ascii = Files.createTempFile("meshforge-bench-torus-1m-ascii", ".ply");
        written = Files.createTempFile("meshforge-bench-torus-1m-written", ".ply");
        TorusStl.write(stl, 1000, 500);
        scene = Formats.read(stl);
        Formats.write(scene, binary, Format.PLY, WriteOptions.DEFAULTS);
        Formats.write(scene, ascii, Format.PLY, new WriteOptions(true));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        scene.close();
        for (Path p : new Path[] {stl, binary, ascii, written}) {
            Files.deleteIfExists(p);
        }
    }

    @Benchmark
    public long readBinary() {
        try (Scene s = Formats.read(binary)) {
            return s.triangleCount();
        }
    }

    @Benchmark
    public long readAscii() {
        try (Scene s = Formats.read(ascii)) {
            return s.triangleCount();
        }
    }

    @Benchmark
    public long writeBinary() throws IOException {
        Formats.write(scene, written, Format.PLY, WriteOptions.DEFAULTS);
        return Files.size(written);
    }
}
