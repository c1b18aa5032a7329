// Merges vertices whose float32 positions are exactly equal (the weld every STL importer does on read).
package dev.meshforge.core.io.internal;

import dev.meshforge.core.LimitExceededException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An open-addressing table from a float32 xyz triple (compared bit for bit, with -0 taken as 0) to the number of
 * the first vertex that had it, whose coordinates (with their signs of zero) are the ones kept. Positions are added
 * in order; {@link #add} answers the welded number, dense from 0 in order of first appearance. A slot holds the
 * three coordinate bit patterns and the number side by side, so a lookup touches one cache line (a table of
 * numbers that point into the positions touches two, and that second miss was most of an STL read's time). The
 * table is sized once from the corners expected, so that a closed mesh (about one vertex for six corners) seldom
 * grows it: 16 bytes a slot, one slot for every three corners rounded up to a power of two.
 */
public final class ExactWeld {
    private static final int SLOT = 4;
    private static final int MIN_SLOTS = 1024;
    /** The most slots one int array holds (4 ints a slot); at that size the table fills to 7/8. */
    private static final int MAX_SLOTS = 1 << 28;
    private static final int MAX_DISTINCT = MAX_SLOTS / 8 * 7;

    /** Per slot: x, y, z bits as first met, then the number + 1 (0: empty). */
    private int[] slots;
    private int mask;
    private int distinct;
    /** The hashes of a batch ({@link #addAll}), and what reading its slots ahead made (kept so it is not skipped). */
    private int[] hashes = new int[0];
    private int sink;
    private final String owner;

    /**
     * @param corners how many positions will be added (a size hint; more may be)
     * @param owner   what the positions come from (a file), named when there are too many to weld
     */
    public ExactWeld(long corners, String owner) {
        this.owner = owner;
        long want = Math.min(MAX_SLOTS, corners / 3 + 1);
        int n = MIN_SLOTS;
        while (n < want) {
            n <<= 1;
        }
        slots = new int[n * SLOT];
        mask = n - 1;
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
            touched |= s[(h[i] & m) * SLOT + 3];
        }
        sink = touched;
        for (int i = 0; i < count; i++) {
            numbers[i] = find(h[i], bits[3 * i], bits[3 * i + 1], bits[3 * i + 2]);
        }
    }

    /** The welded number of the position whose raw IEEE bit patterns are (bx, by, bz), adding it when new. */
    public int addBits(int bx, int by, int bz) {
        return find(hash(bx, by, bz), bx, by, bz);
    }

    /** The number of the position of these bits and hash, adding it when new. */
    private int find(int hash, int bx, int by, int bz) {
        int[] s = slots;
        int h = hash & mask;
        while (true) {
            int at = h * SLOT;
            int id = s[at + 3];
            if (id == 0) {
                break;
            }
            if (same(s[at], bx) && same(s[at + 1], by) && same(s[at + 2], bz)) {
                return id - 1;
            }
            h = (h + 1) & mask;
        }
        int at = h * SLOT;
        s[at] = bx;
        s[at + 1] = by;
        s[at + 2] = bz;
        s[at + 3] = ++distinct;
        if ((long) distinct * 2 > mask + 1 && mask + 1 < MAX_SLOTS) {
            grow();
        } else if (distinct >= MAX_DISTINCT) {
            throw new LimitExceededException(owner + ": holds more than " + (MAX_DISTINCT - 1) + " distinct vertex "
                    + "positions, the most one exact weld can number");
        }
        return distinct - 1;
    }

    /** Writes the distinct positions, 3 floats each in welded order, into {@code xyz} from its start. */
    public void writeTo(MemorySegment xyz) {
        int[] s = slots;
        for (int at = 0; at < s.length; at += SLOT) {
            int id = s[at + 3];
            if (id != 0) {
                long d = 3L * (id - 1);
                xyz.setAtIndex(ValueLayout.JAVA_FLOAT, d, Float.intBitsToFloat(s[at]));
                xyz.setAtIndex(ValueLayout.JAVA_FLOAT, d + 1, Float.intBitsToFloat(s[at + 1]));
                xyz.setAtIndex(ValueLayout.JAVA_FLOAT, d + 2, Float.intBitsToFloat(s[at + 2]));
            }
        }
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
        long k = (zero(bx) * 0x9E3779B97F4A7C15L) ^ (zero(by) * 0xC2B2AE3D27D4EB4FL) ^ (zero(bz) * 0x165667B19E3779F9L);
        int h = (int) (k ^ (k >>> 32));
        return h ^ (h >>> 16);
    }

    private static long zero(int bits) {
        return bits << 1 == 0 ? 0 : bits;
    }

    private void grow() {
        int n = mask + 1;
        int[] old = slots;
        int[] s = new int[n * 2 * SLOT];
        int m = n * 2 - 1;
        for (int from = 0; from < old.length; from += SLOT) {
            if (old[from + 3] == 0) {
                continue;
            }
            int h = hash(old[from], old[from + 1], old[from + 2]) & m;
            while (s[h * SLOT + 3] != 0) {
                h = (h + 1) & m;
            }
            System.arraycopy(old, from, s, h * SLOT, SLOT);
        }
        slots = s;
        mask = m;
    }
}
