// De-duplicates OBJ corner tuples (position, uv, normal) into the indexed vertices of one primitive.
package dev.meshforge.core.io.obj;

import java.util.Arrays;

/**
 * An open-addressing hash map from a (v, vt, vn) tuple of file-wide indices (-1 where absent) to the
 * primitive-local vertex number, with the tuples kept in first-use order so attributes can be gathered after.
 * A {@link LastUse} shared by a file's tables answers most corners before the hash: faces meet at the corners
 * they share, so a position's last numbered tuple is usually the one asked again (a profile of a 2M-triangle
 * OBJ spent a third of its reading in this table's probes, which miss the cache on large meshes).
 */
final class VertexTable {
    /** The tuples in local vertex order: 3 ints each. */
    final IntList tuples = new IntList(96);
    private int[] slots = new int[64];
    private int mask = 63;
    private final LastUse last;
    private final int id;

    VertexTable(LastUse last) {
        Arrays.fill(slots, -1);
        this.last = last;
        this.id = last.tables++;
    }

    /**
     * For every file position, the table that last numbered a tuple of it and that number: a hint only (any
     * table may overwrite it), so every tuple is still in its table's hash.
     */
    static final class LastUse {
        private int[] table = new int[0];
        private int[] local = new int[0];
        private int tables;

        private void remember(int v, int tableId, int number) {
            if (v >= table.length) {
                int old = table.length;
                int size = Math.max(Math.max(1024, v + 1), old * 2);
                table = Arrays.copyOf(table, size);
                local = Arrays.copyOf(local, size);
                Arrays.fill(table, old, size, -1);
            }
            table[v] = tableId;
            local[v] = number;
        }
    }

    int count() {
        return tuples.size / 3;
    }

    /** The local number of the tuple, adding it when new. */
    int vertex(int v, int vt, int vn) {
        if (v < last.table.length && last.table[v] == id) {
            int s = last.local[v];
            int[] t = tuples.a;
            if (t[3 * s + 1] == vt && t[3 * s + 2] == vn) {
                return s;
            }
        }
        int s = numbered(v, vt, vn);
        last.remember(v, id, s);
        return s;
    }

    private int numbered(int v, int vt, int vn) {
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
