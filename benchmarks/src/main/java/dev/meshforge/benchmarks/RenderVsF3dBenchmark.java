// Eight studio views at 1024² of a 100k-triangle textured model, beside f3d (Debian) rendering the same views at
// the same size with anti-aliasing, both on the CPU (Mesa llvmpipe) on a machine without a GPU.
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The input is {@link TexturedTorusGlb} at 224 x 224 (100,352 triangles, a 1024² texture), written once per trial.
 * {@code meshforge} is one request as a user's process makes it: read the GLB, open the GL context, render the
 * eight named views ({@link View#NAMES}) at 1024² with 4x MSAA and the contact shadow, write the eight PNGs.
 * {@code f3d} runs Debian's f3d once per view (it renders one image per process), each reading the same GLB and
 * writing a 1024² PNG with FXAA and a transparent background at the view's azimuth and elevation, drawing into a
 * virtual X display (Xvfb, started once per trial), also through llvmpipe. Per-frame time is the score over 8.
 * Peak memory is printed at the end of each trial: the benchmark JVM's VmHWM for meshforge (the JVM included),
 * the largest maximum resident set of the f3d processes (GNU time's %M). {@code f3d} reports -1 where f3d, Xvfb or
 * /usr/bin/time is missing (Debian packages f3d, xvfb, time).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class RenderVsF3dBenchmark {
    private static final Path F3D = Path.of("/usr/bin/f3d");
    private static final Path XVFB = Path.of("/usr/bin/Xvfb");
    private static final Path TIME = Path.of("/usr/bin/time");

    private Path dir;
    private Path model;
    private List<View> views;
    private Process xvfb;
    private String display;
    private long f3dPeakKb = -1;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("meshforge-bench-f3d");
        model = dir.resolve("torus100k.glb");
        TexturedTorusGlb.write(model, 224, 224);
        views = View.parse(String.join(",", View.NAMES));
        if (Files.isExecutable(F3D) && Files.isExecutable(XVFB) && Files.isExecutable(TIME)) {
            xvfb = new ProcessBuilder(XVFB.toString(), "-displayfd", "1", "-screen", "0", "1280x1280x24",
                    "-nolisten", "tcp").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(xvfb.getInputStream(), StandardCharsets.US_ASCII));
            display = ":" + r.readLine().strip();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (xvfb != null) {
            xvfb.destroy();
        }
        System.out.printf(Locale.ROOT, "%npeak resident memory: this JVM %d MB (VmHWM)%s%n", vmHwmKb() / 1024,
                f3dPeakKb < 0 ? "" : String.format(Locale.ROOT, ", f3d %d MB (largest of its processes)",
                        f3dPeakKb / 1024));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public RenderResult meshforge() {
        try (Scene scene = Formats.read(model)) {
            return StudioRenderer.renderOnce(scene, RenderOptions.DEFAULTS.withViews(views).withSize(1024, 1024)
                    .withOutput(dir.resolve("meshforge"), false));
        }
    }

    @Benchmark
    public int f3d() throws IOException, InterruptedException {
        if (display == null) {
            return -1;
        }
        Path out = Files.createDirectories(dir.resolve("f3d"));
        Path memory = dir.resolve("f3d-memory.txt");
        int written = 0;
        for (View v : views) {
            List<String> command = new ArrayList<>(List.of(TIME.toString(), "-f", "%M", "-o", memory.toString(),
                    F3D.toString(), "--output=" + out.resolve(v.name() + ".png"), "--resolution=1024,1024", "--fxaa",
                    "--no-background", "--up=+Y",
                    "--camera-azimuth-angle=" + v.azimuth(),
                    "--camera-elevation-angle=" + Math.max(-89, Math.min(89, v.elevation())),
                    model.toString()));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("DISPLAY", display);
            Process p = pb.start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("f3d failed on view " + v.name() + " (exit " + p.exitValue() + ")");
            }
            f3dPeakKb = Math.max(f3dPeakKb, Long.parseLong(Files.readString(memory).strip().lines()
                    .reduce((a, b) -> b).orElse("0").strip()));
            written++;
        }
        return written;
    }

    private static long vmHwmKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
