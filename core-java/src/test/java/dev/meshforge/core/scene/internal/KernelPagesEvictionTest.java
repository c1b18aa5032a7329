// Which kept mapping the page pool unmaps when a release passes its bound.
package dev.meshforge.core.scene.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;

import static org.junit.jupiter.api.Assertions.assertSame;

class KernelPagesEvictionTest {
    private static final long MIB = 1L << 20;

    /** A kept mapping as the pool holds it: address, size, bytes counted. */
    private static KernelPages.Kept kept(long address, long mib) {
        return new KernelPages.Kept(address, mib * MIB, mib * MIB);
    }

    /** A pool that kept {@code released} in that order (the first released the longest unused). */
    private static Deque<KernelPages.Kept> pool(KernelPages.Kept... released) {
        Deque<KernelPages.Kept> pool = new ArrayDeque<>();
        for (KernelPages.Kept m : released) {
            pool.addFirst(m);
        }
        return pool;
    }

    @Test
    void aSmallOverflowUnmapsTheSmallestMappingThatMakesRoomNotTheLargeLongestUnusedOne() {
        KernelPages.Kept file = kept(1, 190);
        KernelPages.Kept list = kept(2, 24);
        KernelPages.Kept buffer = kept(3, 12);
        Deque<KernelPages.Kept> pool = pool(file, list, buffer);
        assertSame(buffer, KernelPages.fitting(pool, 6 * MIB));
        assertSame(list, KernelPages.fitting(pool, 13 * MIB));
        assertSame(file, KernelPages.fitting(pool, 25 * MIB));
    }

    @Test
    void ofEqualMappingsTheLongestUnusedGoes() {
        KernelPages.Kept older = kept(1, 16);
        KernelPages.Kept newer = kept(2, 16);
        Deque<KernelPages.Kept> pool = pool(older, newer);
        assertSame(older, KernelPages.fitting(pool, 16 * MIB));
    }

    @Test
    void whenNoOneMappingMakesRoomTheLongestUnusedGoesFirst() {
        KernelPages.Kept first = kept(1, 8);
        KernelPages.Kept second = kept(2, 24);
        KernelPages.Kept third = kept(3, 12);
        assertSame(first, KernelPages.fitting(pool(first, second, third), 40 * MIB));
    }

    @Test
    void aReserveCountsWhatWasWrittenNotItsSize() {
        KernelPages.Kept reserve = new KernelPages.Kept(1, 64 * MIB, 4 * MIB);
        KernelPages.Kept buffer = kept(2, 12);
        assertSame(reserve, KernelPages.fitting(pool(reserve, buffer), 3 * MIB));
    }
}
