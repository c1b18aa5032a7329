// Reading the largest corpus FBX with meshforge and with assimp (lwjgl-assimp) in the same run.
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code meshforgeRead} is {@code Formats.read} (parse, triangulate, skins) into an off-heap scene;
 * {@code assimpRead} is assimp's import with triangulation, its nearest equivalent; {@code assimpParseOnly}
 * imports without post-processing. The file is the largest FBX outside {@code fbx/broken} in the corpus
 * ({@code -Dmeshforge.corpus}, {@code MESHFORGE_CORPUS}, or {@code ../shared/corpus}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FbxReadBenchmark {
    private Path file;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path corpus = corpus();
        try (Stream<Path> files = Files.list(corpus.resolve("fbx"))) {
            List<Path> fbx = files.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".fbx"))
                    .filter(Files::isRegularFile).toList();
            file = fbx.stream().max(Comparator.comparingLong(FbxReadBenchmark::size))
                    .orElseThrow(() -> new IllegalStateException("no FBX in " + corpus.resolve("fbx")));
        }
        System.out.println("\nFBX file: " + file + " (" + size(file) + " bytes)");
    }

    private static Path corpus() {
        String p = System.getProperty("meshforge.corpus", System.getenv("MESHFORGE_CORPUS"));
        for (String candidate : new String[] {p, "../shared/corpus", "../../shared/corpus"}) {
            if (candidate != null && Files.isDirectory(Path.of(candidate, "fbx"))) {
                return Path.of(candidate);
            }
        }
        throw new IllegalStateException("the corpus is not found: set -Dmeshforge.corpus or MESHFORGE_CORPUS");
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    @Benchmark
    public long meshforgeRead() {
        try (Scene s = Formats.read(file)) {
            return s.triangleCount();
        }
    }

    @Benchmark
    public long assimpRead() {
        AIScene s = Assimp.aiImportFile(file.toString(), Assimp.aiProcess_Triangulate);
        if (s == null) {
            throw new IllegalStateException(Assimp.aiGetErrorString());
        }
        try {
            return s.mNumMeshes();
        } finally {
            Assimp.aiReleaseImport(s);
        }
    }

    @Benchmark
    public long assimpParseOnly() {
        AIScene s = Assimp.aiImportFile(file.toString(), 0);
        if (s == null) {
            throw new IllegalStateException(Assimp.aiGetErrorString());
        }
        try {
            return s.mNumMeshes();
        } finally {
            Assimp.aiReleaseImport(s);
        }
    }
}
