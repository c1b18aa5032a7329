// Reading the largest corpus file of each format: meshforge beside assimp (through LWJGL) in the same run.
package dev.meshforge.benchmarks;

import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import org.lwjgl.assimp.AIScene;
import org.lwjgl.assimp.Assimp;
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

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Both sides produce triangles in memory: meshforge a {@link Scene}, assimp an aiScene with
 * {@code aiProcess_Triangulate} (its cheapest import that yields triangles). Each returns its triangle count,
 * which the setup checks to be equal so that the two did the same work.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReadBenchmark {
    @Param({"stl", "glb", "gltf", "obj", "ply", "fbx"})
    public String format;

    private Path file;

    @Setup(Level.Trial)
    public void setUp() {
        file = CorpusFiles.largest(format);
        long ours = meshforge();
        long theirs = assimp();
        if (ours != theirs) {
            System.err.printf("note: %s: meshforge reads %d triangles, assimp %d%n", file, ours, theirs);
        }
    }

    @Benchmark
    public long meshforge() {
        try (Scene s = Formats.read(file)) {
            return s.triangleCount();
        }
    }

    @Benchmark
    public long assimp() {
        AIScene scene = Assimp.aiImportFile(file.toString(), Assimp.aiProcess_Triangulate);
        if (scene == null) {
            throw new IllegalStateException("assimp cannot read " + file + ": " + Assimp.aiGetErrorString());
        }
        try {
            long triangles = 0;
            for (int i = 0; i < scene.mNumMeshes(); i++) {
                triangles += org.lwjgl.assimp.AIMesh.create(scene.mMeshes().get(i)).mNumFaces();
            }
            return triangles;
        } finally {
            Assimp.aiReleaseImport(scene);
        }
    }
}
