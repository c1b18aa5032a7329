// A scene's buffers, small and large (mapped from the system where it can), start zeroed and hold what is written.
package dev.meshforge.core.scene;

import dev.meshforge.core.scene.internal.KernelPages;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SceneBuffersTest {
    @Test
    void buffersOfEverySizeStartZeroedAndKeepTheirValuesUntilTheSceneCloses() {
        long[] counts = {1, 1000, KernelPages.MIN_BYTES / 4, KernelPages.MIN_BYTES / 4 + 1, 12_000_000};
        MemorySegment[] kept = new MemorySegment[counts.length * 2];
        try (Scene scene = new Scene()) {
            for (int k = 0; k < counts.length; k++) {
                long n = counts[k];
                MemorySegment f = scene.allocateFloats(n);
                MemorySegment i = scene.allocateInts(n);
                assertEquals(n * 4, f.byteSize());
                assertEquals(n * 4, i.byteSize());
                assertEquals(0, f.address() % 4);
                for (long at : new long[] {0, n / 3, n / 2, n - 1}) {
                    assertEquals(0f, f.getAtIndex(ValueLayout.JAVA_FLOAT, at), "float " + at + " of " + n);
                    assertEquals(0, i.getAtIndex(ValueLayout.JAVA_INT, at), "int " + at + " of " + n);
                }
                for (long at = 0; at < n; at += 1021) {
                    f.setAtIndex(ValueLayout.JAVA_FLOAT, at, at + 0.5f);
                    i.setAtIndex(ValueLayout.JAVA_INT, at, (int) at ^ 0x5a5a);
                }
                kept[2 * k] = f;
                kept[2 * k + 1] = i;
            }
            for (int k = 0; k < counts.length; k++) {
                for (long at = 0; at < counts[k]; at += 1021) {
                    assertEquals(at + 0.5f, kept[2 * k].getAtIndex(ValueLayout.JAVA_FLOAT, at));
                    assertEquals((int) at ^ 0x5a5a, kept[2 * k + 1].getAtIndex(ValueLayout.JAVA_INT, at));
                }
            }
        }
        for (MemorySegment s : kept) {
            assertFalse(s.scope().isAlive());
            assertThrows(IllegalStateException.class, () -> s.get(ValueLayout.JAVA_BYTE, 0));
        }
    }
}
