// STL written by us reads back bit for bit, in both encodings, and in millimetres where units are declared.
package dev.meshforge.core.io.stl;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.Units;
import dev.meshforge.core.scene.VertexAttribute;
import dev.meshforge.core.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StlWriterTest {
    @TempDir
    Path dir;

    /** A scene of n random triangles with awkward float values (tiny, huge, negative zero). */
    private static Scene randomScene(int n, long seed) {
        Scene s = new Scene();
        Random r = new Random(seed);
        MemorySegment pos = s.allocateFloats(n * 9L);
        for (long i = 0; i < n * 9L; i++) {
            float f = switch (r.nextInt(4)) {
                case 0 -> (float) r.nextGaussian() * 1e-7f;
                case 1 -> (float) r.nextGaussian() * 1e6f;
                case 2 -> -0f;
                default -> r.nextFloat();
            };
            pos.setAtIndex(ValueLayout.JAVA_FLOAT, i, f);
        }
        MemorySegment idx = s.allocateInts(n * 3L);
        for (int i = 0; i < n * 3; i++) {
            idx.setAtIndex(ValueLayout.JAVA_INT, i, i);
        }
        Primitive p = new Primitive(Topology.TRIANGLES, new VertexAttribute("POSITION", 3, n * 3L, pos), idx, n * 3L);
        s.addRoot(new Node("r").mesh(new Mesh("r").add(p)));
        s.units(Units.STL_ASSUMED);
        return s;
    }

    private static void assertSameCorners(Scene a, Scene b) {
        Primitive pa = a.roots().get(0).mesh().primitives().get(0);
        Primitive pb = b.roots().get(0).mesh().primitives().get(0);
        assertEquals(pa.triangleCount(), pb.triangleCount());
        for (long i = 0; i < pa.indexCount(); i++) {
            for (int c = 0; c < 3; c++) {
                float x = pa.positions().get(pa.index(i), c);
                float y = pb.positions().get(pb.index(i), c);
                assertEquals(Float.floatToIntBits(x), Float.floatToIntBits(y), "corner " + i + " axis " + c);
            }
        }
    }

    @Test
    void binaryRoundTripKeepsEveryBit() throws IOException {
        Path out = dir.resolve("rt.stl");
        try (Scene s = randomScene(500, 1)) {
            Formats.write(s, out, Format.STL, WriteOptions.DEFAULTS);
            assertEquals(84 + 50 * 500, Files.size(out));
            try (Scene back = Formats.read(out)) {
                assertSameCorners(s, back);
            }
        }
    }

    @Test
    void asciiRoundTripKeepsEveryBit() throws IOException {
        Path out = dir.resolve("rt-ascii.stl");
        try (Scene s = randomScene(500, 2)) {
            Formats.write(s, out, Format.STL, new WriteOptions(true));
            assertEquals("solid", Files.readString(out).substring(0, 5));
            try (Scene back = Formats.read(out)) {
                assertSameCorners(s, back);
            }
        }
    }

    @Test
    void declaredMetresAreWrittenAsMillimetresWithNodeTransformsApplied() throws IOException {
        Path in = dir.resolve("cube.stl");
        Files.write(in, Fixtures.binaryStl("", 12, Fixtures.cube()));
        Path out = dir.resolve("cube-mm.stl");
        try (Scene s = Formats.read(in)) {
            s.units(Units.GLTF);
            s.roots().get(0).local(Transform.translation(2, 0, 0));
            Formats.write(s, out, Format.STL, WriteOptions.DEFAULTS);
        }
        try (Scene back = Formats.read(out)) {
            Primitive p = back.roots().get(0).mesh().primitives().get(0);
            float minX = Float.MAX_VALUE;
            float maxX = -Float.MAX_VALUE;
            for (long v = 0; v < p.vertexCount(); v++) {
                minX = Math.min(minX, p.positions().get(v, 0));
                maxX = Math.max(maxX, p.positions().get(v, 0));
            }
            assertEquals(2000f, minX);
            assertEquals(3000f, maxX);
        }
    }
}
