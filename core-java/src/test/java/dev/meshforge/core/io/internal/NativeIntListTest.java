// A reader's native int list keeps every int through its growth, in an arena it is given or in memory of its own,
// and refuses to pass its bound.
package dev.meshforge.core.io.internal;

import dev.meshforge.core.LimitExceededException;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NativeIntListTest {
    /**
     * Grown by half from one int (by add, add3, addAll and extend) in the read's arena, then (past 16 MiB) straight
     * to its bound: every value stays where it was put.
     */
    @Test
    void valuesSurviveEveryGrowthUpToTheBound() {
        int bound = 5_000_000; // 20 MB of ints: the last growth jumps to the bound
        try (Arena arena = Arena.ofShared()) {
            NativeIntList list = new NativeIntList(arena, 1, bound, b -> "more than " + b);
            fill(list, bound);
            assertEquals(bound, list.size());
            assertEquals((long) bound * Integer.BYTES, list.view().byteSize());
            assertEquals((long) bound * Integer.BYTES, list.segment().byteSize());
            for (int i = 0; i < bound; i++) {
                assertEquals(i * 7 + 1, list.get(i), "int " + i);
            }
            list.set(123, -5);
            assertEquals(-5, list.view().getAtIndex(ValueLayout.JAVA_INT, 123));
        }
    }

    /** In memory of its own (each size a confined arena, the outgrown one freed), the values stay as well. */
    @Test
    void valuesSurviveGrowthInMemoryOfItsOwn() {
        int count = 1_000_000;
        try (NativeIntList list = new NativeIntList(null, 1, Long.MAX_VALUE, b -> "more than " + b)) {
            fill(list, count);
            assertEquals(count, list.size());
            for (int i = 0; i < count; i++) {
                assertEquals(i * 7 + 1, list.get(i), "int " + i);
            }
        }
    }

    /** A list started in its caller's segment fills it in place, and moves to memory of its own only when full. */
    @Test
    void aCallersSegmentIsFilledUntilFull() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment first = arena.allocate(ValueLayout.JAVA_INT, 6);
            try (NativeIntList list = new NativeIntList(first, 100, b -> "more than " + b)) {
                list.add3(1, 2, 3);
                list.add3(4, 5, 6);
                assertSame(first, list.segment());
                assertEquals(6, first.getAtIndex(ValueLayout.JAVA_INT, 5));
                list.add(7);
                assertNotSame(first, list.segment());
                for (int i = 0; i < 7; i++) {
                    assertEquals(i + 1, list.get(i));
                }
            }
        }
    }

    /** A list asked to hold more than its bound is refused with the caller's sentence, not overrun. */
    @Test
    void anIntBeyondTheBoundIsRefused() {
        try (Arena arena = Arena.ofShared()) {
            NativeIntList list = new NativeIntList(arena, 2, 100, b -> "an FBX geometry needs more than " + b
                    + " array elements");
            for (int i = 0; i < 99; i++) {
                list.add(i);
            }
            assertThrows(LimitExceededException.class, () -> list.add3(1, 2, 3));
            list.add(99);
            LimitExceededException e = assertThrows(LimitExceededException.class, () -> list.add(100));
            assertEquals("an FBX geometry needs more than 100 array elements", e.getMessage());
            assertThrows(LimitExceededException.class, () -> list.extend(1));
            assertEquals(100, list.size());
            assertEquals(99, list.get(99));
        }
        try (NativeIntList own = new NativeIntList(null, 16, 20, b -> "more than " + b)) {
            own.addAll(new int[20], 20);
            assertEquals("more than 20", assertThrows(LimitExceededException.class,
                    () -> own.addAll(new int[1], 1)).getMessage());
        }
    }

    /** Puts {@code i * 7 + 1} at every index below {@code count} through each way of adding. */
    private static void fill(NativeIntList list, int count) {
        int[] block = new int[4];
        for (int i = 0; i < count; ) {
            int kind = (i / 4) % 4;
            if (kind == 0 && i + 4 <= count) {
                for (int k = 0; k < 4; k++) {
                    block[k] = (i + k) * 7 + 1;
                }
                list.addAll(block, 4);
                i += 4;
            } else if (kind == 1 && i + 3 <= count) {
                list.add3(i * 7 + 1, (i + 1) * 7 + 1, (i + 2) * 7 + 1);
                i += 3;
            } else if (kind == 2 && i + 2 <= count) {
                long at = list.extend(2);
                list.set(at, i * 7 + 1);
                list.set(at + 1, (i + 1) * 7 + 1);
                i += 2;
            } else {
                list.add(i * 7 + 1);
                i++;
            }
        }
    }
}
