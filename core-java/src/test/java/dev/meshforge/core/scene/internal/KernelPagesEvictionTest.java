// Which kept mapping the page pool unmaps when a release passes its bound.
package dev.meshforge.core.scene.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;

import static org.junit.jupiter.api.Assertions.assertSame;

class KernelPagesEvictionTest {
    private static final long MIB = 1L << 20;

    /** A kept mapping as the pool holds it: address, size, bytes counted. */
    private static long[] kept(long address, long mib) {
        return new long[] {address, mib * MIB, mib * MIB};
    }

    /** A pool that kept {@code released} in that order (the first released the longest unused). */
    private static Deque<long[]> pool(long[]... released) {
        Deque<long[]> pool = new ArrayDeque<>();
        for (long[] m : released) {
            pool.addFirst(m);
        }
        return pool;
    }

    @Test
    void aSmallOverflowUnmapsTheSmallestMappingThatMakesRoomNotTheLargeLongestUnusedOne() {
        long[] file = kept(1, 190);
        long[] list = kept(2, 24);
        long[] buffer = kept(3, 12);
        Deque<long[]> pool = pool(file, list, buffer);
        assertSame(buffer, KernelPages.fitting(pool, 6 * MIB));
        assertSame(list, KernelPages.fitting(pool, 13 * MIB));
        assertSame(file, KernelPages.fitting(pool, 25 * MIB));
    }

    @Test
    void ofEqualMappingsTheLongestUnusedGoes() {
        long[] older = kept(1, 16);
        long[] newer = kept(2, 16);
        Deque<long[]> pool = pool(older, newer);
        assertSame(older, KernelPages.fitting(pool, 16 * MIB));
    }

    @Test
    void whenNoOneMappingMakesRoomTheLongestUnusedGoesFirst() {
        long[] first = kept(1, 8);
        long[] second = kept(2, 24);
        long[] third = kept(3, 12);
        assertSame(first, KernelPages.fitting(pool(first, second, third), 40 * MIB));
    }

    @Test
    void aReserveCountsWhatWasWrittenNotItsSize() {
        long[] reserve = {1, 64 * MIB, 4 * MIB};
        long[] buffer = kept(2, 12);
        assertSame(reserve, KernelPages.fitting(pool(reserve, buffer), 3 * MIB));
    }
}
