// A mesh as the kernel takes it: the triangles and, optionally, per-vertex float attributes beside them.
package dev.meshforge.core.kernel;

import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.TriangleMesh;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * What crosses into the kernel as one {@code mf_mesh}: the scene's triangles (world space) and optional
 * interleaved float attributes for each of their vertices (normals, UV sets, colour sets), which tools that
 * make new vertices carry to them.
 *
 * @param triangles       positions and indices
 * @param attributes      {@code attributeCount} floats a vertex, {@code attributeStride} bytes apart; null for none
 * @param attributeCount  floats a vertex, 0 to {@link #MAX_ATTRIBUTES}
 * @param attributeStride bytes between two vertices' attributes; 0 = packed ({@code 4 * attributeCount})
 */
public record KernelMesh(TriangleMesh triangles, MemorySegment attributes, int attributeCount, int attributeStride) {
    /** Floats a vertex that the kernel carries at most (MF_MAX_ATTRIBUTES). */
    public static final int MAX_ATTRIBUTES = 64;

    public KernelMesh {
        Objects.requireNonNull(triangles, "triangles");
        if (attributeCount < 0 || attributeCount > MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("attributeCount must be 0.." + MAX_ATTRIBUTES + ", got "
                    + attributeCount);
        }
        if (attributeCount > 0 && attributes == null) {
            throw new IllegalArgumentException("attributeCount is " + attributeCount + " but attributes is null");
        }
        if (attributeStride != 0 && attributeStride < 4 * attributeCount) {
            throw new IllegalArgumentException("attributeStride " + attributeStride + " is less than "
                    + attributeCount + " floats");
        }
    }

    /** The triangles alone. */
    public static KernelMesh of(TriangleMesh triangles) {
        return new KernelMesh(triangles, null, 0, 0);
    }

    /** All triangles of the scene in world space (Scene.worldTriangles), without attributes. */
    public static KernelMesh of(Scene scene, Arena scratch) {
        return of(scene.worldTriangles(scratch));
    }

    /** The same triangles with {@code count} packed floats a vertex (or none, where attributes is null). */
    public KernelMesh withAttributes(MemorySegment packed, int count) {
        return packed == null || count == 0 ? new KernelMesh(triangles, null, 0, 0)
                : new KernelMesh(triangles, packed, count, 0);
    }
}
