// De-duplicates OBJ corner tuples (position, uv, normal) into the indexed vertices of one primitive.
package dev.meshforge.core.io.obj;

import dev.meshforge.core.io.internal.NativeList;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Maps a (v, vt, vn) tuple of file-wide indices (-1 where absent) to the primitive-local vertex number, with the
 * tuples kept in first-use order so attributes can be gathered after. The tuples of a file's tables are kept per
 * position ({@link Chains}), the first in a record indexed by the position, the others chained: a lookup reads the
 * record, and only where that holds another tuple compares the few chained ones of the position; since faces
 * that are near in the file are near in the mesh, those chains are near in memory (a hash over whole tuples
 * missed the cache on nearly every new vertex of a 2M-triangle OBJ). A position used by more than
 * {@link #CHAIN} tuples keeps its later ones in a per-table hash, so a file that gives one position a great many
 * texture coordinates or normals costs no more than a bounded walk a corner. The tuples and chains, of the
 * scene's size, are native lists ({@link NativeList}); the per-table hash, of the few overfull positions, is not.
 */
final class VertexTable implements AutoCloseable {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    /** Tuples a position's chain holds before further ones of it go to the hash. */
    private static final int CHAIN = 32;

    /** Ints a position's record takes ({@link Chains#first}). */
    private static final int FIRST = 4;

    /** Ints a chain entry takes ({@link Chains#entries}). */
    private static final int ENTRY = 5;

    /** The tuples in local vertex order: 3 ints each. */
    final NativeList tuples = ObjReader.list(INT);
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

    /**
     * For every file position, the tuples numbered for it by any of a file's tables: the first in a record of the
     * position's own, the others in one shared chain.
     */
    static final class Chains implements AutoCloseable {
        /**
         * Per position, {@link #FIRST} ints: the table of the first tuple numbered for it (-1: none yet), its local
         * number, uv and normal. A file of one tuple a position (what a writer of one index a vertex writes) finds
         * every corner's vertex by one read of one record, no chain followed.
         */
        private final NativeList first = ObjReader.list(INT);
        /** Per position: its chain's first entry (-1: none), and the chain's length (its first tuple included). */
        private final NativeList head = ObjReader.list(INT);
        private final NativeList length = ObjReader.list(INT);
        /**
         * Entries of {@link #ENTRY} ints: the next entry of the chain (-1 at its end), the table, the local number,
         * and the tuple's uv and normal, so that a lookup compares within the entry (one cache line) instead of
         * reading the tuple too.
         */
        private final NativeList entries = ObjReader.list(INT);
        private int tables;

        private void cover(int v) {
            first.fill(FIRST * growth(first.size() / FIRST, v), (byte) -1);
        }

        /** The chains, of the positions that have a second tuple, cover {@code v}. */
        private void coverChains(int v) {
            long more = growth(head.size(), v);
            head.fill(more, (byte) -1);
            length.fill(more, (byte) 0);
        }

        /**
         * Positions to add to a per-position list of {@code old} positions so that it covers {@code v}: at least 1024,
         * and at least doubling it.
         */
        private static long growth(long old, int v) {
            return Math.max(Math.max(1024L, v + 1L), 2L * old) - old;
        }

        private void push(int v, int table, int local, int vt, int vn) {
            long b = entries.extend(ENTRY);
            MemorySegment e = entries.segment();
            MemorySegment h = head.segment();
            e.setAtIndex(INT, b, h.getAtIndex(INT, v));
            e.setAtIndex(INT, b + 1, table);
            e.setAtIndex(INT, b + 2, local);
            e.setAtIndex(INT, b + 3, vt);
            e.setAtIndex(INT, b + 4, vn);
            h.setAtIndex(INT, v, (int) (b / ENTRY));
            MemorySegment l = length.segment();
            l.setAtIndex(INT, v, l.getAtIndex(INT, v) + 1);
        }

        @Override
        public void close() {
            first.close();
            head.close();
            length.close();
            entries.close();
        }
    }

    int count() {
        return (int) (tuples.size() / 3);
    }

    /** The local number of the tuple, adding it when new. */
    int vertex(int v, int vt, int vn) {
        Chains c = chains;
        long r = (long) FIRST * v;
        if (r >= c.first.size()) {
            c.cover(v);
        }
        MemorySegment f = c.first.segment();
        int table = f.getAtIndex(INT, r);
        if (table == id && f.getAtIndex(INT, r + 2) == vt && f.getAtIndex(INT, r + 3) == vn) {
            return f.getAtIndex(INT, r + 1);
        }
        if (table < 0) {
            int local = add(v, vt, vn);
            f.setAtIndex(INT, r, id);
            f.setAtIndex(INT, r + 1, local);
            f.setAtIndex(INT, r + 2, vt);
            f.setAtIndex(INT, r + 3, vn);
            return local;
        }
        return chained(v, vt, vn);
    }

    /** {@link #vertex} of a position whose first tuple is another: its chain, then the hash. */
    private int chained(int v, int vt, int vn) {
        Chains c = chains;
        if (v >= c.head.size()) {
            c.coverChains(v);
        }
        MemorySegment e = c.entries.segment();
        for (long at = c.head.segment().getAtIndex(INT, v); at >= 0; at = e.getAtIndex(INT, ENTRY * at)) {
            long o = ENTRY * at;
            if (e.getAtIndex(INT, o + 1) == id && e.getAtIndex(INT, o + 3) == vt && e.getAtIndex(INT, o + 4) == vn) {
                return e.getAtIndex(INT, o + 2);
            }
        }
        // The first tuple, in the position's record, counts towards the chain's length.
        if (c.length.segment().getAtIndex(INT, v) < CHAIN - 1) {
            int local = add(v, vt, vn);
            c.push(v, id, local, vt, vn);
            return local;
        }
        return hashed(v, vt, vn);
    }

    /** Appends the tuple; its local number. */
    private int add(int v, int vt, int vn) {
        int local = count();
        if (local == Integer.MAX_VALUE) {
            throw new IllegalStateException("more than " + Integer.MAX_VALUE + " vertices in one primitive");
        }
        tuples.add3(v, vt, vn);
        return local;
    }

    @Override
    public void close() {
        tuples.close();
    }

    private int hashed(int v, int vt, int vn) {
        if (slots == null) {
            slots = new int[64];
            Arrays.fill(slots, -1);
            mask = 63;
        }
        int h = mix(v, vt, vn) & mask;
        MemorySegment t = tuples.segment();
        while (true) {
            int s = slots[h];
            if (s < 0) {
                break;
            }
            if (t.getAtIndex(INT, 3L * s) == v && t.getAtIndex(INT, 3L * s + 1) == vt
                    && t.getAtIndex(INT, 3L * s + 2) == vn) {
                return s;
            }
            h = (h + 1) & mask;
        }
        int local = add(v, vt, vn);
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
        MemorySegment t = tuples.segment();
        for (int s : old) {
            if (s < 0) {
                continue;
            }
            int h = mix(t.getAtIndex(INT, 3L * s), t.getAtIndex(INT, 3L * s + 1), t.getAtIndex(INT, 3L * s + 2))
                    & mask;
            while (slots[h] >= 0) {
                h = (h + 1) & mask;
            }
            slots[h] = s;
        }
    }
}
