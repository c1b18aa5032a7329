// De-duplicates OBJ corner tuples (position, uv, normal) into the indexed vertices of one primitive.
package dev.meshforge.core.io.obj;

import java.util.Arrays;

/**
 * Maps a (v, vt, vn) tuple of file-wide indices (-1 where absent) to the primitive-local vertex number, with the
 * tuples kept in first-use order so attributes can be gathered after. The tuples of a file's tables are chained
 * per position ({@link Chains}): a lookup compares the few tuples of its corner's position, and since faces
 * that are near in the file are near in the mesh, those chains are near in memory (a hash over whole tuples
 * missed the cache on nearly every new vertex of a 2M-triangle OBJ). A position used by more than
 * {@link #CHAIN} tuples keeps its later ones in a per-table hash, so a file that gives one position a great many
 * texture coordinates or normals costs no more than a bounded walk a corner.
 */
final class VertexTable {
    /** Tuples a position's chain holds before further ones of it go to the hash. */
    private static final int CHAIN = 32;

    /** The tuples in local vertex order: 3 ints each. */
    final IntList tuples = new IntList(96);
    private final Chains chains;
    private final int id;
    /** Tuples of positions whose chain is full; null until one is. */
    private int[] slots;
    private int mask;
    private int hashed;

    VertexTable(Chains chains) {
        this.chains = chains;
        this.id = chains.tables++;
    }

    /** For every file position, the tuples numbered for it by any of a file's tables: one shared chain each. */
    static final class Chains {
        private int[] head = new int[0];
        private int[] length = new int[0];
        /** Entries of 3 ints: the next entry of the chain (-1 at its end), the table, the local number. */
        private int[] entries = new int[3 * 1024];
        private int count;
        private int tables;

        private void cover(int v) {
            int old = head.length;
            int size = (int) Math.min(Integer.MAX_VALUE - 16L, Math.max(Math.max(1024L, v + 1L), 2L * old));
            head = Arrays.copyOf(head, size);
            length = Arrays.copyOf(length, size);
            Arrays.fill(head, old, size, -1);
        }

        private void push(int v, int table, int local) {
            if (3 * count + 3 > entries.length) {
                entries = Arrays.copyOf(entries, (int) Math.min(Integer.MAX_VALUE - 16L, 2L * entries.length));
            }
            int b = 3 * count;
            entries[b] = head[v];
            entries[b + 1] = table;
            entries[b + 2] = local;
            head[v] = count++;
            length[v]++;
        }
    }

    int count() {
        return tuples.size / 3;
    }

    /** The local number of the tuple, adding it when new. */
    int vertex(int v, int vt, int vn) {
        Chains c = chains;
        if (v >= c.head.length) {
            c.cover(v);
        }
        int[] e = c.entries;
        int[] t = tuples.a;
        for (int at = c.head[v]; at >= 0; at = e[3 * at]) {
            if (e[3 * at + 1] == id) {
                int s = e[3 * at + 2];
                if (t[3 * s + 1] == vt && t[3 * s + 2] == vn) {
                    return s;
                }
            }
        }
        if (c.length[v] < CHAIN) {
            int local = count();
            tuples.add(v, vt, vn);
            c.push(v, id, local);
            return local;
        }
        return hashed(v, vt, vn);
    }

    private int hashed(int v, int vt, int vn) {
        if (slots == null) {
            slots = new int[64];
            Arrays.fill(slots, -1);
            mask = 63;
        }
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
        if (++hashed * 2 > slots.length) {
            rehash();
        }
        return local;
    }

    private static int mix(int v, int vt, int vn) {
        int h = v * 0x9E3779B1 + vt * 0x85EBCA6B + vn * 0xC2B2AE35;
        return h ^ (h >>> 15);
    }

    private void rehash() {
        int[] old = slots;
        slots = new int[old.length * 2];
        Arrays.fill(slots, -1);
        mask = slots.length - 1;
        int[] t = tuples.a;
        for (int s : old) {
            if (s < 0) {
                continue;
            }
            int h = mix(t[3 * s], t[3 * s + 1], t[3 * s + 2]) & mask;
            while (slots[h] >= 0) {
                h = (h + 1) & mask;
            }
            slots[h] = s;
        }
    }
}
