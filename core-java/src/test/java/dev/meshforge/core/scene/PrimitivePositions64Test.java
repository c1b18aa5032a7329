package dev.meshforge.core.scene;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The float64 copy of the positions can never describe positions that moved. */
class PrimitivePositions64Test {
    /** One triangle at x = 0.1 (not a float32 value), with its exact float64 copy. */
    private static Primitive triangle(Scene scene) {
        double[] exact = {0.1, 0, 0, 1.1, 0, 0, 0.1, 1, 0};
        MemorySegment pos = scene.allocateFloats(9);
        MemorySegment pos64 = scene.arena().allocate(ValueLayout.JAVA_DOUBLE, 9);
        for (int i = 0; i < 9; i++) {
            pos.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) exact[i]);
            pos64.setAtIndex(ValueLayout.JAVA_DOUBLE, i, exact[i]);
        }
        MemorySegment idx = scene.allocateInts(3);
        idx.setAtIndex(ValueLayout.JAVA_INT, 1, 1);
        idx.setAtIndex(ValueLayout.JAVA_INT, 2, 2);
        Primitive p = new Primitive(Topology.TRIANGLES, new VertexAttribute(VertexAttribute.POSITION, 3, 3, pos), idx, 3)
                .positions64(pos64);
        scene.addRoot(new Node("t").mesh(new Mesh("t").add(p)));
        return p;
    }

    private static VertexAttribute shifted(Scene scene, Primitive p, float dx) {
        MemorySegment seg = scene.allocateFloats(9);
        VertexAttribute moved = new VertexAttribute(VertexAttribute.POSITION, 3, 3, seg);
        for (int v = 0; v < 3; v++) {
            for (int c = 0; c < 3; c++) {
                moved.set(v, c, p.positions().get(v, c) + (c == 0 ? dx : 0));
            }
        }
        return moved;
    }

    @Test
    void replacingPositionsDropsTheirFloat64Copy() {
        try (Scene scene = new Scene(); Arena a = Arena.ofConfined()) {
            Primitive p = triangle(scene);
            assertTrue(scene.worldTriangles(a).float64());
            p.put(shifted(scene, p, 1));
            assertNull(p.positions64());
            TriangleMesh world = scene.worldTriangles(a);
            assertFalse(world.float64());
            // the world triangles are the moved float32 positions, not the old exact ones
            assertEquals((float) 0.1f + 1f, world.positions().getAtIndex(ValueLayout.JAVA_FLOAT, 0));
        }
    }

    @Test
    void movingPositionsWithTheirExactCopyKeepsIt() {
        try (Scene scene = new Scene(); Arena a = Arena.ofConfined()) {
            Primitive p = triangle(scene);
            MemorySegment exact = scene.arena().allocate(ValueLayout.JAVA_DOUBLE, 9);
            for (int i = 0; i < 9; i++) {
                exact.setAtIndex(ValueLayout.JAVA_DOUBLE, i, p.positions64().getAtIndex(ValueLayout.JAVA_DOUBLE, i)
                        + (i % 3 == 0 ? 1 : 0));
            }
            p.movePositions(shifted(scene, p, 1), exact);
            assertSame(exact, p.positions64());
            TriangleMesh world = scene.worldTriangles(a);
            assertTrue(world.float64());
            assertEquals(1.1, world.positions().getAtIndex(ValueLayout.JAVA_DOUBLE, 0), 1e-15);
        }
    }
}
