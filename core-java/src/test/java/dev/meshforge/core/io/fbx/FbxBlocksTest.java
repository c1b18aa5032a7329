// The block driver of the geometry's long loops: every element once, in order, in blocks of FbxBlocks.SIZE.
package dev.meshforge.core.io.fbx;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FbxBlocksTest {
    private static List<String> blocks(int from, int to) {
        List<String> calls = new ArrayList<>();
        FbxBlocks.run(from, to, (f, t) -> calls.add(f + ".." + t));
        return calls;
    }

    @Test
    void coversTheRangeInOrderInBlocksOf4096WithAShortLastOne() {
        assertEquals(List.of("0..4096", "4096..8192", "8192..10000"), blocks(0, 10_000));
        assertEquals(List.of("7..4103"), blocks(7, 4103));
        assertEquals(List.of("3..5"), blocks(3, 5));
    }

    @Test
    void callsNothingForAnEmptyRange() {
        assertEquals(List.of(), blocks(5, 5));
        assertEquals(List.of(), blocks(0, 0));
    }

    @Test
    void endsAtTheLastIntWithoutOverflowing() {
        int max = Integer.MAX_VALUE;
        assertEquals(List.of((max - 5000) + ".." + (max - 904), (max - 904) + ".." + max), blocks(max - 5000, max));
    }
}
