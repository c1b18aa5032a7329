// The geometry's native working lists keep every int through their growth, and refuse to pass their bound.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.LimitExceededException;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NativeIntListTest {
    /**
     * Grown by half from one int (by add and by extend), then (past 16 MiB) straight to its bound: every value stays
     * where it was put.
     */
    @Test
    void valuesSurviveEveryGrowthUpToTheBound() {
        int bound = 5_000_000; // 20 MB of ints: the last growth jumps to the bound
        try (Arena arena = Arena.ofShared()) {
            NativeIntList list = new NativeIntList(arena, 1, bound);
            for (int i = 0; i < bound; i += 2) {
                if (i % 6 == 0) {
                    list.add(i * 7 + 1);
                    list.add((i + 1) * 7 + 1);
                } else {
                    long at = list.extend(2);
                    list.set(at, i * 7 + 1);
                    list.set(at + 1, (i + 1) * 7 + 1);
                }
            }
            assertEquals(bound, list.size());
            assertEquals((long) bound * Integer.BYTES, list.segment().byteSize());
            for (int i = 0; i < bound; i++) {
                assertEquals(i * 7 + 1, list.get(i), "int " + i);
            }
            list.set(123, -5);
            assertEquals(-5, list.segment().getAtIndex(ValueLayout.JAVA_INT, 123));
        }
    }

    /** A list asked to hold more than the file's arrays allow is refused with the limit named, not overrun. */
    @Test
    void anIntBeyondTheBoundIsRefused() {
        try (Arena arena = Arena.ofShared()) {
            NativeIntList list = new NativeIntList(arena, 2, 100);
            for (int i = 0; i < 100; i++) {
                list.add(i);
            }
            LimitExceededException e = assertThrows(LimitExceededException.class, () -> list.add(100));
            assertEquals("an FBX geometry needs more than 100 array elements", e.getMessage());
            assertEquals(99, list.get(99));
        }
    }
}
