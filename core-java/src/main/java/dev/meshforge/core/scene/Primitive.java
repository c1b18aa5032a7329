// A part of a mesh with one material: vertex attributes and uint32 indices in off-heap memory.
package dev.meshforge.core.scene;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Geometry with one material: named vertex attributes (POSITION is required) and, for triangles and lines,
 * uint32 indices. All attributes have the same vertex count.
 */
public final class Primitive {
    private final Topology topology;
    private final Map<String, VertexAttribute> attributes = new LinkedHashMap<>();
    private final MemorySegment indices;
    private final long indexCount;
    private final List<Map<String, VertexAttribute>> targets = new ArrayList<>();
    private int material = -1;
    private MemorySegment positions64;
    /** The POSITION attribute that {@link #positions64} is the exact copy of: replacing POSITION drops it. */
    private VertexAttribute positions64Of;
    /** Set by whoever proved every vertex used and distinct; any change to the vertices or elements clears it. */
    private boolean verticesDistinct;

    /**
     * @param positions  the POSITION attribute (3 components)
     * @param indices    uint32 indices, or null for POINTS
     * @param indexCount number of indices (a multiple of 3 for triangles, of 2 for lines)
     */
    public Primitive(Topology topology, VertexAttribute positions, MemorySegment indices, long indexCount) {
        this.topology = Objects.requireNonNull(topology, "topology");
        if (positions.components() != 3 || !positions.name().equals(VertexAttribute.POSITION)) {
            throw new IllegalArgumentException("positions must be a POSITION attribute with 3 components");
        }
        int per = switch (topology) {
            case TRIANGLES -> 3;
            case LINES -> 2;
            case POINTS -> 1;
        };
        if (topology != Topology.POINTS) {
            Objects.requireNonNull(indices, "indices");
            if (indexCount % per != 0 || indices.byteSize() < indexCount * Integer.BYTES) {
                throw new IllegalArgumentException(indexCount + " indices do not form whole " + topology
                        + " or exceed the index segment");
            }
        }
        attributes.put(VertexAttribute.POSITION, positions);
        this.indices = indices;
        this.indexCount = topology == Topology.POINTS ? 0 : indexCount;
    }

    public Topology topology() {
        return topology;
    }

    public VertexAttribute positions() {
        return attributes.get(VertexAttribute.POSITION);
    }

    public long vertexCount() {
        return positions().count();
    }

    /**
     * Adds or replaces an attribute; its vertex count must match the positions'. Replacing POSITION drops the
     * float64 copy of the old positions ({@link #positions64()}); use {@link #movePositions} to keep one.
     */
    public Primitive put(VertexAttribute attribute) {
        if (attribute.count() != vertexCount()) {
            throw new IllegalArgumentException(attribute.name() + " has " + attribute.count()
                    + " records but the primitive has " + vertexCount() + " vertices");
        }
        attributes.put(attribute.name(), attribute);
        verticesDistinct = false;
        return this;
    }

    public VertexAttribute attribute(String name) {
        return attributes.get(name);
    }

    public Map<String, VertexAttribute> attributes() {
        return Collections.unmodifiableMap(attributes);
    }

    /** The uint32 index segment, or null for points. */
    public MemorySegment indices() {
        return indices;
    }

    public long indexCount() {
        return indexCount;
    }

    public int index(long i) {
        return indices.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i);
    }

    public long triangleCount() {
        return topology == Topology.TRIANGLES ? indexCount / 3 : 0;
    }

    /**
     * Morph targets: per target, displacement attributes (POSITION, NORMAL, TANGENT deltas) with the
     * primitive's vertex count.
     */
    public List<Map<String, VertexAttribute>> targets() {
        return Collections.unmodifiableList(targets);
    }

    /** Adds a morph target; each attribute must have the primitive's vertex count. */
    public Primitive addTarget(Map<String, VertexAttribute> target) {
        for (VertexAttribute a : target.values()) {
            if (a.count() != vertexCount()) {
                throw new IllegalArgumentException("morph target attribute " + a.name() + " has " + a.count()
                        + " records but the primitive has " + vertexCount() + " vertices");
            }
        }
        targets.add(Map.copyOf(target));
        verticesDistinct = false;
        return this;
    }

    /**
     * The positions in float64 as the source file wrote them (3 doubles a vertex, the POSITION order), or null.
     * Text readers set it where the file carries more precision than float32, so that inspection measures the
     * coordinates the file holds rather than their rounding. It belongs to the POSITION attribute it was set
     * beside: once POSITION is replaced it reads as null, so that it can never describe positions that moved.
     * (Attribute data is never written in place: tools make new attributes, see the ops contract.)
     */
    public MemorySegment positions64() {
        return positions64Of == positions() ? positions64 : null;
    }

    /**
     * Replaces POSITION by {@code moved} and its float64 copy by {@code exact} (null where the mover has none:
     * the float64 copy is then dropped). The one way a tool moves vertices while keeping their precision.
     */
    public Primitive movePositions(VertexAttribute moved, MemorySegment exact) {
        if (!moved.name().equals(VertexAttribute.POSITION) || moved.components() != 3) {
            throw new IllegalArgumentException("moved positions must be a POSITION attribute with 3 components");
        }
        put(moved);
        return positions64(exact);
    }

    public Primitive positions64(MemorySegment xyz) {
        if (xyz != null && xyz.byteSize() < vertexCount() * 3 * Double.BYTES) {
            throw new IllegalArgumentException("float64 positions of " + xyz.byteSize() + " bytes cannot hold "
                    + vertexCount() + " vertices");
        }
        this.positions64 = xyz;
        this.positions64Of = xyz == null ? null : positions();
        return this;
    }

    /**
     * Vertex {@code v}'s position into {@code out[0..2]}: the float64 copy where a reader kept one, else the float32
     * positions.
     */
    public void position(long v, double[] out) {
        MemorySegment exact = positions64();
        if (exact != null) {
            out[0] = exact.getAtIndex(ValueLayout.JAVA_DOUBLE, 3 * v);
            out[1] = exact.getAtIndex(ValueLayout.JAVA_DOUBLE, 3 * v + 1);
            out[2] = exact.getAtIndex(ValueLayout.JAVA_DOUBLE, 3 * v + 2);
        } else {
            VertexAttribute pos = positions();
            out[0] = pos.get(v, 0);
            out[1] = pos.get(v, 1);
            out[2] = pos.get(v, 2);
        }
    }

    /** Which vertices the elements use (every vertex of a point primitive); writers leave the others out. */
    public boolean[] usedVertices() {
        long n = vertexCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a primitive of " + n + " vertices is more than one array can mark");
        }
        boolean[] used = new boolean[(int) n];
        if (topology == Topology.POINTS) {
            java.util.Arrays.fill(used, true);
            return used;
        }
        for (long i = 0; i < indexCount; i++) {
            used[index(i)] = true;
        }
        return used;
    }

    /**
     * Whether every vertex is known to be used by the elements and to differ from every other in some attribute or
     * morph-target value (as a weld leaves them), so that a writer indexing all attributes together need not check
     * again. False unless a step that established it said so; adding or replacing an attribute or a morph target
     * clears it (attribute data is never written in place, see the ops contract).
     */
    public boolean verticesDistinct() {
        return verticesDistinct;
    }

    /** Records {@link #verticesDistinct()}: for the steps that made or checked the vertices (weld, reorder). */
    public Primitive verticesDistinct(boolean distinct) {
        this.verticesDistinct = distinct;
        return this;
    }

    /** Index into {@link Scene#materials()}, or -1 for the default material. */
    public int material() {
        return material;
    }

    public Primitive material(int material) {
        this.material = material;
        return this;
    }
}
