// Hollowing a closed scan for printing: the corpus scallop (120k triangles, closed and manifold) scaled to a height in
// millimetres, hollowed at a 2 mm wall at default quality, beside PrusaSlicer's SLA hollowing of the same mesh run as
// a process.
package dev.meshforge.benchmarks;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.ops.Hollow;
import dev.meshforge.core.ops.LengthUnit;
import dev.meshforge.core.ops.Scale;
import dev.meshforge.core.ops.ToolResult;
import dev.meshforge.core.scene.Scene;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code hollowAutoHoles} runs {@link Hollow} with its defaults (2 mm wall, default quality: a cell of a quarter of
 * the wall, a 3 mm drain hole at the lowest point of every cavity) and {@code hollowNoHoles} the same without holes,
 * on the scallop already in memory, scaled to {@code heightMm}. After each iteration the measured minimum wall of the
 * result (the least distance from the inner surface to the exact outer one, from every inner vertex, face centre and
 * edge midpoint) and the peak resident set of this JVM during the iteration (VmHWM, reset before each iteration
 * through /proc/self/clear_refs) are printed.
 *
 * <p>{@code prusaSlicerSla} runs PrusaSlicer's SLA hollowing (OpenVDB, the same 2 mm minimum wall, no supports and
 * no pad) on the same scaled mesh written as binary STL, including its own read and its slicing into layer images:
 * {@code prusa-slicer --export-sla --printer-technology SLA --hollowing-enable --hollowing-min-thickness 2
 * --supports-enable=0 --pad-enable=0 --bed-shape 0x0,300x0,300x300,0x300 --display-width 300 --display-height 300
 * --output OUT.sl1 IN.stl}. It writes slice images only (no hollowed mesh), so its wall cannot be measured here; its
 * peak resident set is read through {@code /usr/bin/time -f %M}. Skipped (reports -1) where prusa-slicer is not
 * installed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class HollowBenchmark {
    /** The scallop's height after scaling, mm. */
    @Param({"60"})
    public double heightMm;

    private Scene source;
    private ToolResult<Scale.Report> scaled;
    private Scene scallop;
    private Path stl;
    private Path sl1;
    private Path timeLog;
    private Hollow.Report lastReport;
    private boolean prusaRan;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        // The scaled scene may share the read one's buffers: both stay open for the trial.
        source = Formats.read(CorpusFiles.root().resolve("glb/scallop_120k.glb"));
        scaled = Scale.run(source, Scale.Options.height(heightMm, LengthUnit.MM));
        scallop = scaled.scene();
        stl = Files.createTempFile("meshforge-bench-scallop", ".stl");
        sl1 = Files.createTempFile("meshforge-bench-scallop", ".sl1");
        timeLog = Files.createTempFile("meshforge-bench-scallop-prusa", ".log");
        Formats.write(scallop, stl, Format.STL, WriteOptions.DEFAULTS);
    }

    @Setup(Level.Iteration)
    public void resetPeak() {
        lastReport = null;
        prusaRan = false;
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            // not Linux or not allowed: the peak printed is then the process's since it started
        }
    }

    @TearDown(Level.Iteration)
    public void reportIteration() throws IOException {
        if (lastReport != null) {
            System.out.printf(Locale.ROOT, "  [ours: wall %.4g mm asked, %.4g mm measured; %d cavities, %d drained, "
                    + "%d holes; %d triangles out; peak RSS %d MiB]", lastReport.wall(), lastReport.minWall(),
                    lastReport.cavities(), lastReport.cavitiesDrained(), lastReport.holes(),
                    lastReport.trianglesOut(), peakRssKiB() / 1024);
        }
        if (prusaRan) {
            String kib = Files.readString(timeLog).strip();
            String last = kib.isEmpty() ? "-1" : kib.substring(kib.lastIndexOf('\n') + 1).strip();
            System.out.printf(Locale.ROOT, "  [prusa-slicer: wall not measurable (slice images only); peak RSS %s "
                    + "MiB]", last.matches("\\d+") ? String.valueOf(Long.parseLong(last) / 1024) : "?");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        scaled.close();
        source.close();
        Files.deleteIfExists(stl);
        Files.deleteIfExists(sl1);
        Files.deleteIfExists(timeLog);
    }

    @Benchmark
    public long hollowAutoHoles() {
        return hollow(Hollow.Options.DEFAULTS);
    }

    @Benchmark
    public long hollowNoHoles() {
        return hollow(Hollow.Options.DEFAULTS.withHoles(Hollow.Holes.NONE));
    }

    private long hollow(Hollow.Options options) {
        try (ToolResult<Hollow.Report> r = Hollow.run(scallop, options)) {
            lastReport = r.report();
            return r.report().trianglesOut();
        }
    }

    @Benchmark
    public int prusaSlicerSla() throws IOException, InterruptedException {
        Path prusa = Path.of("/usr/bin/prusa-slicer");
        if (!Files.isExecutable(prusa)) {
            return -1;
        }
        List<String> command = new ArrayList<>();
        Path time = Path.of("/usr/bin/time");
        if (Files.isExecutable(time)) {
            command.addAll(List.of(time.toString(), "-f", "%M", "-o", timeLog.toString()));
        }
        command.addAll(List.of(prusa.toString(), "--export-sla", "--printer-technology", "SLA",
                "--hollowing-enable", "--hollowing-min-thickness", "2", "--supports-enable=0", "--pad-enable=0",
                "--bed-shape", "0x0,300x0,300x300,0x300", "--display-width", "300", "--display-height", "300",
                "--output", sl1.toString(), stl.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int status = p.waitFor();
        prusaRan = status == 0;
        return status;
    }

    /** VmHWM of this process in KiB, -1 where /proc cannot be read. */
    private static long peakRssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
