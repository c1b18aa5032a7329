// A growable float array for readers that learn the vertex count only at the end of a text file.
package dev.meshforge.core.io;

import java.util.Arrays;

/** An append-only list of floats backed by one array. */
public final class FloatList {
    private float[] values;
    private int size;

    public FloatList(int capacity) {
        values = new float[Math.max(16, capacity)];
    }

    public void add(float[] source, int from, int count) {
        ensure(count);
        System.arraycopy(source, from, values, size, count);
        size += count;
    }

    public void add(float v) {
        ensure(1);
        values[size++] = v;
    }

    private void ensure(int more) {
        if (size + more > values.length) {
            long grown = Math.max((long) size + more, (long) values.length * 3 / 2 + 16);
            if (grown > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("more than " + (Integer.MAX_VALUE - 16) + " floats in one list");
            }
            values = Arrays.copyOf(values, (int) grown);
        }
    }

    /** Drops everything from index {@code newSize} on. */
    public void truncate(long newSize) {
        size = (int) newSize;
    }

    public int size() {
        return size;
    }

    /** The backing array; only the first {@link #size()} values are meaningful. */
    public float[] array() {
        return values;
    }
}
