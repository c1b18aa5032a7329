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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A vertex is told apart by the bits of all its attribute values and morph-target displacements (-0 taken as 0),
 * so a vertex is split only where some value really differs. The float64 positions are not carried: the writers
 * that use this class write float32.
 */
public final class DistinctVertices {
    private DistinctVertices() {
    }

    /** The values of one vertex, bit for bit, as a hash key. */
    private record Key(int[] bits) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bits, k.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }
    }

    /**
     * The primitive itself when every vertex is used and distinct; otherwise a copy over new data in {@code arena}
     * with one vertex for each distinct used one, in first-use order, and the indices renumbered.
     */
    public static Primitive of(Primitive p, Arena arena) {
        boolean[] used = p.usedVertices();
        List<VertexAttribute> columns = new ArrayList<>(p.attributes().values());
        for (Map<String, VertexAttribute> target : p.targets()) {
            columns.addAll(target.values());
        }
        int width = 0;
        for (VertexAttribute a : columns) {
            width += a.components();
        }
        int[] remap = new int[used.length];
        int[] source = new int[used.length];
        Map<Key, Integer> ids = new HashMap<>();
        int count = 0;
        for (int v = 0; v < used.length; v++) {
            if (!used[v]) {
                remap[v] = -1;
                continue;
            }
            int[] bits = new int[width];
            int at = 0;
            for (VertexAttribute a : columns) {
                for (int c = 0; c < a.components(); c++) {
                    bits[at++] = Float.floatToIntBits(a.get(v, c) + 0f);
                }
            }
            Integer id = ids.putIfAbsent(new Key(bits), count);
            if (id == null) {
                id = count;
                source[count++] = v;
            }
            remap[v] = id;
        }
        if (count == used.length) {
            return p;
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
        return out.material(p.material());
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
