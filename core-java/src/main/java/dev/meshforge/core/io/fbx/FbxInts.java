// The integers of an FBX array as the geometry reads them (polygon vertex indices, layer indices): on the heap, or
// in native memory of the read.
package dev.meshforge.core.io.fbx;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A binary file's large compressed int arrays (PolygonVertexIndex, and UVIndex and the like by polygon vertex, as
 * large as the corners) are inflated into native memory that the document frees when the read ends, as {@link
 * FbxValues} are for doubles, so the heap never holds them; smaller arrays and an ASCII file's are Java arrays.
 * Both are read through this view.
 */
final class FbxInts {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment data;
    private final int length;

    /** {@code data}: little-endian ints. */
    FbxInts(MemorySegment data) {
        this.data = data;
        this.length = (int) (data.byteSize() / Integer.BYTES);
    }

    static FbxInts of(int[] values) {
        return new FbxInts(MemorySegment.ofArray(values));
    }

    int length() {
        return length;
    }

    int get(int i) {
        return data.getAtIndex(INT, i);
    }

    int[] toArray() {
        return data.toArray(INT);
    }
}
