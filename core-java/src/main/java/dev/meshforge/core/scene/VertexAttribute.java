// One per-vertex attribute stream (positions, normals, UVs, colors, ...) as packed float32 off-heap.
package dev.meshforge.core.scene;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * A per-vertex attribute: {@code count} records of {@code components} float32 values, tightly packed in a
 * segment owned by the scene's arena. Names follow glTF: POSITION, NORMAL, TANGENT, TEXCOORD_n, COLOR_n,
 * JOINTS_n, WEIGHTS_n.
 */
public final class VertexAttribute {
    public static final String POSITION = "POSITION";
    public static final String NORMAL = "NORMAL";

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final String name;
    private final int components;
    private final long count;
    private final MemorySegment data;

    public VertexAttribute(String name, int components, long count, MemorySegment data) {
        this.name = Objects.requireNonNull(name, "name");
        if (components < 1 || components > 16) {
            throw new IllegalArgumentException("components must be 1..16, got " + components);
        }
        if (count < 0 || data.byteSize() < count * components * Float.BYTES) {
            throw new IllegalArgumentException(name + ": segment of " + data.byteSize() + " bytes cannot hold "
                    + count + " records of " + components + " floats");
        }
        this.components = components;
        this.count = count;
        this.data = data;
    }

    public String name() {
        return name;
    }

    public int components() {
        return components;
    }

    /** Number of vertices (records). */
    public long count() {
        return count;
    }

    /** The packed float32 data, {@code count * components} values. */
    public MemorySegment data() {
        return data;
    }

    public float get(long vertex, int component) {
        return data.getAtIndex(FLOAT, vertex * components + component);
    }

    public void set(long vertex, int component, float value) {
        data.setAtIndex(FLOAT, vertex * components + component, value);
    }

    /**
     * Replaces NaN and infinite values by 0, for attributes (not positions) whose consumers require finite
     * numbers; readers call it and warn with the count returned.
     *
     * @return how many values were replaced
     */
    public long zeroNonFinite() {
        long replaced = 0;
        for (long i = 0; i < count * components; i++) {
            if (!Float.isFinite(data.getAtIndex(FLOAT, i))) {
                data.setAtIndex(FLOAT, i, 0f);
                replaced++;
            }
        }
        return replaced;
    }

    /** The first vertex with a NaN or infinite component, or -1. */
    public long firstNonFinite() {
        for (long i = 0; i < count * components; i++) {
            if (!Float.isFinite(data.getAtIndex(FLOAT, i))) {
                return i / components;
            }
        }
        return -1;
    }
}
