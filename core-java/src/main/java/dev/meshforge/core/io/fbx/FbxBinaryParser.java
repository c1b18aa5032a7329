// Parses binary FBX (32-bit node headers before 7500, 64-bit from 7500) into a node tree, bounds-checked.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.scene.internal.KernelPages;
import dev.meshforge.core.io.internal.LibDeflate;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The binary encoding: a 27-byte header ("Kaydara FBX Binary  \0", 0x1A 0x00, uint32 version), then node
 * records (end offset, property count, property bytes, name) each followed by its properties and, when it has
 * children, the children and a zero record. Every length is checked against the bytes that remain before
 * anything is allocated; compressed arrays inflate, through a small staging buffer, into an array of exactly
 * their declared size, which itself is bounded by {@code maxArrayBytes}, by what deflate can make of the stored
 * bytes, and, for all arrays together, by {@code maxDecodedBytes}; all three are checked before any array is
 * allocated. Compressed arrays are inflated after the node tree is read, largest first, on the calling thread
 * and the common pool together; a defect is still reported as the sequential parse would (the first in file
 * order).
 */
final class FbxBinaryParser {
    static final byte[] MAGIC = "Kaydara FBX Binary  ".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_DEPTH = 64;
    /** Deflate cannot expand its input more than 1032 times (258-byte matches at about two bits each). */
    private static final long MAX_DEFLATE_RATIO = 1032;

    /**
     * Compressed double and int arrays of this many bytes or more inflate into {@link #values} (see {@link
     * FbxValues}, {@link FbxInts}).
     */
    static final int NATIVE_BYTES = 1 << 20;

    private final Path file;
    private final ByteBuffer buf;
    /** Native memory for the large double arrays, owned by the document (shared: helpers inflate into it). */
    private final Arena values;
    private final long maxArrayBytes;
    private final long maxDecodedBytes;
    /** Bytes the compressed arrays read so far declare, all together. */
    private long declaredInflated;
    private final long maxNodes;
    private long nodes;
    private final List<Compressed> compressed = new ArrayList<>();
    private int version;
    private boolean wide;

    /**
     * @param bytes the file: a Java array's bytes or a mapping of the file (never copied onto the heap whole); it
     *              is read only until {@link #parse} returns, from the calling thread and the common pool
     */
    FbxBinaryParser(Path file, ByteBuffer bytes, Arena values, long maxArrayBytes, long maxDecodedBytes) {
        this.file = file;
        this.values = values;
        this.maxDecodedBytes = maxDecodedBytes;
        this.buf = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.maxArrayBytes = maxArrayBytes;
        this.maxNodes = Math.max(1024, bytes.capacity() / 13 + 1);
    }

    /** Whether {@code head} starts with the binary magic (even when later header bytes are damaged). */
    static boolean isBinary(byte[] head, int length) {
        if (length < 18) {
            return false;
        }
        for (int i = 0; i < 18; i++) {
            if (head[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    int version() {
        return version;
    }

    /** Parses the whole file; the returned root holds the top-level nodes. */
    FbxNode parse() {
        int length = buf.capacity();
        if (length < 27) {
            throw bad(0, "is too short for a binary FBX header (" + length + " bytes, 27 needed)");
        }
        boolean textMode = buf.get(20) != 0 || buf.get(21) != 0x1A || buf.get(22) != 0;
        if (textMode) {
            throw new BadInputException(file, "byte 20: looks like a binary FBX whose bytes were altered by a text-mode "
                    + "transfer (NUL bytes replaced): the header bytes 20-22 are " + hex(buf, 20, 3)
                    + " instead of 00 1a 00; transfer the file again in binary mode");
        }
        version = buf.getInt(23);
        if (version < 3000 || version > 100_000) {
            throw bad(23, "has an implausible FBX version " + version);
        }
        wide = version >= 7500;
        FbxNode root = new FbxNode("", new ArrayList<>(), new ArrayList<>(), 0);
        long pos = 27;
        try {
            while (true) {
                if (pos + headerBytes() > length) {
                    // Some writers end without the closing zero record; what was read is complete.
                    break;
                }
                long[] next = new long[1];
                FbxNode n = node(pos, length, 0, next);
                if (n == null) {
                    break;
                }
                root.children.add(n);
                pos = next[0];
            }
        } catch (RuntimeException e) {
            // A defect in an array before this one is the one the file is refused for, as when read in order.
            for (Compressed c : compressed) {
                c.run();
                if (c.failure != null) {
                    throw c.failure;
                }
            }
            throw e;
        }
        inflateAll();
        return root;
    }

    /** A compressed array waiting for inflation, and the property slot that receives it. */
    private final class Compressed {
        final List<Object> props;
        final int slot;
        final char type;
        final int count;
        final int at;
        final int stored;
        final int bytes;
        final long pos;
        final String node;
        RuntimeException failure;

        Compressed(List<Object> props, int slot, char type, int count, int at, int stored, int bytes, long pos,
                   String node) {
            this.props = props;
            this.slot = slot;
            this.type = type;
            this.count = count;
            this.at = at;
            this.stored = stored;
            this.bytes = bytes;
            this.pos = pos;
            this.node = node;
        }

        void run() {
            try {
                props.set(slot, inflate(type, count, at, stored, bytes, pos, node));
            } catch (RuntimeException e) {
                failure = e;
            }
        }
    }

    private static final long PARALLEL_BYTES = 1 << 18;

    private void inflateAll() {
        if (compressed.isEmpty()) {
            return;
        }
        long total = 0;
        for (Compressed c : compressed) {
            total += c.bytes;
        }
        int helpers = Math.min(ForkJoinPool.getCommonPoolParallelism(), compressed.size() - 1);
        if (total < PARALLEL_BYTES || helpers <= 0) {
            for (Compressed c : compressed) {
                c.run();
            }
        } else {
            Compressed[] order = compressed.toArray(new Compressed[0]);
            java.util.Arrays.sort(order, (x, y) -> Integer.compare(y.bytes, x.bytes));
            AtomicInteger next = new AtomicInteger();
            Runnable work = () -> {
                for (int i; (i = next.getAndIncrement()) < order.length; ) {
                    order[i].run();
                }
            };
            List<ForkJoinTask<?>> tasks = new ArrayList<>(helpers);
            for (int h = 0; h < helpers; h++) {
                tasks.add(ForkJoinPool.commonPool().submit(work));
            }
            work.run();
            for (ForkJoinTask<?> t : tasks) {
                t.join();
            }
        }
        for (Compressed c : compressed) {
            if (c.failure != null) {
                throw c.failure;
            }
        }
    }

    private int headerBytes() {
        return wide ? 25 : 13;
    }

    /** Reads the node at {@code pos}, ending no later than {@code limit}; null for a zero record. */
    private FbxNode node(long pos, long limit, int depth, long[] next) {
        if (depth > MAX_DEPTH) {
            throw bad(pos, "nests nodes deeper than " + MAX_DEPTH + " levels");
        }
        if (++nodes > maxNodes) {
            throw new LimitExceededException(file + ": more than " + maxNodes + " FBX nodes for a file of "
                    + buf.capacity() + " bytes");
        }
        if (pos + headerBytes() > limit) {
            throw bad(pos, "a node header runs past the end of its parent (" + limit + ")");
        }
        long end;
        long propCount;
        long propBytes;
        int at = (int) pos;
        if (wide) {
            end = buf.getLong(at);
            propCount = buf.getLong(at + 8);
            propBytes = buf.getLong(at + 16);
            at += 24;
        } else {
            end = Integer.toUnsignedLong(buf.getInt(at));
            propCount = Integer.toUnsignedLong(buf.getInt(at + 4));
            propBytes = Integer.toUnsignedLong(buf.getInt(at + 8));
            at += 12;
        }
        int nameLen = buf.get(at) & 0xFF;
        at += 1;
        if (end == 0 && propCount == 0 && propBytes == 0 && nameLen == 0) {
            next[0] = at;
            return null;
        }
        if (end <= pos || end > limit) {
            throw bad(pos, "a node ends at " + end + ", outside its parent's range " + pos + ".." + limit);
        }
        if (at + nameLen > end) {
            throw bad(pos, "a node name runs past the node's end");
        }
        byte[] nameBytes = new byte[nameLen];
        buf.get(at, nameBytes);
        String name = new String(nameBytes, StandardCharsets.UTF_8);
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < 0x20 || name.charAt(i) == 0x7F) {
                throw bad(pos, "a node name holds control characters; the node table is damaged");
            }
        }
        at += nameLen;
        if (propBytes < 0 || propBytes > end - at) {
            throw bad(pos, "node '" + name + "' declares " + propBytes + " property bytes, more than the node holds");
        }
        long propEnd = at + propBytes;
        if (propEnd > end) {
            throw bad(pos, "node '" + name + "' declares " + propBytes + " property bytes, more than the node holds");
        }
        if (propCount > propBytes) {
            throw bad(pos, "node '" + name + "' declares " + propCount + " properties in " + propBytes + " bytes");
        }
        List<Object> props = new ArrayList<>((int) Math.min(propCount, 64));
        long p = at;
        for (long i = 0; i < propCount; i++) {
            p = property(p, propEnd, props, name);
        }
        if (p != propEnd) {
            throw bad(p, "node '" + name + "' has " + (propEnd - p) + " property bytes its properties do not use");
        }
        List<FbxNode> children = new ArrayList<>();
        long c = propEnd;
        while (c < end) {
            long[] after = new long[1];
            FbxNode child = node(c, end, depth + 1, after);
            if (child == null) {
                c = after[0];
                break;
            }
            children.add(child);
            c = after[0];
        }
        next[0] = end;
        return new FbxNode(name, props, children, pos);
    }

    private long property(long pos, long limit, List<Object> out, String node) {
        if (pos >= limit) {
            throw bad(pos, "node '" + node + "' ends inside its property list");
        }
        int at = (int) pos;
        char type = (char) buf.get(at);
        at++;
        switch (type) {
            case 'Y' -> {
                need(at, 2, limit, node);
                out.add((int) buf.getShort(at));
                return at + 2;
            }
            case 'C' -> {
                need(at, 1, limit, node);
                out.add(buf.get(at) != 0);
                return at + 1;
            }
            case 'I' -> {
                need(at, 4, limit, node);
                out.add(buf.getInt(at));
                return at + 4;
            }
            case 'F' -> {
                need(at, 4, limit, node);
                out.add(buf.getFloat(at));
                return at + 4;
            }
            case 'D' -> {
                need(at, 8, limit, node);
                out.add(buf.getDouble(at));
                return at + 8;
            }
            case 'L' -> {
                need(at, 8, limit, node);
                out.add(buf.getLong(at));
                return at + 8;
            }
            case 'S', 'R' -> {
                need(at, 4, limit, node);
                long len = Integer.toUnsignedLong(buf.getInt(at));
                at += 4;
                need(at, len, limit, node);
                byte[] raw = new byte[(int) len];
                buf.get(at, raw);
                out.add(type == 'S' ? new String(raw, StandardCharsets.UTF_8) : raw);
                return at + len;
            }
            case 'f', 'd', 'l', 'i', 'b', 'c' -> {
                need(at, 12, limit, node);
                long count = Integer.toUnsignedLong(buf.getInt(at));
                int encoding = buf.getInt(at + 4);
                long stored = Integer.toUnsignedLong(buf.getInt(at + 8));
                at += 12;
                need(at, stored, limit, node);
                int size = type == 'd' || type == 'l' ? 8 : type == 'f' || type == 'i' ? 4 : 1;
                long bytes = count * size;
                if (bytes > maxArrayBytes || bytes > Integer.MAX_VALUE - 16) {
                    throw new LimitExceededException(file + ": byte " + pos + ": an array of node '" + node
                            + "' declares " + count + " elements (" + bytes + " bytes), more than the limit of "
                            + maxArrayBytes + " bytes (derived from ReadOptions.maxTriangles)");
                }
                if (encoding == 0) {
                    if (stored != bytes) {
                        throw bad(pos, "an array of node '" + node + "' declares " + count + " elements but stores "
                                + stored + " bytes");
                    }
                    out.add(array(type, (int) count, buf.slice(at, (int) bytes).order(ByteOrder.LITTLE_ENDIAN)));
                } else if (encoding == 1) {
                    // Checked here, before any inflation buffer exists: a declared size the stored bytes cannot
                    // produce, or all arrays together past the named limit, would otherwise be allocated first.
                    if (bytes > stored * MAX_DEFLATE_RATIO + 64) {
                        throw bad(pos, "a compressed array of node '" + node + "' declares " + count + " elements ("
                                + bytes + " bytes), more than its " + stored + " stored bytes can inflate to");
                    }
                    declaredInflated += bytes;
                    if (declaredInflated > maxDecodedBytes) {
                        throw new LimitExceededException(file + ": byte " + pos + ": the compressed arrays inflate to "
                                + "more than " + maxDecodedBytes + " bytes, the limit (ReadOptions.maxDecodedBytes)");
                    }
                    // Inflated once the whole tree is read (see inflateAll); the slot holds null until then.
                    compressed.add(new Compressed(out, out.size(), type, (int) count, at, (int) stored, (int) bytes,
                            pos, node));
                    out.add(null);
                } else {
                    throw bad(pos, "an array of node '" + node + "' has unknown encoding " + encoding);
                }
                return at + stored;
            }
            default -> throw bad(pos, "node '" + node + "' has a property of unknown type '"
                    + (type >= 32 && type < 127 ? String.valueOf(type) : "0x" + Integer.toHexString(type)) + "'");
        }
    }

    private static Object array(char type, int n, ByteBuffer d) {
        Object a = newArray(type, n);
        put(type, a, 0, d);
        return a;
    }

    private static Object newArray(char type, int n) {
        return switch (type) {
            case 'f' -> new float[n];
            case 'd' -> new double[n];
            case 'l' -> new long[n];
            case 'i' -> new int[n];
            default -> new boolean[n];
        };
    }

    /** Converts the little-endian elements of {@code d} (all that remain) into {@code a} from element {@code off}. */
    private static void put(char type, Object a, int off, ByteBuffer d) {
        switch (type) {
            case 'f' -> d.asFloatBuffer().get((float[]) a, off, d.remaining() / 4);
            case 'd' -> d.asDoubleBuffer().get((double[]) a, off, d.remaining() / 8);
            case 'l' -> d.asLongBuffer().get((long[]) a, off, d.remaining() / 8);
            case 'i' -> d.asIntBuffer().get((int[]) a, off, d.remaining() / 4);
            default -> {
                boolean[] z = (boolean[]) a;
                for (int i = 0, n = d.remaining(), p = d.position(); i < n; i++) {
                    z[off + i] = d.get(p + i) != 0;
                }
            }
        }
    }

    /** Bytes inflated at a time before they are converted into the array: the array is the only full-size buffer. */
    private static final int CHUNK = 1 << 16;

    /**
     * Inflates exactly {@code size} bytes into an array of {@code count} elements of {@code type}, a chunk at a
     * time; a stream that ends early or holds more is malformed.
     */
    private Object inflate(char type, int count, int at, int stored, int size, long pos, String node) {
        if ((type == 'd' || type == 'i') && size >= NATIVE_BYTES) {
            MemorySegment out = inflateNative(at, stored, size, pos, node);
            return type == 'd' ? new FbxValues(out) : new FbxInts(out);
        }
        Object array = newArray(type, count);
        // Numbers straight into the array when libdeflate takes the stream whole; anything else (booleans, a
        // stream it refuses) is inflated below, which also says what is wrong with it.
        MemorySegment whole = switch (type) {
            case 'f' -> MemorySegment.ofArray((float[]) array);
            case 'd' -> MemorySegment.ofArray((double[]) array);
            case 'l' -> MemorySegment.ofArray((long[]) array);
            case 'i' -> MemorySegment.ofArray((int[]) array);
            default -> null;
        };
        if (whole != null && whole.byteSize() == size
                && LibDeflate.inflate(MemorySegment.ofBuffer(buf).asSlice(at, stored), whole)) {
            return array;
        }
        int width = type == 'd' || type == 'l' ? 8 : type == 'f' || type == 'i' ? 4 : 1;
        byte[] chunk = new byte[Math.max(8, Math.min(size, CHUNK))];
        Inflater inf = new Inflater();
        try {
            inf.setInput(buf.slice(at, stored));
            int n = 0;
            while (n < size) {
                int want = Math.min(chunk.length, size - n);
                for (int filled = 0; filled < want; ) {
                    int got = inf.inflate(chunk, filled, want - filled);
                    if (got == 0) {
                        throw bad(pos, "a compressed array of node '" + node + "' inflates to " + (n + filled)
                                + " bytes, fewer than the " + size + " it declares");
                    }
                    filled += got;
                }
                put(type, array, n / width, ByteBuffer.wrap(chunk, 0, want).order(ByteOrder.LITTLE_ENDIAN));
                n += want;
            }
            if (!inf.finished()) {
                byte[] probe = new byte[1];
                if (inf.inflate(probe) > 0) {
                    throw bad(pos, "a compressed array of node '" + node + "' inflates to more than the " + size
                            + " bytes it declares");
                }
            }
            return array;
        } catch (DataFormatException e) {
            throw bad(pos, "a compressed array of node '" + node + "' is not valid zlib data (" + e.getMessage() + ")");
        } finally {
            inf.end();
        }
    }

    /**
     * Inflates exactly {@code size} bytes of doubles or ints into native memory of the read, as {@link #inflate}
     * does.
     */
    private MemorySegment inflateNative(int at, int stored, int size, long pos, String node) {
        MemorySegment out = KernelPages.allocate(values, size);
        if (out == null) {
            out = values.allocate(size, Double.BYTES);
        }
        if (LibDeflate.inflate(MemorySegment.ofBuffer(buf).asSlice(at, stored), out)) {
            return out;
        }
        ByteBuffer dst = out.asByteBuffer();
        Inflater inf = new Inflater();
        try {
            inf.setInput(buf.slice(at, stored));
            while (dst.hasRemaining()) {
                if (inf.inflate(dst) == 0) {
                    throw bad(pos, "a compressed array of node '" + node + "' inflates to " + dst.position()
                            + " bytes, fewer than the " + size + " it declares");
                }
            }
            if (!inf.finished() && inf.inflate(new byte[1]) > 0) {
                throw bad(pos, "a compressed array of node '" + node + "' inflates to more than the " + size
                        + " bytes it declares");
            }
            return out;
        } catch (DataFormatException e) {
            throw bad(pos, "a compressed array of node '" + node + "' is not valid zlib data (" + e.getMessage() + ")");
        } finally {
            inf.end();
        }
    }

    private void need(long at, long len, long limit, String node) {
        if (len < 0 || at + len > limit) {
            throw bad(at, "a property of node '" + node + "' needs " + len + " bytes but only " + (limit - at)
                    + " remain in the node");
        }
    }

    private BadInputException bad(long offset, String what) {
        return new BadInputException(file, "byte " + offset + ": " + what);
    }

    private static String hex(ByteBuffer b, int from, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < from + n && i < b.capacity(); i++) {
            sb.append(i > from ? " " : "").append(String.format("%02x", b.get(i) & 0xFF));
        }
        return sb.toString();
    }
}
