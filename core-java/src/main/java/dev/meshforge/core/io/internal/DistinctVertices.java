// Merges a primitive's vertices that agree in every attribute and drops those no element uses, for the writers
// of formats (glTF) that index all attributes together.
package dev.meshforge.core.io.internal;

import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.VertexAttribute;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A vertex is told apart by the bits of all its attribute values and morph-target displacements (-0 taken as 0,
 * every NaN as one NaN), so a vertex is split only where some value really differs. The float64 positions are not
 * carried: the writers that use this class write float32.
 *
 * <p>Vertices are found in an open-addressing table of vertex numbers keyed by a hash of their bits, compared in
 * place in the attribute data (no per-vertex objects). The primitive returned is marked
 * {@link Primitive#verticesDistinct()}, so that a later call (the glTF writer's after an optimize weld) returns it
 * without hashing again; the mark lives on the primitive and is cleared by any change to its attributes.
 */
public final class DistinctVertices {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private DistinctVertices() {
    }

    /**
     * The primitive itself when every vertex is used and distinct; otherwise a copy over new data in {@code arena}
     * with one vertex for each distinct used one, in first-use order, and the indices renumbered.
     */
    public static Primitive of(Primitive p, Arena arena) {
        if (p.verticesDistinct()) {
            return p;
        }
        boolean[] used = p.usedVertices();
        List<VertexAttribute> columns = new ArrayList<>(p.attributes().values());
        for (Map<String, VertexAttribute> target : p.targets()) {
            columns.addAll(target.values());
        }
        MemorySegment[] data = new MemorySegment[columns.size()];
        int[] components = new int[columns.size()];
        for (int k = 0; k < data.length; k++) {
            data[k] = columns.get(k).data();
            components[k] = columns.get(k).components();
        }
        int n = used.length;
        // a power of two at least twice the vertex count (at most 2^30, still above any count an array can mark)
        int capacity = (int) Math.min(1L << 30, Math.max(16L, Long.highestOneBit(Math.max(1, n)) << 2));
        int[] table = new int[capacity];
        Arrays.fill(table, -1);
        int[] remap = new int[n];
        int[] source = new int[n];
        int count = 0;
        for (int v = 0; v < n; v++) {
            if (!used[v]) {
                remap[v] = -1;
                continue;
            }
            int slot = hash(data, components, v) & (capacity - 1);
            int id;
            while (true) {
                id = table[slot];
                if (id < 0) {
                    id = count;
                    table[slot] = id;
                    source[count++] = v;
                    break;
                }
                if (same(data, components, source[id], v)) {
                    break;
                }
                slot = (slot + 1) & (capacity - 1);
            }
            remap[v] = id;
        }
        if (count == n) {
            return p.verticesDistinct(true);
        }
        Primitive out;
        if (p.topology() == Topology.POINTS) {
            out = new Primitive(Topology.POINTS, gather(p.positions(), source, count, arena), null, 0);
        } else {
            MemorySegment idx = arena.allocate(ValueLayout.JAVA_INT, Math.max(1, p.indexCount()));
            for (long i = 0; i < p.indexCount(); i++) {
                idx.setAtIndex(ValueLayout.JAVA_INT, i, remap[p.index(i)]);
            }
            out = new Primitive(p.topology(), gather(p.positions(), source, count, arena), idx, p.indexCount());
        }
        for (VertexAttribute a : p.attributes().values()) {
            if (!a.name().equals(VertexAttribute.POSITION)) {
                out.put(gather(a, source, count, arena));
            }
        }
        for (Map<String, VertexAttribute> target : p.targets()) {
            Map<String, VertexAttribute> moved = new LinkedHashMap<>();
            for (VertexAttribute a : target.values()) {
                moved.put(a.name(), gather(a, source, count, arena));
            }
            out.addTarget(moved);
        }
        out.material(p.material());
        return out.verticesDistinct(true);
    }

    private static int bits(MemorySegment data, int components, int v, int c) {
        return Float.floatToIntBits(data.getAtIndex(FLOAT, (long) v * components + c) + 0f);
    }

    private static int hash(MemorySegment[] data, int[] components, int v) {
        int h = 0x9e3779b9;
        for (int k = 0; k < data.length; k++) {
            for (int c = 0; c < components[k]; c++) {
                h = (h ^ bits(data[k], components[k], v, c)) * 0x01000193;
                h ^= h >>> 15;
            }
        }
        // final avalanche (MurmurHash3's fmix32), so the low bits that pick a slot depend on every value
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    private static boolean same(MemorySegment[] data, int[] components, int a, int b) {
        for (int k = 0; k < data.length; k++) {
            for (int c = 0; c < components[k]; c++) {
                if (bits(data[k], components[k], a, c) != bits(data[k], components[k], b, c)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static VertexAttribute gather(VertexAttribute a, int[] source, int count, Arena arena) {
        int c = a.components();
        MemorySegment data = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, (long) count * c));
        for (int i = 0; i < count; i++) {
            MemorySegment.copy(a.data(), (long) source[i] * c * Float.BYTES, data, (long) i * c * Float.BYTES,
                    (long) c * Float.BYTES);
        }
        return new VertexAttribute(a.name(), c, count, data);
    }
}
