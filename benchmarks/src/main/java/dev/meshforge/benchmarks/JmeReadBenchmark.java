// Reading the largest corpus file of the formats jMonkeyEngine loads: meshforge beside jME's loaders.
package dev.meshforge.benchmarks;

import com.jme3.asset.AssetManager;
import com.jme3.asset.ModelKey;
import com.jme3.asset.plugins.FileLocator;
import com.jme3.scene.Geometry;
import com.jme3.scene.Spatial;
import com.jme3.system.JmeSystem;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * jME builds its scene graph (meshes with vertex buffers, materials from its material definitions) without
 * a renderer; its asset cache is cleared after every load so that each operation reads the file again.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class JmeReadBenchmark {
    @Param({"glb", "gltf", "obj"})
    public String format;

    private Path file;
    private AssetManager assets;

    @Setup(org.openjdk.jmh.annotations.Level.Trial)
    public void setUp() {
        Logger.getLogger("com.jme3").setLevel(Level.SEVERE);
        file = CorpusFiles.largest(format);
        // jME's desktop configuration: every loader it ships, images decoded with its AWT loader.
        assets = JmeSystem.newAssetManager(JmeSystem.class.getResource("/com/jme3/asset/Desktop.cfg"));
        assets.registerLocator(file.getParent().toString(), FileLocator.class);
        long ours = meshforge();
        long theirs = jme();
        if (ours != theirs) {
            System.err.printf("note: %s: meshforge reads %d triangles, jME %d%n", file, ours, theirs);
        }
    }

    @Benchmark
    public long meshforge() {
        try (Scene s = Formats.read(file)) {
            return s.triangleCount();
        }
    }

    @Benchmark
    public long jme() {
        Spatial model = assets.loadModel(new ModelKey(file.getFileName().toString()));
        assets.clearCache();
        long[] triangles = {0};
        model.depthFirstTraversal(s -> {
            if (s instanceof Geometry g) {
                triangles[0] += g.getMesh().getTriangleCount();
            }
        });
        return triangles[0];
    }
}
