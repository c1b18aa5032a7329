// Merges vertices whose float32 positions are exactly equal (the weld every STL importer does on read).
package dev.meshforge.core.io.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * An open-addressing table from a float32 xyz triple (compared bit for bit, with -0 taken as 0) to the number of
 * the first vertex that had it, whose coordinates (with their signs of zero) are the ones kept. Positions are added in order; {@link #add} answers the welded number, which is
 * dense from 0 and never larger than the input number, so a caller can compact positions in place.
 */
public final class ExactWeld {
    private final MemorySegment xyz;
    private int[] slots = new int[1024];
    private int mask = slots.length - 1;
    private int distinct;

    /**
     * @param xyz where the distinct positions are kept, 3 floats each, in welded order: may be the segment the
     *            positions are read from, since welded number k is written only after input k was read
     */
    public ExactWeld(MemorySegment xyz) {
        this.xyz = xyz;
        Arrays.fill(slots, -1);
    }

    /** How many distinct positions were added. */
    public int distinct() {
        return distinct;
    }

    /** The welded number of the position (x, y, z), adding it when new. */
    public int add(float x, float y, float z) {
        int bx = Float.floatToRawIntBits(x + 0f);
        int by = Float.floatToRawIntBits(y + 0f);
        int bz = Float.floatToRawIntBits(z + 0f);
        int h = hash(x, y, z) & mask;
        while (true) {
            int s = slots[h];
            if (s < 0) {
                break;
            }
            if (get(s, 0) == bx && get(s, 1) == by && get(s, 2) == bz) {
                return s;
            }
            h = (h + 1) & mask;
        }
        int id = distinct++;
        xyz.setAtIndex(ValueLayout.JAVA_FLOAT, 3L * id, x);
        xyz.setAtIndex(ValueLayout.JAVA_FLOAT, 3L * id + 1, y);
        xyz.setAtIndex(ValueLayout.JAVA_FLOAT, 3L * id + 2, z);
        slots[h] = id;
        if ((long) distinct * 2 > slots.length) {
            grow();
        }
        return id;
    }

    /** The bits of the kept coordinate, -0 as 0. */
    private int get(int vertex, int k) {
        return Float.floatToRawIntBits(xyz.getAtIndex(ValueLayout.JAVA_FLOAT, 3L * vertex + k) + 0f);
    }

    private static int hash(float x, float y, float z) {
        int h = Float.floatToRawIntBits(x + 0f) * 0x9E3779B1 + Float.floatToRawIntBits(y + 0f) * 0x85EBCA6B
                + Float.floatToRawIntBits(z + 0f) * 0xC2B2AE35;
        return h ^ (h >>> 16);
    }

    private void grow() {
        if (slots.length >= 1 << 30) {
            throw new IllegalStateException("more than " + (1 << 29) + " distinct positions in one weld");
        }
        slots = new int[slots.length * 2];
        Arrays.fill(slots, -1);
        mask = slots.length - 1;
        for (int s = 0; s < distinct; s++) {
            int h = hash(Float.intBitsToFloat(get(s, 0)), Float.intBitsToFloat(get(s, 1)),
                    Float.intBitsToFloat(get(s, 2))) & mask;
            while (slots[h] >= 0) {
                h = (h + 1) & mask;
            }
            slots[h] = s;
        }
    }
}
