// Merges vertices whose float32 positions are exactly equal (the weld every STL importer does on read).
package dev.meshforge.core.io.internal;

import dev.meshforge.core.LimitExceededException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/**
 * An open-addressing table from a float32 xyz triple (compared bit for bit, with -0 taken as 0) to the number of
 * the first vertex that had it, whose coordinates (with their signs of zero) are the ones kept. Positions are added
 * in order; {@link #add} answers the welded number, dense from 0 in order of first appearance. The kept positions
 * lie in that order in off-heap memory of the caller's allocator ({@link #positions}: a reader can have them written
 * straight into its scene's position buffer, so that the heap holds only the table), and a slot of the table is
 * one int: the number
 * + 1 in its low bits (0: empty), the hash's bits above those that chose the slot in its high bits. A slot whose high
 * bits differ from the hash's is passed over without reading its position, and one whose bits agree almost always
 * holds the position: a lookup reads one slot and the position, which for a vertex met again is one of the last
 * ones added and still in cache. At 4 bytes a slot the table of a 2M-triangle STL is 8 MiB, not the 32 MiB of
 * slots that held the coordinates beside the number; welding that file's 6M corners took 81-89 ms of thread CPU
 * against 112-124 with those slots (one JVM, the two alternating, on a loaded 2-core machine). The table is sized
 * once from the corners expected, so that a closed mesh (about one vertex for six corners) seldom grows it: one
 * slot for every three corners rounded up to a power of two, filled to at most a half.
 */
public final class ExactWeld {
    private static final int MIN_SLOTS = 1024;
    /** The most slots (2 GiB of ints); at that size the table fills to {@link #MAX_DISTINCT}, less than a half. */
    private static final int MAX_SLOTS = 1 << 29;
    private static final int MAX_DISTINCT = (1 << 28) / 8 * 7;
    /** Unaligned: the positions' buffers are aligned anyway, and so no access checks it. */
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT_UNALIGNED;

    /** Per slot: (hash & ~mask) | (number + 1), 0 when empty. */
    private int[] slots;
    private int mask;
    private int distinct;
    /** x, y, z bits of each vertex in order of first appearance, as first met (ints; room for {@link #room}). */
    private MemorySegment xyz;
    private long room;
    /** What a full {@link #xyz} is first grown to (the positions the size hints allow at most). */
    private final long most;
    private final SegmentAllocator allocator;
    /** The hashes of a batch ({@link #addAll}), and what reading its slots ahead made (kept so it is not skipped). */
    private int[] hashes = new int[0];
    private int sink;
    private final String owner;

    /**
     * @param corners how many positions will be added (a size hint; more may be)
     * @param owner   what the positions come from (a file), named when there are too many to weld
     */
    public ExactWeld(long corners, String owner) {
        this(corners, corners, owner);
    }

    /**
     * @param corners    how many positions will be added (a size hint; more may be)
     * @param appendHint how many positions this weld and those {@link #append}ed to it will hold together (a size
     *                   hint for the kept positions, so that an append seldom copies them)
     * @param owner      what the positions come from (a file), named when there are too many to weld
     */
    public ExactWeld(long corners, long appendHint, String owner) {
        this(corners, appendHint, Arena.ofAuto(), owner);
    }

    /**
     * As {@link #ExactWeld(long, long, String)}, the kept positions in memory of {@code positions} (asked for int
     * arrays, whose contents need not be zero): first room for a fifth of the corners hinted, then, when that fills,
     * for all of them (which is as many as can be distinct), the smaller buffer left to the allocator's owner.
     */
    public ExactWeld(long corners, long appendHint, SegmentAllocator positions, String owner) {
        this.owner = owner;
        this.allocator = positions;
        long want = Math.min(MAX_SLOTS, corners / 3 + 1);
        int n = MIN_SLOTS;
        while (n < want) {
            n <<= 1;
        }
        slots = new int[n];
        mask = n - 1;
        // A closed mesh has about one vertex for six corners; a fifth leaves room for open ones before growing.
        most = Math.min(MAX_DISTINCT, Math.max(corners, appendHint) + 16);
        room = Math.min(MAX_DISTINCT, Math.max(corners, appendHint) / 5 + 16);
        xyz = positions.allocate(ValueLayout.JAVA_INT, 3 * room);
    }

    /** How many distinct positions were added. */
    public int distinct() {
        return distinct;
    }

    /** The welded number of the position (x, y, z), adding it when new. */
    public int add(float x, float y, float z) {
        return addBits(Float.floatToRawIntBits(x), Float.floatToRawIntBits(y), Float.floatToRawIntBits(z));
    }

    /**
     * Welds {@code count} positions given as raw IEEE bit patterns, x, y, z each, from {@code bits[0]}, writing
     * their numbers into {@code numbers} from 0: the same numbers as {@link #addBits} one by one. The slots of a
     * batch are read once before any is looked up: those loads do not depend on each other, so the processor waits
     * for their cache misses together rather than one lookup at a time, and first meetings of a vertex are misses.
     */
    public void addAll(int[] bits, int count, int[] numbers) {
        requireTable();
        int[] h = hashes;
        if (h.length < count) {
            h = hashes = new int[count];
        }
        for (int i = 0; i < count; i++) {
            h[i] = hash(bits[3 * i], bits[3 * i + 1], bits[3 * i + 2]);
        }
        int[] s = slots;
        int m = mask;
        int touched = 0;
        for (int i = 0; i < count; i++) {
            touched |= s[h[i] & m];
        }
        sink = touched;
        for (int i = 0; i < count; i++) {
            numbers[i] = find(h[i], bits[3 * i], bits[3 * i + 1], bits[3 * i + 2]);
        }
    }

    /** The welded number of the position whose raw IEEE bit patterns are (bx, by, bz), adding it when new. */
    public int addBits(int bx, int by, int bz) {
        requireTable();
        return find(hash(bx, by, bz), bx, by, bz);
    }

    /**
     * Adds the positions of {@code later}, a weld of the positions that follow this one's, in their order, and answers
     * what each number of {@code later} is here: welding a sequence in two halves at once and merging them so
     * numbers every position as welding it whole does. The last call on this weld but {@link #distinct} and
     * {@link #writeTo}: the positions new to it are only appended, not entered in its table, so that the merge is
     * lookups that change nothing (taken in batches, as {@link #addAll} does) and a pass in order. {@code later}
     * takes no position after it either.
     */
    public int[] append(ExactWeld later) {
        return append(later, false);
    }

    /**
     * As {@link #append(ExactWeld)}; where {@code twoThreads}, the lookups of {@code later}'s positions here (which
     * change nothing) in two halves at once, the later on the common pool ({@link TwoHalves}).
     */
    public int[] append(ExactWeld later, boolean twoThreads) {
        requireTable();
        later.slots = null; // only its positions are read from here on
        int n = later.distinct;
        MemorySegment p = later.xyz;
        int[] to = new int[n];
        if (twoThreads) {
            int half = n / 2;
            TwoHalves.Results<Integer> touched = TwoHalves.run(() -> lookUp(p, to, 0, half),
                    () -> lookUp(p, to, half, n));
            sink = touched.first() | touched.later();
        } else {
            sink = lookUp(p, to, 0, n);
        }
        slots = null;
        for (int v = 0; v < n; v++) {
            if (to[v] < 0) {
                to[v] = push(p.get(I, 12L * v), p.get(I, 12L * v + 4), p.get(I, 12L * v + 8));
            }
        }
        return to;
    }

    /**
     * Writes into {@code to}, from {@code from} to {@code until}, the number here of each of the positions of
     * {@code p} (three ints each) there, or -1 where this weld has none; in batches, as {@link #addAll} looks up.
     * Answers what reading the slots ahead made.
     */
    private int lookUp(MemorySegment p, int[] to, int from, int until) {
        int[] s = slots;
        int m = mask;
        int[] h = new int[Math.max(1, Math.min(until - from, 4096))];
        int touched = 0;
        for (int first = from; first < until; first += h.length) {
            int count = Math.min(h.length, until - first);
            for (int i = 0; i < count; i++) {
                long at = 12L * (first + i);
                h[i] = hash(p.get(I, at), p.get(I, at + 4), p.get(I, at + 8));
            }
            for (int i = 0; i < count; i++) {
                touched |= s[h[i] & m];
            }
            for (int i = 0; i < count; i++) {
                long at = 12L * (first + i);
                to[first + i] = Math.max(-1, lookup(h[i], p.get(I, at), p.get(I, at + 4), p.get(I, at + 8)));
            }
        }
        return touched;
    }

    private void requireTable() {
        if (slots == null) {
            throw new IllegalStateException("a weld takes no position after an append");
        }
    }

    /**
     * The number of the position of these bits and hash, or where it is not in the table, -1 - the empty slot where
     * it would go.
     */
    private int lookup(int hash, int bx, int by, int bz) {
        int[] s = slots;
        int m = mask;
        MemorySegment p = xyz;
        int tag = hash & ~m;
        int h = hash & m;
        while (true) {
            int slot = s[h];
            if (slot == 0) {
                return -1 - h;
            }
            if ((slot & ~m) == tag) {
                long at = 12L * ((slot & m) - 1);
                if (same(p.get(I, at), bx) && same(p.get(I, at + 4), by) && same(p.get(I, at + 8), bz)) {
                    return (slot & m) - 1;
                }
            }
            h = (h + 1) & m;
        }
    }

    /** The number of the position of these bits and hash, adding it when new. */
    private int find(int hash, int bx, int by, int bz) {
        int found = lookup(hash, bx, by, bz);
        if (found >= 0) {
            return found;
        }
        int[] s = slots;
        int m = mask;
        int h = -1 - found;
        int tag = hash & ~m;
        int id = push(bx, by, bz);
        s[h] = tag | (id + 1);
        if ((long) distinct * 2 > m + 1 && m + 1 < MAX_SLOTS) {
            grow();
        }
        return id;
    }

    /** Keeps a new position: its number. */
    private int push(int bx, int by, int bz) {
        int id = distinct;
        if (id >= MAX_DISTINCT - 1) {
            throw new LimitExceededException(owner + ": holds more than " + (MAX_DISTINCT - 1) + " distinct vertex "
                    + "positions, the most one exact weld can number");
        }
        MemorySegment p = xyz;
        if (id >= room) {
            p = grown(id);
        }
        long at = 12L * id;
        p.set(I, at, bx);
        p.set(I, at + 4, by);
        p.set(I, at + 8, bz);
        distinct = id + 1;
        return id;
    }

    /** Moves the kept positions to a larger buffer of the allocator: room for all hinted, or half as many more. */
    private MemorySegment grown(int id) {
        long more = Math.min(MAX_DISTINCT, Math.max(most, id + (id >> 1) + 16L));
        MemorySegment p = allocator.allocate(ValueLayout.JAVA_INT, 3 * more);
        MemorySegment.copy(xyz, 0, p, 0, 12L * id);
        room = more;
        return xyz = p;
    }

    /**
     * The distinct positions, 3 floats each in welded order: a view of the weld's own buffer (memory of its
     * allocator), valid while that is.
     */
    public MemorySegment positions() {
        return xyz.asSlice(0, 12L * distinct);
    }

    /** Writes the distinct positions, 3 floats each in welded order, into {@code xyz} from its start. */
    public void writeTo(MemorySegment xyz) {
        MemorySegment.copy(this.xyz, 0, xyz, 0, 12L * distinct);
    }

    /** Equal bits, or both a zero of either sign. */
    private static boolean same(int kept, int b) {
        return kept == b || ((kept | b) << 1) == 0;
    }

    /**
     * Hashes the bits with -0 taken as 0 (a zero's sign bit cleared). Mixed in 64 bits: nearby coordinates differ
     * in their low mantissa bits, and a 32-bit sum of products clusters them (4.3 probes a lookup on a torus of
     * 1M vertices at half load, against 1.5 so).
     */
    private static int hash(int bx, int by, int bz) {
        long k = ((long) foldZero(bx) * 0x9E3779B97F4A7C15L) ^ ((long) foldZero(by) * 0xC2B2AE3D27D4EB4FL)
                ^ ((long) foldZero(bz) * 0x165667B19E3779F9L);
        int h = (int) (k ^ (k >>> 32));
        return h ^ (h >>> 16);
    }

    /** A coordinate's bits as this weld compares them: -0 as 0, anything else as it is. */
    public static int foldZero(int bits) {
        return bits << 1 == 0 ? 0 : bits;
    }

    /** Doubles the table, rehashing the kept positions (the high bits a slot keeps change with its size). */
    private void grow() {
        int n = (mask + 1) * 2;
        int m = n - 1;
        int[] s = new int[n];
        MemorySegment p = xyz;
        for (int id = 0; id < distinct; id++) {
            long at = 12L * id;
            int hash = hash(p.get(I, at), p.get(I, at + 4), p.get(I, at + 8));
            int h = hash & m;
            while (s[h] != 0) {
                h = (h + 1) & m;
            }
            s[h] = (hash & ~m) | (id + 1);
        }
        slots = s;
        mask = m;
    }
}
