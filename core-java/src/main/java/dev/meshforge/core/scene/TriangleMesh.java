// All triangles of a scene in world space as one position buffer and one index buffer: the kernel's input.
package dev.meshforge.core.scene;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Flat triangle geometry: {@code vertexCount} xyz positions (float32, or float64 where {@code float64}) and
 * {@code 3 * triangleCount} uint32 indices. The segments either belong to the scene (a single untransformed
 * primitive) or to the arena the caller passed to {@link Scene#worldTriangles(java.lang.foreign.Arena)},
 * which merges in float64 so that node transforms add no rounding of their own.
 */
public record TriangleMesh(MemorySegment positions, long vertexCount, MemorySegment indices, long triangleCount,
                           boolean float64) {

    /** Float32 positions. */
    public TriangleMesh(MemorySegment positions, long vertexCount, MemorySegment indices, long triangleCount) {
        this(positions, vertexCount, indices, triangleCount, false);
    }

    /** Coordinate {@code axis} (0..2) of vertex {@code v}. */
    public double coordinate(long v, int axis) {
        return float64 ? positions.getAtIndex(ValueLayout.JAVA_DOUBLE, v * 3 + axis)
                : positions.getAtIndex(ValueLayout.JAVA_FLOAT, v * 3 + axis);
    }

    /** The vertex index at position {@code i} of the index buffer, as an unsigned value. */
    public long index(long i) {
        return Integer.toUnsignedLong(indices.getAtIndex(ValueLayout.JAVA_INT, i));
    }
}
