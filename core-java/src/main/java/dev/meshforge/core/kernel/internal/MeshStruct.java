// The one place that fills an mf_mesh: from a KernelMesh, through NativeLayouts' field handles.
package dev.meshforge.core.kernel.internal;

import dev.meshforge.core.scene.TriangleMesh;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.meshforge.core.kernel.internal.NativeLayouts.MF_MESH;
import static dev.meshforge.core.kernel.internal.NativeLayouts.field;

/** Builds the {@code mf_mesh} of a call; the struct points at the caller's buffers, nothing is copied. */
public final class MeshStruct {
    private static final int MF_POSITIONS_FLOAT32 = 0;
    private static final int MF_POSITIONS_FLOAT64 = 1;
    private static final Field POSITIONS = field(MF_MESH, "positions");
    private static final Field VERTEX_COUNT = field(MF_MESH, "vertex_count");
    private static final Field POSITION_STRIDE = field(MF_MESH, "position_stride");
    private static final Field POSITION_TYPE = field(MF_MESH, "position_type");
    private static final Field INDICES = field(MF_MESH, "indices");
    private static final Field TRIANGLE_COUNT = field(MF_MESH, "triangle_count");
    private static final Field ATTRIBUTES = field(MF_MESH, "attributes");
    private static final Field ATTRIBUTE_COUNT = field(MF_MESH, "attribute_count");
    private static final Field ATTRIBUTE_STRIDE = field(MF_MESH, "attribute_stride");

    private MeshStruct() {
    }

    /**
     * A new mf_mesh in {@code call} describing the triangles {@code t} and their interleaved attributes
     * ({@code attributeCount} floats a vertex, {@code attributeStride} bytes apart; null or 0 for none). It takes the
     * parts rather than a KernelMesh so that the internals never depend back on the public face.
     */
    public static MemorySegment of(TriangleMesh t, MemorySegment attributeData, int attributeCount,
                                   int attributeStride, Arena call) {
        MemorySegment m = call.allocate(MF_MESH);
        POSITIONS.set(m, t.vertexCount() == 0 ? MemorySegment.NULL : t.positions());
        VERTEX_COUNT.set(m, t.vertexCount());
        POSITION_STRIDE.set(m, 0); // packed
        POSITION_TYPE.set(m, t.float64() ? MF_POSITIONS_FLOAT64 : MF_POSITIONS_FLOAT32);
        INDICES.set(m, t.triangleCount() == 0 ? MemorySegment.NULL : t.indices());
        TRIANGLE_COUNT.set(m, t.triangleCount());
        boolean attributes = attributeCount > 0 && attributeData != null && t.vertexCount() > 0;
        ATTRIBUTES.set(m, attributes ? attributeData : MemorySegment.NULL);
        ATTRIBUTE_COUNT.set(m, attributes ? attributeCount : 0);
        ATTRIBUTE_STRIDE.set(m, attributes ? attributeStride : 0);
        return m;
    }
}
