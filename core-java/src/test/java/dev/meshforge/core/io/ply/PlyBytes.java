// Builds PLY files byte by byte for the tests: a header text and a typed binary body in either byte order.
package dev.meshforge.core.io.ply;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** A binary body under construction: {@code put("uchar", 3).put("int", 7)}, then {@link #after(String)}. */
final class PlyBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteBuffer scratch;

    PlyBytes(ByteOrder order) {
        scratch = ByteBuffer.allocate(8).order(order);
    }

    /** Appends {@code value} encoded as the PLY type named {@code type} (classic or sized name). */
    PlyBytes put(String type, double value) {
        scratch.clear();
        switch (type) {
            case "char", "int8", "uchar", "uint8" -> scratch.put((byte) (long) value);
            case "short", "int16", "ushort", "uint16" -> scratch.putShort((short) (long) value);
            case "int", "int32", "uint", "uint32" -> scratch.putInt((int) (long) value);
            case "float", "float32" -> scratch.putFloat((float) value);
            case "double", "float64" -> scratch.putDouble(value);
            default -> throw new IllegalArgumentException(type);
        }
        out.write(scratch.array(), 0, scratch.position());
        return this;
    }

    /** The header (ASCII) followed by the body bytes so far. */
    byte[] after(String header) {
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        byte[] body = out.toByteArray();
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** The eight cube corners [0,1]^3 and its six faces as outward quads. */
    static final float[][] CUBE_VERTICES = {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 1},
            {1, 1, 1}, {0, 1, 1}};
    static final int[][] CUBE_QUADS = {{0, 3, 2, 1}, {4, 5, 6, 7}, {0, 1, 5, 4}, {1, 2, 6, 5}, {2, 3, 7, 6},
            {3, 0, 4, 7}};
}
