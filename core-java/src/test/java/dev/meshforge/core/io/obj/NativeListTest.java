package dev.meshforge.core.io.obj;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NativeListTest {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    @Test
    void keepsEveryIntInOrderAcrossGrowths() {
        // 3M ints: growth from the first 1,024 through mapped sizes (past 2 MiB), triples straddling each growth.
        int count = 3_000_001;
        try (NativeList list = new NativeList(INT)) {
            int i = 0;
            while (i < count) {
                int n = i % 7 == 3 && i + 3 <= count ? 3 : 1;
                MemorySegment s = list.room(n);
                for (int k = 0; k < n; k++) {
                    s.setAtIndex(INT, list.size + k, (i + k) * 31);
                }
                list.size += n;
                i += n;
            }
            assertEquals(count, list.size);
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

    @Test
    void fillWritesTheByteIntoEveryNewElementAndKeepsTheOldOnes() {
        try (NativeList list = new NativeList(INT)) {
            list.room(2).setAtIndex(INT, 0, 5);
            list.view().setAtIndex(INT, 1, 6);
            list.size = 2;
            list.fill(2000, (byte) -1);
            list.fill(3, (byte) 0);
            assertEquals(2005, list.size);
            MemorySegment v = list.view();
            assertEquals(List.of(5, 6, -1, -1, 0, 0, 0), IntStream.of(0, 1, 2, 2001, 2002, 2003, 2004)
                    .mapToObj(k -> v.getAtIndex(INT, k)).toList());
        }
    }

    @Test
    void closingFreesTheListAndEmptiesIt() {
        NativeList list = new NativeList(ValueLayout.JAVA_DOUBLE);
        list.room(10).setAtIndex(ValueLayout.JAVA_DOUBLE, 9, 2.5);
        list.size = 10;
        list.close();
        assertEquals(0, list.size);
        assertEquals(0, list.view().byteSize());
        list.close();
    }
}
