// mf_repair through FFM: attributes travel in the mesh struct and come back on the output's vertices; the
// memory and time limits of the options reach the kernel; mf_lost measures any pair.
package dev.meshforge.core.kernel;

import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.ProgressListener;
import dev.meshforge.core.scene.TriangleMesh;
import dev.meshforge.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelRepairTest {
    /** The unit cube as a soup of 36 vertices without its last triangle: one hole of three edges. */
    private static TriangleMesh cubeMissingATriangle(Arena arena) {
        return cubeSoup(arena, Fixtures.cube().length - 1, 1f);
    }

    /** The first n triangles of the unit cube scaled about the origin, as a soup. */
    private static TriangleMesh cubeSoup(Arena arena, int n, float scale) {
        float[][] tris = Fixtures.cube();
        MemorySegment pos = arena.allocate(ValueLayout.JAVA_FLOAT, n * 9L);
        MemorySegment idx = arena.allocate(ValueLayout.JAVA_INT, n * 3L);
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < 9; k++) {
                pos.setAtIndex(ValueLayout.JAVA_FLOAT, t * 9L + k, scale * tris[t][k]);
            }
            for (int k = 0; k < 3; k++) {
                idx.setAtIndex(ValueLayout.JAVA_INT, t * 3L + k, t * 3 + k);
            }
        }
        return new TriangleMesh(pos, n * 3L, idx, n);
    }

    @Test
    void attributesInTheMeshComeBackOnEveryOutputVertex() {
        try (Arena a = Arena.ofConfined()) {
            TriangleMesh mesh = cubeMissingATriangle(a);
            MemorySegment uv = a.allocate(ValueLayout.JAVA_FLOAT, mesh.vertexCount() * 2);
            for (long v = 0; v < mesh.vertexCount(); v++) {
                uv.setAtIndex(ValueLayout.JAVA_FLOAT, 2 * v, 0.25f);
                uv.setAtIndex(ValueLayout.JAVA_FLOAT, 2 * v + 1, 0.75f);
            }
            KernelRepairResult r = Kernel.repair(KernelMesh.of(mesh).withAttributes(uv, 2), KernelRepairOptions.DEFAULTS, a);
            assertEquals(1, r.stage(), "topological");
            assertEquals(1, r.holesFilled());
            assertEquals(12, r.after().triangles());
            assertTrue(r.after().watertight());
            assertEquals(2, r.attributeCount());
            assertNotNull(r.attributes());
            for (long v = 0; v < r.vertexCount(); v++) {
                assertEquals(0.25f, r.attributes().getAtIndex(ValueLayout.JAVA_FLOAT, 2 * v), "u of vertex " + v);
                assertEquals(0.75f, r.attributes().getAtIndex(ValueLayout.JAVA_FLOAT, 2 * v + 1), "v of vertex " + v);
            }
            // The old entry point puts them in the same struct.
            KernelRepairResult old = Kernel.repair(mesh, uv, 2, KernelRepairOptions.DEFAULTS, a);
            assertEquals(r.vertexCount(), old.vertexCount());
            assertEquals(2, old.attributeCount());
        }
    }

    @Test
    void aMemoryLimitBelowTheEstimateIsRefusedBeforeAnyWork() {
        try (Arena a = Arena.ofConfined()) {
            KernelRepairOptions tight = KernelRepairOptions.DEFAULTS.withMaxMemoryBytes(1000);
            assertEquals(1000, tight.maxMemoryBytes());
            LimitExceededException e = assertThrows(LimitExceededException.class,
                    () -> Kernel.repair(KernelMesh.of(cubeMissingATriangle(a)), tight, a));
            assertTrue(e.getMessage().contains("options.max_memory_bytes"), e.getMessage());
        }
    }

    @Test
    void anExhaustedTimeLimitStopsTheRepair() {
        try (Arena a = Arena.ofConfined()) {
            // The limit is checked at every progress report; a listener slower than the limit runs it out.
            KernelRepairOptions slow = new KernelRepairOptions(0, 0, 0, KernelRepairOptions.FORCE_VOLUMETRIC,
                    (fraction, stage) -> {
                        try {
                            Thread.sleep(30);
                        } catch (InterruptedException ignored) {
                            Thread.currentThread().interrupt();
                        }
                        return true;
                    }, Duration.ofMillis(10));
            LimitExceededException e = assertThrows(LimitExceededException.class,
                    () -> Kernel.repair(KernelMesh.of(cubeMissingATriangle(a)), slow, a));
            assertTrue(e.getMessage().contains("time limit"), e.getMessage());
        }
    }

    @Test
    void optionsRefuseWhatTheKernelWould() {
        assertThrows(IllegalArgumentException.class, () -> new KernelRepairOptions(0, 2001, 0, 0,
                ProgressListener.NONE, null));
        assertThrows(IllegalArgumentException.class, () -> KernelRepairOptions.DEFAULTS.withMaxMemoryBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> InspectOptions.DEFAULTS.withTimeLimit(Duration.ofSeconds(-1)));
        try (Arena a = Arena.ofConfined()) {
            TriangleMesh mesh = cubeMissingATriangle(a);
            assertThrows(IllegalArgumentException.class, () -> new KernelMesh(mesh, null, 3, 0));
            assertThrows(IllegalArgumentException.class,
                    () -> KernelMesh.of(mesh).withAttributes(a.allocate(4), KernelMesh.MAX_ATTRIBUTES + 1));
        }
    }

    @Test
    void lostMeasuresWhatAGivenSolidLeavesOutOfTheInput() {
        try (Arena a = Arena.ofConfined()) {
            // The unit cube measured against the cube [0, 1/2]^3: what lies outside it is lost, up to the corner
            // (1, 1, 1), sqrt(3)/2 from the half cube's (1/2, 1/2, 1/2), half the input's diagonal; by area the three
            // far faces and three quarters of the near ones, 7/8 (less strips within 0.5% of the diagonal).
            TriangleMesh input = cubeSoup(a, 12, 1f);
            double[] lost = Kernel.lost(input, cubeSoup(a, 12, 0.5f), 100_000);
            assertEquals(0.5, lost[0], 1e-6);
            assertTrue(lost[1] > 0.85 && lost[1] < 0.875, "lost area " + lost[1]);
            double[] none = Kernel.lost(input, input, 100_000);
            assertEquals(0.0, none[0]);
            assertEquals(0.0, none[1]);
        }
    }
}
