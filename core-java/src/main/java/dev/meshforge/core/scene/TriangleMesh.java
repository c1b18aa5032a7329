// All triangles of a scene in world space as one position buffer and one index buffer: the kernel's input.
package dev.meshforge.core.scene;

import java.lang.foreign.MemorySegment;

/**
 * Flat triangle geometry: {@code vertexCount} float32 xyz positions and {@code 3 * triangleCount} uint32
 * indices. The segments either belong to the scene (a single untransformed primitive) or to the arena the
 * caller passed to {@link Scene#worldTriangles(java.lang.foreign.Arena)}.
 */
public record TriangleMesh(MemorySegment positions, long vertexCount, MemorySegment indices, long triangleCount) {
}
