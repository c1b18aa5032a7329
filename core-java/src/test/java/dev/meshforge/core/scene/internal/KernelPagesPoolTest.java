// A pool of warm mappings of the test's own: what a reserve counts, what a later taker sees of an earlier one's bytes.
package dev.meshforge.core.scene.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class KernelPagesPoolTest {
    private static final long MIB = 1L << 20;
    private static final byte MARK = (byte) 0xA5;

    private KernelPages.Pool pool;

    @AfterEach
    void unmapWhatWasKept() {
        if (pool != null) {
            pool.clear();
            assertEquals(0, pool.countedBytes());
        }
    }

    /**
     * Takes {@code bytes} (a reserve when written is not null), fills {@code marked} bytes with MARK, releases it;
     * answers its address.
     */
    private long releaseMarked(long bytes, long marked, java.util.function.LongSupplier written) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = pool.take(arena, bytes, false, written);
            assumeTrue(s != null, "no mappings on this platform");
            s.asSlice(0, marked).fill(MARK);
            return s.address();
        }
    }

    /** The offset of the first byte of {@code s} that is not zero, or -1. */
    private static long firstNonZero(MemorySegment s) {
        long at = 0;
        for (; at + 8 <= s.byteSize(); at += 8) {
            if (s.get(ValueLayout.JAVA_LONG_UNALIGNED, at) != 0) {
                return at;
            }
        }
        for (; at < s.byteSize(); at++) {
            if (s.get(ValueLayout.JAVA_BYTE, at) != 0) {
                return at;
            }
        }
        return -1;
    }

    @Test
    void aReserveIsKeptAtTheHugePagesItsOwnerWrote() {
        pool = new KernelPages.Pool(256 * MIB, false);
        releaseMarked(64 * MIB, 3 * MIB, () -> 3 * MIB);
        // 3 MiB written: two huge pages counted, not the 64 MiB reserved.
        assertEquals(4 * MIB, pool.countedBytes());
    }

    @Test
    void unscrubbedAnUnzeroedTakerGetsTheEarlierBytes() {
        // The pool does reuse here, so the scrubbed case below is no accident of a fresh mapping.
        pool = new KernelPages.Pool(256 * MIB, false);
        long released = releaseMarked(3 * MIB, 3 * MIB, null);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment next = pool.take(arena, 3 * MIB, false, null);
            assertEquals(released, next.address());
            assertEquals(MARK, next.get(ValueLayout.JAVA_BYTE, 0));
            assertEquals(MARK, next.get(ValueLayout.JAVA_BYTE, 3 * MIB - 1));
        }
    }

    @Test
    void scrubbedNoTakerSeesAnEarlierBuffersBytes() {
        pool = new KernelPages.Pool(256 * MIB, true);
        for (long bytes : new long[] {3 * MIB, 5 * MIB + 12, 24 * MIB}) {
            long released = releaseMarked(bytes, bytes, null);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment next = pool.take(arena, bytes, false, null);
                assertEquals(released, next.address(), "the released mapping taken again");
                assertEquals(-1, firstNonZero(next), bytes + " bytes");
            }
        }
    }

    @Test
    void scrubbedATakerThatOverwritesIsSparedTheMemsetAndOthersAreNot() {
        pool = new KernelPages.Pool(256 * MIB, true);
        long released = releaseMarked(24 * MIB, 24 * MIB, null);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment next = pool.take(arena, 24 * MIB, false, null, false);
            assertEquals(released, next.address());
            assertEquals(MARK, next.get(ValueLayout.JAVA_BYTE, 0));
            assertEquals(MARK, next.get(ValueLayout.JAVA_BYTE, 24 * MIB - 1));
        }
        // Released again with its marks: the next ordinary taker still gets it zeroed.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment next = pool.take(arena, 24 * MIB, false, null);
            assertEquals(released, next.address());
            assertEquals(-1, firstNonZero(next));
        }
    }

    @Test
    void scrubbedAReserveIsZeroBeyondWhatItsOwnerCountedToo() {
        pool = new KernelPages.Pool(256 * MIB, true);
        // Written 10 MiB but counted 3: pages past the counted ones were touched as well.
        long released = releaseMarked(64 * MIB, 10 * MIB, () -> 3 * MIB);
        assertEquals(4 * MIB, pool.countedBytes());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment next = pool.take(arena, 60 * MIB, false, () -> 0);
            assertEquals(released, next.address());
            assertEquals(-1, firstNonZero(next));
            next.asSlice(20 * MIB, MIB).fill(MARK); // past what it counts again
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment next = pool.take(arena, 64 * MIB, true, null);
            assertEquals(released, next.address());
            assertEquals(-1, firstNonZero(next));
        }
    }
}
