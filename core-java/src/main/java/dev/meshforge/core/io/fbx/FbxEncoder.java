// Serialises an FBX node tree as binary FBX 7.4 (32-bit node headers, zlib arrays) or as ASCII FBX.
package dev.meshforge.core.io.fbx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.zip.Deflater;

/**
 * Property values map to FBX types as the parser reads them back: Integer I, Long L, Float F, Double D,
 * Boolean C, String S, byte[] R, int[] i, long[] l, float[] f, double[] d. Names of objects use the binary
 * form "Name\0\1Class"; the ASCII form writes it as "Class::Name".
 */
final class FbxEncoder {
    static final int VERSION = 7400;
    private static final byte[] FOOTER_ID = hex("fabcab09d0c8d466b176fb831cf7267e");
    private static final byte[] FOOTER_MAGIC = hex("f85a8c6adef5d97eece90ce3758f290b");

    private FbxEncoder() {
    }

    static byte[] binary(List<FbxNode> top) {
        return binary(top, VERSION);
    }

    /** Binary FBX of the given version: 64-bit node headers from 7500 on. */
    static byte[] binary(List<FbxNode> top, int version) {
        Out out = new Out();
        out.wide = version >= 7500;
        out.bytes(FbxBinaryParser.MAGIC);
        out.bytes(new byte[] {0, 0x1A, 0});
        out.i32(version);
        for (FbxNode n : top) {
            node(out, n);
        }
        out.bytes(new byte[out.wide ? 25 : 13]);
        out.bytes(FOOTER_ID);
        out.bytes(new byte[4]);
        int pad = (16 - (out.size() % 16)) % 16;
        out.bytes(new byte[pad == 0 ? 16 : pad]);
        out.i32(version);
        out.bytes(new byte[120]);
        out.bytes(FOOTER_MAGIC);
        return out.toByteArray();
    }

    private static void node(Out out, FbxNode n) {
        int start = out.size();
        int field = out.wide ? 8 : 4;
        out.word(0);
        out.word(n.props.size());
        out.word(0);
        byte[] name = n.name.getBytes(StandardCharsets.UTF_8);
        out.u8(name.length);
        out.bytes(name);
        int propStart = out.size();
        for (Object p : n.props) {
            property(out, p);
        }
        out.patch(start + 2 * field, out.size() - propStart);
        // Like the SDK: a nested list (closed by a zero record) for nodes with children or without properties.
        if (!n.children.isEmpty() || n.props.isEmpty()) {
            for (FbxNode c : n.children) {
                node(out, c);
            }
            out.bytes(new byte[out.wide ? 25 : 13]);
        }
        out.patch(start, out.size());
    }

    private static void property(Out out, Object p) {
        switch (p) {
            case Integer v -> {
                out.u8('I');
                out.i32(v);
            }
            case Long v -> {
                out.u8('L');
                out.i64(v);
            }
            case Double v -> {
                out.u8('D');
                out.i64(Double.doubleToRawLongBits(v));
            }
            case Float v -> {
                out.u8('F');
                out.i32(Float.floatToRawIntBits(v));
            }
            case Boolean v -> {
                out.u8('C');
                out.u8(v ? 1 : 0);
            }
            case String v -> {
                byte[] b = v.getBytes(StandardCharsets.UTF_8);
                out.u8('S');
                out.i32(b.length);
                out.bytes(b);
            }
            case byte[] v -> {
                out.u8('R');
                out.i32(v.length);
                out.bytes(v);
            }
            case int[] v -> {
                ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asIntBuffer().put(v);
                array(out, 'i', v.length, b.array());
            }
            case long[] v -> {
                ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                b.asLongBuffer().put(v);
                array(out, 'l', v.length, b.array());
            }
            case float[] v -> {
                ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                array(out, 'f', v.length, b.array());
            }
            case double[] v -> {
                ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                b.asDoubleBuffer().put(v);
                array(out, 'd', v.length, b.array());
            }
            default -> throw new IllegalArgumentException("no FBX type for " + p.getClass());
        }
    }

    private static void array(Out out, char type, int count, byte[] raw) {
        out.u8(type);
        out.i32(count);
        if (raw.length >= 128) {
            Deflater d = new Deflater();
            d.setInput(raw);
            d.finish();
            ByteArrayOutputStream z = new ByteArrayOutputStream(raw.length / 2 + 64);
            byte[] chunk = new byte[8192];
            while (!d.finished()) {
                int n = d.deflate(chunk);
                z.write(chunk, 0, n);
            }
            d.end();
            byte[] packed = z.toByteArray();
            out.i32(1);
            out.i32(packed.length);
            out.bytes(packed);
        } else {
            out.i32(0);
            out.i32(raw.length);
            out.bytes(raw);
        }
    }

    static String ascii(List<FbxNode> top) {
        StringBuilder sb = new StringBuilder(1 << 16);
        sb.append("; FBX 7.4.0 project file\n; Created by meshforge\n\n");
        for (FbxNode n : top) {
            ascii(sb, n, 0);
        }
        return sb.toString();
    }

    private static void ascii(StringBuilder sb, FbxNode n, int depth) {
        sb.append("\t".repeat(depth)).append(n.name).append(": ");
        boolean first = true;
        for (Object p : n.props) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            asciiValue(sb, p, depth);
        }
        if (!n.children.isEmpty() || n.props.isEmpty()) {
            sb.append(" {\n");
            for (FbxNode c : n.children) {
                ascii(sb, c, depth + 1);
            }
            sb.append("\t".repeat(depth)).append("}\n");
        } else {
            sb.append('\n');
        }
    }

    private static void asciiValue(StringBuilder sb, Object p, int depth) {
        switch (p) {
            case String s -> {
                int sep = s.indexOf("\u0000\u0001");
                String text = sep >= 0 ? s.substring(sep + 2) + "::" + s.substring(0, sep) : s;
                sb.append('"').append(text.replace("\"", "&quot;").replace("\n", "&lf;").replace("\r", "&cr;"))
                        .append('"');
            }
            case byte[] b -> sb.append('"').append(Base64.getEncoder().encodeToString(b)).append('"');
            case Boolean b -> sb.append(b ? 1 : 0);
            case Double d -> sb.append(number(d));
            case Float f -> sb.append(number(f));
            case int[] a -> {
                sb.append('*').append(a.length).append(" {\n").append("\t".repeat(depth + 1)).append("a: ");
                for (int i = 0; i < a.length; i++) {
                    sb.append(i > 0 ? "," : "").append(a[i]);
                }
                sb.append('\n').append("\t".repeat(depth)).append('}');
            }
            case long[] a -> {
                sb.append('*').append(a.length).append(" {\n").append("\t".repeat(depth + 1)).append("a: ");
                for (int i = 0; i < a.length; i++) {
                    sb.append(i > 0 ? "," : "").append(a[i]);
                }
                sb.append('\n').append("\t".repeat(depth)).append('}');
            }
            case double[] a -> {
                sb.append('*').append(a.length).append(" {\n").append("\t".repeat(depth + 1)).append("a: ");
                for (int i = 0; i < a.length; i++) {
                    sb.append(i > 0 ? "," : "").append(number(a[i]));
                }
                sb.append('\n').append("\t".repeat(depth)).append('}');
            }
            case float[] a -> {
                sb.append('*').append(a.length).append(" {\n").append("\t".repeat(depth + 1)).append("a: ");
                for (int i = 0; i < a.length; i++) {
                    sb.append(i > 0 ? "," : "").append(number(a[i]));
                }
                sb.append('\n').append("\t".repeat(depth)).append('}');
            }
            default -> sb.append(p);
        }
    }

    private static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(i * 2, i * 2 + 2), 16);
        }
        return b;
    }

    /** A little-endian byte sink that can patch earlier 32-bit fields. */
    private static final class Out extends ByteArrayOutputStream {
        boolean wide;

        Out() {
            super(1 << 16);
        }

        void u8(int v) {
            write(v);
        }

        void i32(int v) {
            write(v);
            write(v >>> 8);
            write(v >>> 16);
            write(v >>> 24);
        }

        void i64(long v) {
            i32((int) v);
            i32((int) (v >>> 32));
        }

        /** A node header field: 32-bit, or 64-bit in 7500 and later. */
        void word(long v) {
            if (wide) {
                i64(v);
            } else {
                i32((int) v);
            }
        }

        void bytes(byte[] b) {
            write(b, 0, b.length);
        }

        void patch(int at, int v) {
            buf[at] = (byte) v;
            buf[at + 1] = (byte) (v >>> 8);
            buf[at + 2] = (byte) (v >>> 16);
            buf[at + 3] = (byte) (v >>> 24);
        }
    }
}
