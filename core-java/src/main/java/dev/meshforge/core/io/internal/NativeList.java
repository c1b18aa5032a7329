// A growable array in native memory, for a reader's working arrays and scene builders whose length no header tells
// (an OBJ's positions, tuples and indices, PLY face corners, an FBX geometry's corners), so the heap holds none of
// them however large the mesh.
package dev.meshforge.core.io.internal;

import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.scene.internal.KernelPages;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.LongFunction;

/**
 * Elements of one layout, refused past a {@code bound} (the most the file can make it hold) with the caller's
 * sentence. Its memory and growth follow one {@link Policy}, which its factory names: {@link #inArena} an {@link
 * Policy#ARENA} list, {@link #ofOwn} and {@link #startingIn} an {@link Policy#OWN} one, {@link #unzeroed} an {@link
 * Policy#UNZEROED} one.
 */
public final class NativeList implements AutoCloseable {
    /** Where a list's memory comes from and how it grows. */
    private enum Policy {
        /**
         * Ints in an arena it is given (the read's, shared when helpers read the list), grown by half plus 16; what
         * it outgrows stays there until the arena closes (less than twice the final size), so once the next size
         * would pass {@link KernelPages#MIN_BYTES} it jumps to its bound where the kernel maps it, backed by memory
         * only where written: growth and copies stop there (FBX's working arrays).
         */
        ARENA,
        /**
         * Ints in a confined arena of its own for each size, zeroed, grown by half plus 16, the outgrown one freed
         * at once (single-threaded; {@link #close} frees the last); it may start in a segment its caller owns (a
         * scene buffer that becomes the indices when it suffices: PLY's face corners).
         */
        OWN,
        /**
         * Any layout in an arena of its own for each size, doubled from {@link #FIRST_DOUBLED} and the old one freed at
         * once (held memory at most twice the list), and from {@link #MAPPED_BYTES} a mapping reserving {@link #SPARE}
         * times, backed only where written, from the pool of warm mappings ({@link KernelPages#reserved}) and back to
         * it: a later read writes into pages an earlier one faulted in. Its memory is not zeroed (an element is read
         * only after it is written; {@link #fill} sets a run), and {@link #segment} is of global scope: no liveness
         * check on each access (a shared arena's segments pay one), and helper threads may read it until the list next
         * grows or closes; its owner, the thread that made it, closes it once no helper reads it (OBJ's builders).
         */
        UNZEROED
    }

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    /** The first size of an {@link #unzeroed} list. */
    private static final long FIRST_DOUBLED = 1024;
    /** From this size (one huge page) an {@link #unzeroed} list is mapped rather than taken from malloc. */
    private static final long MAPPED_BYTES = KernelPages.HUGE_PAGE;
    /** How much a mapped {@link #unzeroed} list grows by. */
    private static final long SPARE = 8;

    private final long elementBytes;
    private final long alignment;
    private final Policy policy;
    /** The arena it grows in ({@link Policy#ARENA}), or null: it owns its memory ({@link #own}). */
    private final Arena arena;
    private final long bound;
    private final LongFunction<String> refusal;
    private Arena own;
    private MemorySegment a;
    private long capacity;
    private long n;

    private NativeList(ValueLayout element, Policy policy, Arena arena, long bound, LongFunction<String> refusal) {
        this.elementBytes = element.byteSize();
        this.alignment = element.byteAlignment();
        this.policy = policy;
        this.arena = arena;
        this.bound = Math.max(1, bound);
        this.refusal = refusal;
        this.a = MemorySegment.NULL;
    }

    /**
     * Ints in {@code arena}, room for {@code capacity} at first, at most {@code bound} ({@code refusal}, given the
     * bound, refuses more).
     */
    public static NativeList inArena(Arena arena, long capacity, long bound, LongFunction<String> refusal) {
        NativeList l = new NativeList(INT, Policy.ARENA, arena, bound, refusal);
        l.capacity = Math.max(1, Math.min(capacity, l.bound));
        l.a = allocate(arena, l.capacity);
        return l;
    }

    /** Ints in memory of its own, freed as it grows and by {@link #close}; otherwise as {@link #inArena}. */
    public static NativeList ofOwn(long capacity, long bound, LongFunction<String> refusal) {
        NativeList l = new NativeList(INT, Policy.OWN, null, bound, refusal);
        l.capacity = Math.max(1, Math.min(capacity, l.bound));
        l.a = l.ownSegment(l.capacity);
        return l;
    }

    /**
     * Ints in memory of its own that first fill {@code first} (owned by the caller, who sees it through {@link
     * #segment} for as long as it suffices).
     */
    public static NativeList startingIn(MemorySegment first, long bound, LongFunction<String> refusal) {
        NativeList l = new NativeList(INT, Policy.OWN, null, bound, refusal);
        l.capacity = Math.min(first.byteSize() / Integer.BYTES, l.bound);
        l.a = first;
        return l;
    }

    /**
     * Elements of {@code element} in unzeroed memory of its own, doubled as it grows, read and written through
     * {@link #segment} of global scope; {@code refusal} answers for a size no address range could hold.
     */
    public static NativeList unzeroed(ValueLayout element, LongFunction<String> refusal) {
        return new NativeList(element, Policy.UNZEROED, null, (Long.MAX_VALUE >> 5) / element.byteSize(), refusal);
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
            grow(i + 1);
        }
        a.setAtIndex(INT, i, v);
        n = i + 1;
    }

    /** Appends three ints (to a list of floats: a float's bits as {@link Float#floatToRawIntBits}). */
    public void add3(int v0, int v1, int v2) {
        long i = n;
        if (i + 3 > capacity) {
            grow(i + 3);
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
     * Makes room for {@code count} more elements and returns the index of the first, for the caller to write in
     * {@link #segment} (or {@link #set}): a few ints written one by one cost less than a {@link MemorySegment#copy}
     * from a heap array, whose fixed cost is that of many single writes.
     */
    public long extend(long count) {
        long i = n;
        if (i + count > capacity) {
            grow(i + count);
        }
        n = i + count;
        return i;
    }

    /** Appends {@code count} elements each of whose bytes is {@code b} (0 or -1 as ints, for one). */
    public void fill(long count, byte b) {
        long i = extend(count);
        a.asSlice(i * elementBytes, count * elementBytes).fill(b);
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
     * The memory the elements are in (the first {@link #size()} of it are the list's; the same segment until the
     * list grows; valid until then, or until it closes or its arena does).
     */
    public MemorySegment segment() {
        return a;
    }

    /** The list's elements, a view exactly as long as they are (valid as {@link #segment} is). */
    public MemorySegment view() {
        return a.asSlice(0, n * elementBytes);
    }

    /** Copies the {@link #size} elements to the start of {@code to}. */
    public void copyTo(MemorySegment to) {
        MemorySegment.copy(a, 0, to, 0, n * elementBytes);
    }

    /**
     * Frees the list's own memory, after which the list is empty (nothing where it grows in an arena it was given
     * or is still in its caller's segment).
     */
    @Override
    public void close() {
        if (own != null) {
            own.close();
            own = null;
            a = MemorySegment.NULL;
            capacity = 0;
            n = 0;
        }
    }

    /** Room for {@code needed} elements in all, or the refusal. */
    private void grow(long needed) {
        if (needed > bound) {
            throw new LimitExceededException(refusal.apply(bound));
        }
        switch (policy) {
            case ARENA -> moveInArena(byHalf(needed));
            case OWN -> moveToOwn(byHalf(needed));
            case UNZEROED -> moveToOwn(Math.min(bound, Math.max(needed, Math.max(FIRST_DOUBLED, 2 * capacity))));
        }
    }

    /**
     * Moves the elements to room for {@code next} in {@link #arena}, or for the bound where the kernel maps it once
     * {@code next} passes {@link KernelPages#MIN_BYTES}; the outgrown memory stays until the arena closes.
     */
    private void moveInArena(long next) {
        MemorySegment b = null;
        if (next * elementBytes > KernelPages.MIN_BYTES) {
            b = KernelPages.allocate(arena, bound * elementBytes);
        }
        if (b != null) {
            next = bound;
        } else {
            b = arena.allocate(next * elementBytes, alignment);
        }
        MemorySegment.copy(a, 0, b, 0, n * elementBytes);
        a = b;
        capacity = next;
    }

    /** Moves the elements to memory of the list's own for at least {@code next}, freeing the outgrown one. */
    private void moveToOwn(long next) {
        Arena previous = own;
        MemorySegment b = ownSegment(next);
        MemorySegment.copy(a, 0, b, 0, n * elementBytes);
        if (previous != null) {
            previous.close();
        }
        a = b;
        capacity = b.byteSize() / elementBytes;
    }

    /** The capacity grown by half plus 16 until it holds {@code needed}, at most {@link #bound}. */
    private long byHalf(long needed) {
        long next = capacity;
        while (next < needed) {
            next = Math.min(bound, next + (next >> 1) + 16);
        }
        return next;
    }

    /**
     * A segment of at least {@code count} elements in a confined arena of the list's own, which becomes {@link #own}
     * (the caller closes the one before): zeroed ({@link Policy#OWN}), or unzeroed ({@link Policy#UNZEROED}), mapped
     * from {@link #MAPPED_BYTES} with room for {@link #SPARE} times the capacity (a mapping is backed only where
     * written: the room costs no memory, and spares the copies and first writes to fresh pages of the doublings in
     * between; the pool counts only what was written of it), and of global scope.
     */
    private MemorySegment ownSegment(long count) {
        Arena next = Arena.ofConfined();
        try {
            MemorySegment s;
            if (policy == Policy.OWN) {
                s = next.allocate(count * elementBytes, alignment);
            } else {
                long elements = count;
                s = null;
                if (count * elementBytes >= MAPPED_BYTES) {
                    elements = Math.min(bound, Math.max(count, SPARE * capacity));
                    s = KernelPages.reserved(next, elements * elementBytes, () -> n * elementBytes);
                }
                if (s == null) {
                    elements = count;
                    s = KernelPages.allocateUnzeroed(next, elements * elementBytes);
                }
                long bytes = elements * elementBytes;
                if (s == null) {
                    s = next.allocate(bytes, alignment);
                }
                s = MemorySegment.ofAddress(s.address()).reinterpret(bytes);
            }
            own = next;
            return s;
        } catch (RuntimeException | Error e) {
            next.close();
            throw e;
        }
    }
}
