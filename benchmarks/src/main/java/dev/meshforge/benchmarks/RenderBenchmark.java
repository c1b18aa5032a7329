// Studio renders of a corpus model: eight views at 1024², kept in memory or written as PNGs with a contact sheet.
package dev.meshforge.benchmarks;

import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.render.RenderOptions;
import dev.meshforge.render.RenderResult;
import dev.meshforge.render.StudioRenderer;
import dev.meshforge.render.View;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The eight named views ({@link View#NAMES}) at 1024² with 4x MSAA, studio lighting, contact shadow, through one
 * GL context opened once per trial (on a machine without a GPU: Mesa's llvmpipe on the CPU). {@code inMemory}
 * stops at the pixels; {@code toPng} also encodes the eight PNGs and the contact sheet. {@code openAndRenderOne}
 * is a cold request: context, shaders, DFG table and environment made anew, then one view at 1024².
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
public class RenderBenchmark {
    @Param({"glb/DamagedHelmet.glb"})
    public String model;

    private Scene scene;
    private StudioRenderer renderer;
    private Path out;
    private RenderOptions eight;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        scene = Formats.read(CorpusFiles.root().resolve(model));
        renderer = StudioRenderer.open();
        out = Files.createTempDirectory("meshforge-bench-render");
        eight = RenderOptions.DEFAULTS.withViews(View.parse(String.join(",", View.NAMES))).withSize(1024, 1024);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        renderer.close();
        scene.close();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public RenderResult inMemory() {
        return renderer.render(scene, eight);
    }

    @Benchmark
    public RenderResult toPng() {
        return renderer.render(scene, eight.withOutput(out, true));
    }

    @Benchmark
    public RenderResult openAndRenderOne() {
        return StudioRenderer.renderOnce(scene, RenderOptions.DEFAULTS);
    }
}
