// A growable list of ints in native memory of the read, for the geometry's working arrays (a part's vertex corners
// and triangle corners, the corner lookup's chains), so the heap holds none of them however large the mesh.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.scene.internal.KernelPages;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Grows by half its size from the read's arena; what it outgrows stays there until the read ends (less than twice
 * the final size). Once the next size would pass {@link KernelPages#MIN_BYTES} it jumps to the most it can ever hold
 * (its {@code bound}, known from the file's arrays) where the kernel maps it: a mapping is backed by memory only
 * where written, so growth stops there.
 */
final class NativeIntList {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    private final Arena arena;
    private final long bound;
    private MemorySegment a;
    private long capacity;
    private int n;

    /**
     * @param bound the most ints the list will ever hold (it refuses more)
     */
    NativeIntList(Arena arena, long capacity, long bound) {
        this.arena = arena;
        this.bound = Math.max(1, bound);
        this.capacity = Math.max(1, Math.min(capacity, this.bound));
        this.a = allocate(arena, this.capacity);
    }

    /** Zeroed native memory of the read for {@code count} ints: mapped where it is large. */
    static MemorySegment allocate(Arena arena, long count) {
        long bytes = count * Integer.BYTES;
        MemorySegment s = KernelPages.allocate(arena, bytes);
        return s != null ? s : arena.allocate(bytes, Integer.BYTES);
    }

    void add(int v) {
        if (n == capacity) {
            grow();
        }
        a.setAtIndex(INT, n++, v);
    }

    int get(long i) {
        return a.getAtIndex(INT, i);
    }

    void set(long i, int v) {
        a.setAtIndex(INT, i, v);
    }

    int size() {
        return n;
    }

    /**
     * Makes room for {@code count} more ints and returns the index of the first, for the caller to {@link #set}: a
     * few ints written one by one cost less than a {@link MemorySegment#copy} from a heap array, whose fixed cost is
     * that of many single writes.
     */
    long extend(int count) {
        while (n + (long) count > capacity) {
            grow();
        }
        long first = n;
        n += count;
        return first;
    }

    /** The list's ints, a view (valid until the list grows or the read ends). */
    MemorySegment segment() {
        return a.asSlice(0, (long) n * Integer.BYTES);
    }

    private void grow() {
        if (capacity >= bound) {
            throw new LimitExceededException("an FBX geometry needs more than " + bound + " array elements");
        }
        long next = Math.min(bound, capacity + (capacity >> 1) + 16);
        MemorySegment b = next * Integer.BYTES > KernelPages.MIN_BYTES
                ? KernelPages.allocate(arena, bound * Integer.BYTES) : null;
        if (b != null) {
            next = bound;
        } else {
            b = arena.allocate(next * Integer.BYTES, Integer.BYTES);
        }
        MemorySegment.copy(a, 0, b, 0, (long) n * Integer.BYTES);
        a = b;
        capacity = next;
    }
}
