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
        for (long i = firstNonFiniteValue(); i >= 0 && i < count * components; i++) {
            if (!Float.isFinite(data.getAtIndex(FLOAT, i))) {
                data.setAtIndex(FLOAT, i, 0f);
                replaced++;
            }
        }
        return replaced;
    }

    /** The first vertex with a NaN or infinite component, or -1. */
    public long firstNonFinite() {
        long i = firstNonFiniteValue();
        return i < 0 ? -1 : i / components;
    }

    /** Values checked at a time: copied into a small array whose check the JIT vectorizes. */
    private static final int CHECKED = 8192;

    /**
     * The index of the first NaN or infinite value, or -1. A value is one when its exponent bits are all ones; adding
     * one to the exponent then carries into the sign bit, so a chunk is clear when the OR of those sums is not
     * negative, and only a chunk that is not is searched value by value. Every reader's output passes here.
     */
    private long firstNonFiniteValue() {
        long n = count * components;
        int[] chunk = new int[(int) Math.min(n, CHECKED)];
        for (long from = 0; from < n; from += chunk.length) {
            int m = (int) Math.min(chunk.length, n - from);
            MemorySegment.copy(data, ValueLayout.JAVA_INT_UNALIGNED, from * Float.BYTES, chunk, 0, m);
            int any = 0;
            for (int i = 0; i < m; i++) {
                any |= (chunk[i] & 0x7F800000) + 0x00800000;
            }
            if (any < 0) {
                for (int i = 0; i < m; i++) {
                    if ((chunk[i] & 0x7F800000) == 0x7F800000) {
                        return from + i;
                    }
                }
            }
        }
        return -1;
    }
}
