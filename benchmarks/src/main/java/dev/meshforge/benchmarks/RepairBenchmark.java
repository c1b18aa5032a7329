// Repair at default quality: the corpus ogre (124k triangles, 44 parts, 8,701 intersecting pairs), a generated
// 1M-triangle pair of interpenetrating tori and the corpus soup (stl/broken/soup.stl: 100 large crossing
// triangles, rebuilt as slabs and decimated with the crossing guard), beside two peers run as processes on the
// ogre as STL: admesh (Debian) and CGAL's 3D alpha wrapping (benchmarks/peers/alpha_wrap.cpp, built by
// benchmarks/peers/build.sh).
package dev.meshforge.benchmarks;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.kernel.Kernel;
import dev.meshforge.core.ops.Repair;
import dev.meshforge.core.ops.ToolResult;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.VertexAttribute;
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
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code repairOgre} and {@code repairTori1M} run {@link Repair} on scenes already in memory; {@code admeshOgre}
 * runs {@code admesh} (its default checks and fixes: exact and nearby weld, remove unconnected facets, fill holes,
 * fix normal directions and values) on the same ogre written as binary STL, including its own read and write.
 * admesh does not remove self-intersections, so the comparison is of speed on the same input, not of results.
 * admeshOgre is skipped (reports -1) where admesh is not installed.
 *
 * <p>{@code alphaWrapOgre} runs CGAL's {@code alpha_wrap_3} (watertight, manifold, intersection-free like our
 * volumetric stage) on the same STL, including its read and write; the harness prints the wrap's own time, which
 * is shown after each iteration with the wrap's triangle count. Alpha is the radius of the ball that carves the
 * wrap (openings narrower than about twice alpha stay closed) and offset its distance from the input;
 * {@code alphaWrapOgre} uses alpha = diagonal / 300, about one cell of our default grid (200 cells along the
 * longest side: diagonal / 285 for the ogre), and offset = diagonal / 1200, a quarter cell. At these settings its
 * sampled output-to-input distance (0.36% of the diagonal) matches ours (0.39%); coarser settings are faster but
 * further away: {@code alphaWrapOgreCoarse} uses diagonal / 100 and / 600 (0.96%).
 * After each alpha-wrap trial both one-sided Hausdorff distances of the last wrap to the ogre are printed, measured
 * by our kernel as the repair measures its own (printed after repairOgre's trial), and what of the ogre it lost
 * ({@link Kernel#lost}: input surface outside the wrap and off it), beside the same measure of our last output
 * against the whole ogre (the repair's own {@code lost} leaves out the small parts it drops by design). Both are
 * skipped (report -1) where the harness is not built.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx6g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class RepairBenchmark {
    private Scene ogre;
    private Path ogreStl;
    private Path admeshOut;
    private Path wrapOut;
    private Path wrapLog;
    private boolean wrapped;
    private ToolResult<Repair.Report> lastRepair;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        ogre = Formats.read(CorpusFiles.root().resolve("obj/ogre_124k.obj"));
        ogreStl = Files.createTempFile("meshforge-bench-ogre", ".stl");
        admeshOut = Files.createTempFile("meshforge-bench-ogre-admesh", ".stl");
        wrapOut = Files.createTempFile("meshforge-bench-ogre-alpha-wrap", ".stl");
        wrapLog = Files.createTempFile("meshforge-bench-ogre-alpha-wrap", ".log");
        Formats.write(ogre, ogreStl, Format.STL, WriteOptions.DEFAULTS);
    }

    @TearDown(Level.Iteration)
    public void reportIteration() throws IOException {
        if (wrapped) {
            System.out.print("alpha_wrap: " + Files.readString(wrapLog).strip() + "  ");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (lastRepair != null) {
            System.out.printf("%nours: triangles=%d hausdorff out->in=%.3f%% in->out=%.3f%% lost=%.3f%% of the "
                    + "diagonal (%.3f%% of the area)%n", lastRepair.report().after().triangles(),
                    100 * lastRepair.report().hausdorffOutIn(), 100 * lastRepair.report().hausdorffInOut(),
                    100 * lastRepair.report().lost(), 100 * lastRepair.report().lostArea());
            try (ToolResult<Repair.Report> again = Repair.run(ogre)) {
                printLost("ours", again.scene());
            }
        }
        if (wrapped) {
            try (Arena scratch = Arena.ofConfined(); Scene wrap = Formats.read(wrapOut)) {
                double[] h = Kernel.hausdorff(ogre.worldTriangles(scratch), wrap.worldTriangles(scratch), 100_000);
                System.out.printf("%nalpha_wrap: hausdorff out->in=%.3f%% in->out=%.3f%% of the diagonal%n",
                        100 * h[1] / h[2], 100 * h[0] / h[2]);
                printLost("alpha_wrap", wrap);
            }
        }
        ogre.close();
        Files.deleteIfExists(ogreStl);
        Files.deleteIfExists(admeshOut);
        Files.deleteIfExists(wrapOut);
        Files.deleteIfExists(wrapLog);
    }

    /** What of the whole ogre the closed output lost, measured by mf_lost as the repair measures its own. */
    private void printLost(String who, Scene output) {
        try (Arena scratch = Arena.ofConfined()) {
            double[] lost = Kernel.lost(ogre.worldTriangles(scratch), output.worldTriangles(scratch), 100_000);
            System.out.printf("%s: lost of the whole ogre=%.3f%% of the diagonal (%.3f%% of the area)%n", who,
                    100 * lost[0], 100 * lost[1]);
        }
    }

    @Benchmark
    public long repairOgre() {
        ToolResult<Repair.Report> r = Repair.run(ogre);
        lastRepair = r;
        try {
            return r.report().after().triangles();
        } finally {
            if (r.scene() != ogre) {
                r.scene().close();
            }
        }
    }

    /** A generated or read input in a state of its own, closed after its benchmark's trial. */
    public abstract static class Input {
        Scene scene;

        @TearDown(Level.Trial)
        public void close() {
            scene.close();
        }
    }

    /** The tori, so that only repairTori1M's trial spends the time to generate them. */
    @State(Scope.Benchmark)
    public static class Tori extends Input {
        @Setup(Level.Trial)
        public void setUp() {
            scene = twoTori(707, 354); // 2 * 2 * 707 * 354 = 1,001,112 triangles
        }
    }

    @Benchmark
    public long repairTori1M(Tori tori) {
        return repairedTriangles(tori.scene);
    }

    /** Repairs scene and returns the result's triangle count, closing the result where it is a new scene. */
    private static long repairedTriangles(Scene scene) {
        ToolResult<Repair.Report> r = Repair.run(scene);
        try {
            return r.report().after().triangles();
        } finally {
            if (r.scene() != scene) {
                r.scene().close();
            }
        }
    }

    /** The soup, read only for repairSoup's trial. */
    @State(Scope.Benchmark)
    public static class Soup extends Input {
        @Setup(Level.Trial)
        public void read() throws IOException {
            scene = Formats.read(CorpusFiles.root().resolve("stl/broken/soup.stl"));
        }
    }

    @Benchmark
    public long repairSoup(Soup soup) {
        return repairedTriangles(soup.scene);
    }

    @Benchmark
    public int admeshOgre() throws IOException, InterruptedException {
        Path admesh = Path.of("/usr/bin/admesh");
        if (!Files.isExecutable(admesh)) {
            return -1;
        }
        Process p = new ProcessBuilder(admesh.toString(), "-b", admeshOut.toString(), ogreStl.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor();
    }

    @Benchmark
    public int alphaWrapOgre() throws IOException, InterruptedException {
        return alphaWrap("300", "1200");
    }

    @Benchmark
    public int alphaWrapOgreCoarse() throws IOException, InterruptedException {
        return alphaWrap("100", "600");
    }

    /** Runs the harness with alpha = diagonal / relativeAlpha and offset = diagonal / relativeOffset. */
    private int alphaWrap(String relativeAlpha, String relativeOffset) throws IOException, InterruptedException {
        String override = System.getProperty("meshforge.alphawrap", System.getenv("MESHFORGE_ALPHA_WRAP"));
        Path harness = Path.of(override != null ? override : "benchmarks/peers/build/alpha_wrap");
        if (!Files.isExecutable(harness)) {
            return -1;
        }
        Process p = new ProcessBuilder(harness.toString(), ogreStl.toString(), wrapOut.toString(), relativeAlpha,
                relativeOffset).redirectErrorStream(true).redirectOutput(wrapLog.toFile()).start();
        int status = p.waitFor();
        wrapped = status == 0;
        return status;
    }

    /** Two tori (major radius 1, minor 0.35) crossing each other: one solid with a long intersection curve. */
    static Scene twoTori(int rings, int segments) {
        Scene scene = new Scene();
        Mesh mesh = new Mesh("tori");
        for (int t = 0; t < 2; t++) {
            long vertices = (long) rings * segments;
            MemorySegment pos = scene.allocateFloats(vertices * 3);
            MemorySegment idx = scene.allocateInts(vertices * 6);
            for (int i = 0; i < rings; i++) {
                double u = 2 * Math.PI * i / rings;
                for (int j = 0; j < segments; j++) {
                    double v = 2 * Math.PI * j / segments;
                    double r = 1 + 0.35 * Math.cos(v);
                    double x = r * Math.cos(u);
                    double y = r * Math.sin(u);
                    double z = 0.35 * Math.sin(v);
                    long at = ((long) i * segments + j) * 3;
                    // the second torus: turned 90 degrees about x and shifted by 0.6 along x, so that the tubes cross
                    pos.setAtIndex(ValueLayout.JAVA_FLOAT, at, (float) (t == 0 ? x : x + 0.6));
                    pos.setAtIndex(ValueLayout.JAVA_FLOAT, at + 1, (float) (t == 0 ? y : z));
                    pos.setAtIndex(ValueLayout.JAVA_FLOAT, at + 2, (float) (t == 0 ? z : -y));
                }
            }
            long k = 0;
            for (int i = 0; i < rings; i++) {
                for (int j = 0; j < segments; j++) {
                    int a = i * segments + j;
                    int b = ((i + 1) % rings) * segments + j;
                    int c = ((i + 1) % rings) * segments + (j + 1) % segments;
                    int d = i * segments + (j + 1) % segments;
                    for (int q : new int[] {a, b, c, a, c, d}) {
                        idx.setAtIndex(ValueLayout.JAVA_INT, k++, q);
                    }
                }
            }
            mesh.add(new Primitive(Topology.TRIANGLES, new VertexAttribute(VertexAttribute.POSITION, 3, vertices, pos),
                    idx, k));
        }
        scene.addRoot(new Node("tori").mesh(mesh));
        return scene;
    }
}
