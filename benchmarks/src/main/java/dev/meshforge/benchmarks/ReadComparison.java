// The three sides every read benchmark runs on the same input: meshforge, assimp and a memory copy.
package dev.meshforge.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A subclass's setup sets {@link #file} (what the readers open) and {@link #files} (every byte they read). */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class ReadComparison {
    protected Path file;
    protected List<Path> files;

    @Benchmark
    public long meshforge() {
        return Readers.meshforge(file);
    }

    @Benchmark
    public long assimp() {
        return Readers.assimp(file);
    }

    /** The floor no reader can beat: the input's bytes copied into memory, nothing parsed. */
    @Benchmark
    public long memoryCopy() {
        return Readers.memoryCopy(files);
    }
}
