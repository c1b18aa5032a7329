// The numbers of an FBX array as the geometry reads them: on the heap, or in native memory of the read.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.scene.internal.KernelPages;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A binary file's large compressed double arrays (vertices, and normals and UVs by polygon vertex, most of a
 * mesh's bytes) are inflated into native memory that the document frees when the read ends ({@link
 * FbxBinaryParser}), so the heap never holds them; smaller arrays and an ASCII file's are Java arrays. Both are
 * read through this view. A property holding one is what {@link FbxNode#doubles()} copies onto the heap for the
 * readers of small arrays (deformers, animation).
 */
final class FbxValues {
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED
            .withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment data;
    private final int length;

    /** {@code data}: little-endian doubles. */
    FbxValues(MemorySegment data) {
        this.data = data;
        this.length = (int) (data.byteSize() / Double.BYTES);
    }

    static FbxValues of(double[] values) {
        return new FbxValues(MemorySegment.ofArray(values));
    }

    int length() {
        return length;
    }

    double get(int i) {
        return data.getAtIndex(DOUBLE, i);
    }

    /** A copy in native memory of {@code arena} that {@link #set} may change. */
    FbxValues copy(Arena arena) {
        long bytes = data.byteSize();
        MemorySegment to = KernelPages.allocate(arena, bytes);
        if (to == null) {
            to = arena.allocate(Math.max(1, bytes), Double.BYTES);
        }
        MemorySegment.copy(data, 0, to, 0, bytes);
        return new FbxValues(to.asSlice(0, bytes));
    }

    /** Sets value {@code i}: only of a {@link #copy}. */
    void set(int i, double value) {
        data.setAtIndex(DOUBLE, i, value);
    }

    double[] toArray() {
        return data.toArray(DOUBLE);
    }
}
