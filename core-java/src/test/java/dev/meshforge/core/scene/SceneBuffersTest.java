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

    @Test
    void unzeroedBuffersOfEverySizeHoldWhatIsWrittenUntilTheSceneCloses() {
        // malloc's, below, at and above a huge page (from which callers take mappings of the pool instead).
        long[] sizes = {64 << 10, (2 << 20) - 8, 2 << 20, KernelPages.MIN_BYTES + 4096, 48_000_000};
        MemorySegment[] kept = new MemorySegment[sizes.length];
        try (Scene scene = new Scene()) {
            for (int k = 0; k < sizes.length; k++) {
                MemorySegment s = KernelPages.allocateUnzeroed(scene.arena(), sizes[k]);
                if (s == null) {
                    return; // not Linux x86-64/AArch64: callers fall back to the arena, nothing here to check
                }
                assertEquals(sizes[k], s.byteSize());
                assertEquals(0, s.address() % 8);
                long n = sizes[k] / 8;
                for (long at = 0; at < n; at++) {
                    s.setAtIndex(ValueLayout.JAVA_LONG, at, at * 0x9E3779B97F4A7C15L + k);
                }
                kept[k] = s;
            }
            for (int k = 0; k < sizes.length; k++) {
                long n = sizes[k] / 8;
                for (long at = 0; at < n; at += 7) {
                    assertEquals(at * 0x9E3779B97F4A7C15L + k, kept[k].getAtIndex(ValueLayout.JAVA_LONG, at));
                }
            }
        }
        for (MemorySegment s : kept) {
            assertFalse(s.scope().isAlive());
            assertThrows(IllegalStateException.class, () -> s.get(ValueLayout.JAVA_BYTE, 0));
        }
    }

    @Test
    void filledBuffersBelowAtAndAboveTheMappingSizeHoldWhatIsWrittenUntilTheSceneCloses() {
        long[] counts = {1, 1000, KernelPages.HUGE_PAGE / 4 - 1, KernelPages.HUGE_PAGE / 4, 5_000_000};
        MemorySegment[] kept = new MemorySegment[counts.length];
        try (Scene scene = new Scene()) {
            for (int k = 0; k < counts.length; k++) {
                long n = counts[k];
                MemorySegment s = scene.allocateFilled(ValueLayout.JAVA_INT, n);
                assertEquals(n * 4, s.byteSize());
                assertEquals(0, s.address() % 4);
                for (long at = 0; at < n; at++) {
                    s.setAtIndex(ValueLayout.JAVA_INT, at, (int) (at * 0x9E3779B1L) + k);
                }
                kept[k] = s;
            }
            for (int k = 0; k < counts.length; k++) {
                for (long at = 0; at < counts[k]; at += 7) {
                    assertEquals((int) (at * 0x9E3779B1L) + k, kept[k].getAtIndex(ValueLayout.JAVA_INT, at));
                }
            }
            assertThrows(IllegalArgumentException.class, () -> scene.allocateFilled(ValueLayout.JAVA_FLOAT, -1));
        }
        for (MemorySegment s : kept) {
            assertFalse(s.scope().isAlive());
            assertThrows(IllegalStateException.class, () -> s.get(ValueLayout.JAVA_BYTE, 0));
        }
    }
}
