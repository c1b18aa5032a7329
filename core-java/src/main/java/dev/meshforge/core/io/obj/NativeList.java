// A growable list of numbers in native memory, for what an OBJ read builds up to the scene's size off the heap.
package dev.meshforge.core.io.obj;

import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.scene.internal.KernelPages;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Elements of one layout (ints, floats, doubles) in memory of an arena of its own: when full it moves to one of
 * twice the size and frees the old at once, so a read's positions, vertex tuples and indices take no Java heap,
 * and the memory held is at most twice what the list holds (a mapped list reserves eight times, of which only
 * what is written is backed by memory). Its memory is not zeroed: an element is read only
 * after it is written ({@link #fill} sets a run).
 *
 * <p>Read and written through {@link #view()}, a segment of global scope: no liveness check on each access (a
 * shared arena's segments pay one), and helper threads may read it. The view is valid until the list next grows
 * or closes; its owner, the thread that made it, closes it once no helper reads it.
 */
final class NativeList implements AutoCloseable {
    /** From this size {@link KernelPages#allocateUnzeroed} maps the memory rather than taking it from malloc. */
    private static final long MAPPED_BYTES = 2L << 20;
    /** How much a mapped list grows by. */
    private static final long SPARE = 8;

    private final long elementBytes;
    private final long alignment;
    private Arena arena;
    private MemorySegment view = MemorySegment.NULL;
    private long capacity;
    /** Elements held; its owner writes {@link #room} more at this index, then adds them here. */
    long size;

    NativeList(ValueLayout element) {
        this.elementBytes = element.byteSize();
        this.alignment = element.byteAlignment();
    }

    /** The elements, valid until the list grows or closes. */
    MemorySegment view() {
        return view;
    }

    /** Makes room for {@code more} elements after {@link #size} and returns the view to write them in. */
    MemorySegment room(long more) {
        if (size + more > capacity) {
            grow(size + more);
        }
        return view;
    }

    /** Appends three ints to a list of ints (or of floats: a float's bits as {@link Float#floatToRawIntBits}). */
    void add(int x, int y, int z) {
        MemorySegment s = room(3);
        s.setAtIndex(ValueLayout.JAVA_INT, size, x);
        s.setAtIndex(ValueLayout.JAVA_INT, size + 1, y);
        s.setAtIndex(ValueLayout.JAVA_INT, size + 2, z);
        size += 3;
    }

    /** Appends {@code count} copies of the byte {@code b} in each element's bytes (0 or -1 as ints, for one). */
    void fill(long count, byte b) {
        room(count).asSlice(size * elementBytes, count * elementBytes).fill(b);
        size += count;
    }

    /** Copies the {@link #size} elements to the start of {@code to}. */
    void copyTo(MemorySegment to) {
        MemorySegment.copy(view, 0, to, 0, size * elementBytes);
    }

    private void grow(long needed) {
        long doubled = Math.max(needed, Math.max(1024, 2 * capacity));
        if (doubled > (Long.MAX_VALUE >> 5) / elementBytes) {
            throw new LimitExceededException("more than " + needed + " elements in one list of an OBJ read");
        }
        Arena next = Arena.ofConfined();
        try {
            long elements = doubled;
            MemorySegment s = null;
            if (doubled * elementBytes >= MAPPED_BYTES) {
                // A mapping is backed only where written: room for eight times as much costs no memory, and
                // spares the copies (and first writes to fresh pages) of the doublings in between.
                elements = Math.max(needed, SPARE * capacity);
                s = KernelPages.allocateUnzeroed(next, elements * elementBytes);
            }
            if (s == null) {
                elements = doubled;
                s = KernelPages.allocateUnzeroed(next, elements * elementBytes);
            }
            long bytes = elements * elementBytes;
            if (s == null) {
                s = next.allocate(bytes, alignment);
            }
            MemorySegment bigger = MemorySegment.ofAddress(s.address()).reinterpret(bytes);
            MemorySegment.copy(view, 0, bigger, 0, size * elementBytes);
            release();
            arena = next;
            view = bigger;
            capacity = elements;
        } catch (RuntimeException | Error e) {
            next.close();
            throw e;
        }
    }

    /** Frees the memory; the list is empty after. */
    @Override
    public void close() {
        release();
        view = MemorySegment.NULL;
        capacity = 0;
        size = 0;
    }

    private void release() {
        if (arena != null) {
            arena.close();
            arena = null;
        }
    }
}
