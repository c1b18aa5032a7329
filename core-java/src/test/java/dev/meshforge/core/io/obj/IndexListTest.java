package dev.meshforge.core.io.obj;

import org.junit.jupiter.api.Test;

import java.util.List;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IndexListTest {
    @Test
    void keepsEveryIndexInOrderAcrossBlocks() {
        IndexList list = new IndexList();
        // Triples and singles, so that triples straddle the first block's growth and the block boundaries.
        int count = 2 * IndexList.BLOCK + 12_345;
        int i = 0;
        while (i < count) {
            if (i % 7 == 3 && i + 3 <= count) {
                list.add(i * 31, (i + 1) * 31, (i + 2) * 31);
                i += 3;
            } else {
                list.add(i * 31);
                i++;
            }
        }
        assertEquals(count, list.size);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT, count);
            list.copyTo(out);
            for (int k = 0; k < count; k++) {
                assertEquals(k * 31, out.getAtIndex(ValueLayout.JAVA_INT, k), "index " + k);
            }
        }
    }

    @Test
    void aSmallListCopiesOnlyWhatItHolds() {
        IndexList list = new IndexList();
        list.add(7, 8, 9);
        list.add(10);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT, 5);
            out.setAtIndex(ValueLayout.JAVA_INT, 4, -1);
            list.copyTo(out);
            assertEquals(4, list.size);
            assertEquals(List.of(7, 8, 9, 10, -1), java.util.stream.IntStream.range(0, 5)
                    .mapToObj(k -> out.getAtIndex(ValueLayout.JAVA_INT, k)).toList());
        }
    }
}
