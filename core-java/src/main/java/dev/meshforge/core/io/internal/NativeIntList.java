// A growable list of ints in native memory, for a reader's working arrays whose length no header tells (PLY face
// corners, an FBX geometry's vertex corners and corner lookup), so the heap holds none of them however large the mesh.
package dev.meshforge.core.io.internal;

import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.scene.internal.KernelPages;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.LongFunction;

/**
 * Grows by half its size plus 16 and refuses an int beyond its {@code bound} (the most the file can make it hold)
 * with the caller's sentence. Where its memory comes from:
 * <ul>
 * <li>an arena it is given (the read's, shared when helpers read the list): what it outgrows stays there until the
 * arena closes (less than twice the final size), so once the next size would pass {@link KernelPages#MIN_BYTES} it
 * jumps to its bound where the kernel maps it, backed by memory only where written: growth and copies stop
 * there;</li>
 * <li>otherwise a confined arena of its own for each size, the outgrown one freed at once (single-threaded; {@link
 * #close} frees the last); it may start in a segment its caller owns (a scene buffer that becomes the indices when
 * it suffices).</li>
 * </ul>
 */
public final class NativeIntList implements AutoCloseable {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    /** The arena it grows in, or null when it owns its memory ({@link #own}). */
    private final Arena arena;
    private final long bound;
    private final LongFunction<String> refusal;
    private Arena own;
    private MemorySegment a;
    private long capacity;
    private long n;

    /**
     * @param arena    the arena it grows in, or null for memory of its own, freed as it grows and by {@link #close}
     * @param capacity the ints it has room for at first
     * @param bound    the most ints it will ever hold (it refuses more)
     * @param refusal  the sentence refusing an int beyond the bound, given the bound
     */
    public NativeIntList(Arena arena, long capacity, long bound, LongFunction<String> refusal) {
        this.arena = arena;
        this.bound = Math.max(1, bound);
        this.refusal = refusal;
        this.capacity = Math.max(1, Math.min(capacity, this.bound));
        this.a = arena != null ? allocate(arena, this.capacity) : ownSegment(this.capacity);
    }

    /**
     * A list of memory of its own that first fills {@code first} (owned by the caller, who sees it through {@link
     * #segment} for as long as it suffices).
     */
    public NativeIntList(MemorySegment first, long bound, LongFunction<String> refusal) {
        this.arena = null;
        this.bound = Math.max(1, bound);
        this.refusal = refusal;
        this.capacity = Math.min(first.byteSize() / Integer.BYTES, this.bound);
        this.a = first;
    }

    /** Zeroed native memory of {@code arena} for {@code count} ints: mapped where it is large. */
    public static MemorySegment allocate(Arena arena, long count) {
        long bytes = count * Integer.BYTES;
        MemorySegment s = KernelPages.allocate(arena, bytes);
        return s != null ? s : arena.allocate(bytes, Integer.BYTES);
    }

    public void add(int v) {
        long i = n;
        if (i == capacity) {
            grow(1);
        }
        a.setAtIndex(INT, i, v);
        n = i + 1;
    }

    public void add3(int v0, int v1, int v2) {
        long i = n;
        if (i + 3 > capacity) {
            grow(3);
        }
        MemorySegment s = a;
        s.setAtIndex(INT, i, v0);
        s.setAtIndex(INT, i + 1, v1);
        s.setAtIndex(INT, i + 2, v2);
        n = i + 3;
    }

    /** Appends {@code values[0..count)}. */
    public void addAll(int[] values, int count) {
        long i = extend(count);
        MemorySegment.copy(values, 0, a, INT, i * Integer.BYTES, count);
    }

    /**
     * Makes room for {@code count} more ints and returns the index of the first, for the caller to {@link #set}: a
     * few ints written one by one cost less than a {@link MemorySegment#copy} from a heap array, whose fixed cost is
     * that of many single writes.
     */
    public long extend(int count) {
        long i = n;
        if (i + count > capacity) {
            grow(count);
        }
        n = i + count;
        return i;
    }

    public int get(long i) {
        return a.getAtIndex(INT, i);
    }

    public void set(long i, int v) {
        a.setAtIndex(INT, i, v);
    }

    public long size() {
        return n;
    }

    /**
     * The memory the ints are in (the first {@link #size()} of it are the list's; the same segment until the list
     * grows; valid until then, or until the arena closes).
     */
    public MemorySegment segment() {
        return a;
    }

    /** The list's ints, a view exactly as long as they are (valid as {@link #segment} is). */
    public MemorySegment view() {
        return a.asSlice(0, n * Integer.BYTES);
    }

    /** Frees the list's own memory (nothing where it grows in an arena it was given). */
    @Override
    public void close() {
        if (own != null) {
            own.close();
            own = null;
        }
    }

    /** Room for {@code more} ints beyond the size, or the refusal. */
    private void grow(long more) {
        long needed = n + more;
        if (needed > bound) {
            throw new LimitExceededException(refusal.apply(bound));
        }
        long next = capacity;
        while (next < needed) {
            next = Math.min(bound, next + (next >> 1) + 16);
        }
        MemorySegment b = null;
        if (arena == null) {
            Arena previous = own;
            b = ownSegment(next);
            MemorySegment.copy(a, 0, b, 0, n * Integer.BYTES);
            if (previous != null) {
                previous.close();
            }
        } else {
            if (next * Integer.BYTES > KernelPages.MIN_BYTES) {
                b = KernelPages.allocate(arena, bound * Integer.BYTES);
            }
            if (b != null) {
                next = bound;
            } else {
                b = arena.allocate(next * Integer.BYTES, Integer.BYTES);
            }
            MemorySegment.copy(a, 0, b, 0, n * Integer.BYTES);
        }
        a = b;
        capacity = next;
    }

    /** A segment of {@code count} ints in a confined arena of the list's own, which becomes {@link #own}. */
    private MemorySegment ownSegment(long count) {
        Arena next = Arena.ofConfined();
        own = next;
        return next.allocate(INT, count);
    }
}
