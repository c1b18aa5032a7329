// A growable list of ints outside the Java heap, for face corners whose number a header does not tell.
package dev.meshforge.core.io.ply;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Appends ints to a segment of its own confined arena (or at first to one it is given), moving to a larger one of
 * its own when full. Single-threaded.
 */
final class OffHeapIntList implements AutoCloseable {
    private Arena arena;
    private MemorySegment segment;
    private long capacity;
    private long size;

    OffHeapIntList(long initialCapacity) {
        capacity = Math.max(16, initialCapacity);
        arena = Arena.ofConfined();
        segment = arena.allocate(ValueLayout.JAVA_INT, capacity);
    }

    /** A list that fills {@code owned} (owned by the caller: a scene's buffer) until it needs more room. */
    OffHeapIntList(MemorySegment owned) {
        capacity = owned.byteSize() / Integer.BYTES;
        segment = owned;
    }

    void add(int value) {
        if (size == capacity) {
            grow();
        }
        segment.setAtIndex(ValueLayout.JAVA_INT, size++, value);
    }

    void add3(int a, int b, int c) {
        while (size + 3 > capacity) {
            grow();
        }
        segment.setAtIndex(ValueLayout.JAVA_INT, size, a);
        segment.setAtIndex(ValueLayout.JAVA_INT, size + 1, b);
        segment.setAtIndex(ValueLayout.JAVA_INT, size + 2, c);
        size += 3;
    }

    /** Appends {@code values[0..n)}. */
    void addAll(int[] values, int n) {
        while (size + n > capacity) {
            grow();
        }
        MemorySegment.copy(values, 0, segment, ValueLayout.JAVA_INT, size * Integer.BYTES, n);
        size += n;
    }

    int get(long index) {
        return segment.getAtIndex(ValueLayout.JAVA_INT, index);
    }

    long size() {
        return size;
    }

    /** The backing segment; only the first {@link #size()} ints are meaningful. */
    MemorySegment segment() {
        return segment;
    }

    private void grow() {
        long grown = capacity + (capacity >> 1) + 16;
        Arena next = Arena.ofConfined();
        MemorySegment bigger = next.allocate(ValueLayout.JAVA_INT, grown);
        MemorySegment.copy(segment, 0, bigger, 0, size * Integer.BYTES);
        if (arena != null) {
            arena.close();
        }
        arena = next;
        segment = bigger;
        capacity = grown;
    }

    @Override
    public void close() {
        if (arena != null) {
            arena.close();
        }
    }
}
