// The numbers of an FBX array as the geometry reads them: on the heap, or in native memory of the read.
package dev.meshforge.core.io.fbx;

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

    double[] toArray() {
        return data.toArray(DOUBLE);
    }
}
