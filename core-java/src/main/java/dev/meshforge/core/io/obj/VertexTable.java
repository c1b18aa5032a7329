// De-duplicates OBJ corner tuples (position, uv, normal) into the indexed vertices of one primitive.
package dev.meshforge.core.io.obj;

import java.util.Arrays;

/**
 * An open-addressing hash map from a (v, vt, vn) tuple of file-wide indices (-1 where absent) to the
 * primitive-local vertex number, with the tuples kept in first-use order so attributes can be gathered after.
 */
final class VertexTable {
    /** The tuples in local vertex order: 3 ints each. */
    final IntList tuples = new IntList(96);
    private int[] slots = new int[64];
    private int mask = 63;

    VertexTable() {
        Arrays.fill(slots, -1);
    }

    int count() {
        return tuples.size / 3;
    }

    /** The local number of the tuple, adding it when new. */
    int vertex(int v, int vt, int vn) {
        int h = mix(v, vt, vn) & mask;
        int[] t = tuples.a;
        while (true) {
            int s = slots[h];
            if (s < 0) {
                break;
            }
            if (t[3 * s] == v && t[3 * s + 1] == vt && t[3 * s + 2] == vn) {
                return s;
            }
            h = (h + 1) & mask;
        }
        int local = count();
        tuples.add(v, vt, vn);
        slots[h] = local;
        if ((local + 1) * 2 > slots.length) {
            rehash();
        }
        return local;
    }

    private static int mix(int v, int vt, int vn) {
        int h = v * 0x9E3779B1 + vt * 0x85EBCA6B + vn * 0xC2B2AE35;
        return h ^ (h >>> 15);
    }

    private void rehash() {
        slots = new int[slots.length * 2];
        Arrays.fill(slots, -1);
        mask = slots.length - 1;
        int[] t = tuples.a;
        for (int s = 0, n = count(); s < n; s++) {
            int h = mix(t[3 * s], t[3 * s + 1], t[3 * s + 2]) & mask;
            while (slots[h] >= 0) {
                h = (h + 1) & mask;
            }
            slots[h] = s;
        }
    }
}
