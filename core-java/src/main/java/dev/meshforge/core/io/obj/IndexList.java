// A primitive's indices as an OBJ text reveals them: appended in blocks, copied once into the scene's buffer.
package dev.meshforge.core.io.obj;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * An append-only list of ints in blocks: the first doubles up to {@link #BLOCK} ints (a small primitive stays
 * small), later ones are of that size. Where one growing array copies and zeroes about three times what it
 * ends up holding (for a 2M-triangle OBJ's 6M indices, about 6 % of a one-thread read's profile), blocks are
 * written once, and the slack is at most one block.
 */
final class IndexList {
    /** Ints a full block holds (4 MiB). */
    static final int BLOCK = 1 << 20;

    private int[][] full = new int[4][];
    private int fullCount;
    /** The block being filled, and its ints so far. */
    private int[] a = new int[64];
    private int n;
    int size;

    void add(int v) {
        if (n == a.length) {
            grow();
        }
        a[n++] = v;
        size++;
    }

    void add(int x, int y, int z) {
        if (n + 3 > a.length) {
            add(x);
            add(y);
            add(z);
            return;
        }
        a[n] = x;
        a[n + 1] = y;
        a[n + 2] = z;
        n += 3;
        size += 3;
    }

    private void grow() {
        if (size > Integer.MAX_VALUE - 16 - BLOCK) {
            throw new IllegalStateException("more than " + (Integer.MAX_VALUE - 16 - BLOCK) + " indices in one list");
        }
        if (a.length < BLOCK) {
            a = Arrays.copyOf(a, Math.min(BLOCK, 2 * a.length));
            return;
        }
        if (fullCount == full.length) {
            full = Arrays.copyOf(full, 2 * full.length);
        }
        full[fullCount++] = a;
        a = new int[BLOCK];
        n = 0;
    }

    /** Copies the {@link #size} ints, in order, to the start of {@code to}. */
    void copyTo(MemorySegment to) {
        long at = 0;
        for (int k = 0; k < fullCount; k++) {
            MemorySegment.copy(full[k], 0, to, ValueLayout.JAVA_INT, at, BLOCK);
            at += 4L * BLOCK;
        }
        MemorySegment.copy(a, 0, to, ValueLayout.JAVA_INT, at, n);
    }
}
