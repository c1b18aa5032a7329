// A reader's native list keeps every element through its growth, in an arena it is given or in memory of its own,
// zeroed or not, and refuses to pass its bound.
package dev.meshforge.core.io.internal;

import dev.meshforge.core.LimitExceededException;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NativeListTest {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    /**
     * Grown by half from one int (by add, add3, addAll and extend) in the read's arena, then (past 16 MiB) straight
     * to its bound: every value stays where it was put.
     */
    @Test
    void valuesSurviveEveryGrowthUpToTheBound() {
        int bound = 5_000_000; // 20 MB of ints: the last growth jumps to the bound
        try (Arena arena = Arena.ofShared()) {
            NativeList list = NativeList.inArena(arena, 1, bound, b -> "more than " + b);
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
        try (NativeList list = NativeList.ofOwn(1, Long.MAX_VALUE, b -> "more than " + b)) {
            assertKeepsEveryValueAdded(list, count);
        }
    }

    /** A list started in its caller's segment fills it in place, and moves to memory of its own only when full. */
    @Test
    void aCallersSegmentIsFilledUntilFull() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment first = arena.allocate(ValueLayout.JAVA_INT, 6);
            try (NativeList list = NativeList.startingIn(first, 100, b -> "more than " + b)) {
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
            NativeList list = NativeList.inArena(arena, 2, 100, b -> "an FBX geometry needs more than " + b
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
        try (NativeList own = NativeList.ofOwn(16, 20, b -> "more than " + b)) {
            own.addAll(new int[20], 20);
            assertEquals("more than 20", assertThrows(LimitExceededException.class,
                    () -> own.addAll(new int[1], 1)).getMessage());
        }
    }

    /**
     * An unzeroed list (as an OBJ read's): 3M ints from the first 1,024 through mapped sizes (past 2 MiB, with
     * spare room), triples straddling each growth, written in its global-scope segment after {@link
     * NativeList#extend}.
     */
    @Test
    void anUnzeroedListKeepsEveryIntInOrderAcrossGrowths() throws InterruptedException {
        int count = 3_000_001;
        try (NativeList list = NativeList.unzeroed(INT, b -> "more than " + b)) {
            int i = 0;
            while (i < count) {
                int n = i % 7 == 3 && i + 3 <= count ? 3 : 1;
                long at = list.extend(n);
                MemorySegment s = list.segment();
                for (int k = 0; k < n; k++) {
                    s.setAtIndex(INT, at + k, (i + k) * 31);
                }
                i += n;
            }
            assertEquals(count, list.size());
            // Helper threads read it: its segment is of global scope, not of the confined arena that holds it.
            MemorySegment seen = list.segment();
            long[] read = new long[1];
            Thread helper = new Thread(() -> read[0] = seen.getAtIndex(INT, count - 1));
            helper.start();
            helper.join();
            assertEquals((count - 1) * 31L, read[0]);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(INT, count + 1L);
                out.setAtIndex(INT, count, -7);
                list.copyTo(out);
                for (int k = 0; k < count; k++) {
                    assertEquals(k * 31, out.getAtIndex(INT, k), "int " + k);
                }
                assertEquals(-7, out.getAtIndex(INT, count), "the int after the list's is left as it was");
            }
        }
    }

    /** Every way of adding keeps the values in an unzeroed list too, which grows by doubling rather than by half. */
    @Test
    void anUnzeroedListKeepsValuesAddedEveryWay() {
        int count = 1_000_000;
        try (NativeList list = NativeList.unzeroed(INT, b -> "more than " + b)) {
            assertKeepsEveryValueAdded(list, count);
        }
    }

    @Test
    void fillWritesTheByteIntoEveryNewElementAndKeepsTheOldOnes() {
        try (NativeList list = NativeList.unzeroed(INT, b -> "more than " + b)) {
            long at = list.extend(2);
            list.segment().setAtIndex(INT, at, 5);
            list.set(at + 1, 6);
            list.fill(2000, (byte) -1);
            list.fill(3, (byte) 0);
            assertEquals(2005, list.size());
            MemorySegment v = list.view();
            assertEquals(2005L * Integer.BYTES, v.byteSize());
            assertEquals(List.of(5, 6, -1, -1, 0, 0, 0), IntStream.of(0, 1, 2, 2001, 2002, 2003, 2004)
                    .mapToObj(k -> v.getAtIndex(INT, k)).toList());
        }
    }

    /** A list of doubles keeps its elements' width through growth, and closing frees and empties it. */
    @Test
    void closingAnUnzeroedListFreesItAndEmptiesIt() {
        NativeList list = NativeList.unzeroed(ValueLayout.JAVA_DOUBLE, b -> "more than " + b);
        long at = list.extend(10);
        list.segment().setAtIndex(ValueLayout.JAVA_DOUBLE, at + 9, 2.5);
        list.extend(5000);
        assertEquals(2.5, list.segment().getAtIndex(ValueLayout.JAVA_DOUBLE, 9));
        assertEquals(5010L * Double.BYTES, list.view().byteSize());
        list.close();
        assertEquals(0, list.size());
        assertEquals(0, list.segment().byteSize());
        list.close();
    }

    /** Fills the list by {@link #fill} and reads every value back. */
    private static void assertKeepsEveryValueAdded(NativeList list, int count) {
        fill(list, count);
        assertEquals(count, list.size());
        for (int i = 0; i < count; i++) {
            assertEquals(i * 7 + 1, list.get(i), "int " + i);
        }
    }

    /** Puts {@code i * 7 + 1} at every index below {@code count} through each way of adding. */
    private static void fill(NativeList list, int count) {
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
