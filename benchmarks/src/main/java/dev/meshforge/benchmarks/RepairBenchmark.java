// Repair at default quality: the corpus ogre (124k triangles, 44 parts, 8,701 intersecting pairs) and a generated
// 1M-triangle pair of interpenetrating tori, beside admesh (a Debian peer, run as a process) on the ogre as STL.
package dev.meshforge.benchmarks;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.ops.Repair;
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
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx6g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class RepairBenchmark {
    private Scene ogre;
    private Scene tori;
    private Path ogreStl;
    private Path admeshOut;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        ogre = Formats.read(CorpusFiles.root().resolve("obj/ogre_124k.obj"));
        tori = twoTori(707, 354); // 2 * 2 * 707 * 354 = 1,001,112 triangles
        ogreStl = Files.createTempFile("meshforge-bench-ogre", ".stl");
        admeshOut = Files.createTempFile("meshforge-bench-ogre-admesh", ".stl");
        Formats.write(ogre, ogreStl, Format.STL, WriteOptions.DEFAULTS);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        ogre.close();
        tori.close();
        Files.deleteIfExists(ogreStl);
        Files.deleteIfExists(admeshOut);
    }

    @Benchmark
    public long repairOgre() {
        Repair.Result r = Repair.run(ogre);
        try {
            return r.after().triangles();
        } finally {
            if (r.scene() != ogre) {
                r.scene().close();
            }
        }
    }

    @Benchmark
    public long repairTori1M() {
        Repair.Result r = Repair.run(tori);
        try {
            return r.after().triangles();
        } finally {
            if (r.scene() != tori) {
                r.scene().close();
            }
        }
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
