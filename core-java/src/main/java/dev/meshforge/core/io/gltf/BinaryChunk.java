// The growing binary buffer a glTF writer fills: little-endian values, every view starting 4-byte aligned.
package dev.meshforge.core.io.gltf;

import dev.meshforge.core.LimitExceededException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** An append-only little-endian byte buffer, at most 2 GiB (the limit of one GLB chunk in practice). */
final class BinaryChunk {
    private byte[] bytes;
    private ByteBuffer view;
    private int size;

    BinaryChunk() {
        this(1 << 16);
    }

    /** An empty buffer with room for {@code capacity} bytes before it grows. */
    BinaryChunk(int capacity) {
        bytes = new byte[Math.max(64, capacity)];
        view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    int size() {
        return size;
    }

    /** Pads with zeros to a multiple of 4 and returns the new size. */
    int align4() {
        ensure(3);
        while (size % 4 != 0) {
            bytes[size++] = 0;
        }
        return size;
    }

    private void ensure(long more) {
        if (size + more > bytes.length) {
            long grown = Math.max(size + more, (long) bytes.length * 2);
            if (grown > Integer.MAX_VALUE - 64) {
                throw new LimitExceededException("the glTF binary buffer would exceed 2 GiB");
            }
            bytes = Arrays.copyOf(bytes, (int) grown);
            view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    void putFloat(float v) {
        ensure(4);
        view.putFloat(size, v);
        size += 4;
    }

    void putInt(int v) {
        ensure(4);
        view.putInt(size, v);
        size += 4;
    }

    void putShort(int v) {
        ensure(2);
        view.putShort(size, (short) v);
        size += 2;
    }

    void putByte(int v) {
        ensure(1);
        bytes[size++] = (byte) v;
    }

    void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
    }

    /** Room for {@code n} more bytes, written through {@link #array()} from {@link #size()} on. */
    void reserve(long n) {
        ensure(n);
    }

    void advance(int n) {
        size += n;
    }

    byte[] array() {
        return bytes;
    }
}
