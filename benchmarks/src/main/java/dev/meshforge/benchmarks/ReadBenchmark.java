// Reading the largest corpus file of each format: meshforge beside assimp (through LWJGL) in the same run.
package dev.meshforge.benchmarks;

import dev.meshforge.core.scene.Scene;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.file.Path;
import java.util.List;

/**
 * Both sides produce triangles in memory: meshforge a {@link Scene}, assimp an aiScene ({@link Readers}).
 * Each returns its triangle count, which the setup compares so that the two did the same work; memoryCopy is the
 * floor no reader can beat. {@link GeneratedReadBenchmark} does the same on a 2M-triangle mesh.
 */
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
@State(Scope.Benchmark)
public class ReadBenchmark extends ReadComparison {
    @Param({"stl", "glb", "gltf", "obj", "ply", "fbx"})
    public String format;

    @Setup(Level.Trial)
    public void setUp() {
        file = CorpusFiles.largest(format);
        files = List.of(file); // the main file: a .gltf's .bin and textures are not counted
        long ours = meshforge();
        long theirs = assimp();
        if (ours != theirs) {
            System.err.printf("note: %s: meshforge reads %d triangles, assimp %d%n", file, ours, theirs);
        }
    }
}
