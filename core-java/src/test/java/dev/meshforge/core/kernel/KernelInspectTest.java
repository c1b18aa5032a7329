// The kernel through FFM: reports on meshes whose answers are known by construction, and error mapping.
package dev.meshforge.core.kernel;

import dev.meshforge.core.CancelledException;
import dev.meshforge.core.KernelException;
import dev.meshforge.core.inspect.MeshReport;
import dev.meshforge.core.scene.TriangleMesh;
import dev.meshforge.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelInspectTest {
    /** Triangle soup of the given corners (3 vertices per triangle), scaled and shifted. */
    private static TriangleMesh soup(Arena arena, float[][] tris, float scale, float dx) {
        MemorySegment pos = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, tris.length * 9L));
        MemorySegment idx = arena.allocate(ValueLayout.JAVA_INT, Math.max(1, tris.length * 3L));
        for (int t = 0; t < tris.length; t++) {
            for (int k = 0; k < 9; k++) {
                pos.setAtIndex(ValueLayout.JAVA_FLOAT, t * 9L + k, tris[t][k] * scale + (k % 3 == 0 ? dx : 0));
            }
            for (int k = 0; k < 3; k++) {
                idx.setAtIndex(ValueLayout.JAVA_INT, t * 3L + k, t * 3 + k);
            }
        }
        return new TriangleMesh(pos, tris.length * 3L, idx, tris.length);
    }

    @Test
    void closedCubeIsWatertightWithItsVolumeAreaAndBounds() {
        try (Arena a = Arena.ofConfined()) {
            MeshReport r = Kernel.inspect(soup(a, Fixtures.cube(), 2f, 1f), InspectOptions.DEFAULTS);
            assertEquals(8, r.vertices());
            assertEquals(12, r.triangles());
            assertEquals(0, r.holes());
            assertEquals(0, r.openEdges());
            assertEquals(0, r.nonManifoldEdges());
            assertEquals(0, r.inconsistentOrientationEdges());
            assertEquals(1, r.components());
            assertEquals(0, r.intersectingPairs());
            assertTrue(r.watertight());
            assertEquals(8.0, r.volume(), 1e-12);
            assertEquals(24.0, r.area(), 1e-12);
            assertArrayEquals(new double[] {1, 0, 0}, r.bboxMin());
            assertArrayEquals(new double[] {3, 2, 2}, r.bboxMax());
        }
    }

    @Test
    void cubeWithoutItsTopHasOneHoleOfFourEdges() {
        float[][] cube = Fixtures.cube();
        float[][] open = new float[10][];
        int n = 0;
        for (int t = 0; t < 12; t++) {
            if (t != 2 && t != 3) { // faces 2 and 3 are the z = 1 side
                open[n++] = cube[t];
            }
        }
        try (Arena a = Arena.ofConfined()) {
            MeshReport r = Kernel.inspect(soup(a, open, 1f, 0f), InspectOptions.DEFAULTS);
            assertEquals(1, r.holes());
            assertEquals(4, r.openEdges());
            assertFalse(r.watertight());
        }
    }

    @Test
    void oneFlippedFaceMakesThreeInconsistentEdges() {
        float[][] cube = Fixtures.cube();
        float[] t = cube[4];
        cube[4] = new float[] {t[0], t[1], t[2], t[6], t[7], t[8], t[3], t[4], t[5]};
        try (Arena a = Arena.ofConfined()) {
            MeshReport r = Kernel.inspect(soup(a, cube, 1f, 0f), InspectOptions.DEFAULTS);
            assertEquals(3, r.inconsistentOrientationEdges());
            assertFalse(r.watertight());
        }
    }

    @Test
    void twoInterpenetratingCubesAreTwoComponentsThatIntersect() {
        float[][] cube = Fixtures.cube();
        float[][] both = new float[24][];
        System.arraycopy(cube, 0, both, 0, 12);
        for (int t = 0; t < 12; t++) {
            both[12 + t] = cube[t].clone();
            for (int k = 0; k < 9; k++) {
                both[12 + t][k] += 0.5f;
            }
        }
        try (Arena a = Arena.ofConfined()) {
            MeshReport r = Kernel.inspect(soup(a, both, 1f, 0f), InspectOptions.DEFAULTS);
            assertEquals(2, r.components());
            assertTrue(r.intersectingPairs() > 0, "pairs: " + r.intersectingPairs());
            MeshReport skipped = Kernel.inspect(soup(a, both, 1f, 0f),
                    InspectOptions.DEFAULTS.withIntersections(false));
            assertEquals(0, skipped.intersectingPairs());
        }
    }

    @Test
    void emptyMeshGivesAnAllZeroReport() {
        try (Arena a = Arena.ofConfined()) {
            MeshReport r = Kernel.inspect(soup(a, new float[0][], 1f, 0f), InspectOptions.DEFAULTS);
            assertEquals(0, r.triangles());
            assertEquals(0, r.vertices());
            assertEquals(0, r.components());
        }
    }

    @Test
    void indexOutOfRangeIsRefusedWithAMessage() {
        try (Arena a = Arena.ofConfined()) {
            TriangleMesh m = soup(a, Fixtures.cube(), 1f, 0f);
            m.indices().setAtIndex(ValueLayout.JAVA_INT, 7, 1000);
            KernelException e = assertThrows(KernelException.class, () -> Kernel.inspect(m, InspectOptions.DEFAULTS));
            assertEquals(1, e.status());
            assertTrue(e.getMessage().contains("1000"), e.getMessage());
        }
    }

    @Test
    void nanCoordinateIsRefused() {
        try (Arena a = Arena.ofConfined()) {
            TriangleMesh m = soup(a, Fixtures.cube(), 1f, 0f);
            m.positions().setAtIndex(ValueLayout.JAVA_FLOAT, 4, Float.NaN);
            KernelException e = assertThrows(KernelException.class, () -> Kernel.inspect(m, InspectOptions.DEFAULTS));
            assertEquals(1, e.status());
        }
    }

    @Test
    void progressListenerSeesProgressAndCanCancel() {
        try (Arena a = Arena.ofConfined()) {
            TriangleMesh m = soup(a, Fixtures.cube(), 1f, 0f);
            AtomicInteger calls = new AtomicInteger();
            Kernel.inspect(m, InspectOptions.DEFAULTS.withProgress((f, stage) -> {
                calls.incrementAndGet();
                return true;
            }));
            assertTrue(calls.get() > 0);
            assertThrows(CancelledException.class,
                    () -> Kernel.inspect(m, InspectOptions.DEFAULTS.withProgress((f, stage) -> false)));
            // A listener that throws cancels the call; nothing unwinds through native frames.
            KernelException e = assertThrows(KernelException.class, () -> Kernel.inspect(m,
                    InspectOptions.DEFAULTS.withProgress((f, stage) -> {
                        throw new IllegalStateException("listener broke");
                    })));
            assertTrue(e.getMessage().contains("listener broke"), e.getMessage());
        }
    }

    @Test
    void kernelReportsItsVersion() {
        assertTrue(Kernel.version().matches("\\d+\\.\\d+\\.\\d+.*"), Kernel.version());
    }
}
