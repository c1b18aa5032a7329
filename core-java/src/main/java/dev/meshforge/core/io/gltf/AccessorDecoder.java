// Turns glTF accessors (any component type, stride, normalization, sparse) into packed float32 or uint32 data.
package dev.meshforge.core.io.gltf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshforge.core.LimitExceededException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Decodes accessors. Every byte an accessor addresses is checked to lie inside its buffer view before any
 * allocation; counts are checked against a limit so a small hostile file cannot ask for gigabytes.
 */
final class AccessorDecoder {
    static final int BYTE = 5120;
    static final int UNSIGNED_BYTE = 5121;
    static final int SHORT = 5122;
    static final int UNSIGNED_SHORT = 5123;
    static final int UNSIGNED_INT = 5125;
    static final int FLOAT = 5126;

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A decoded accessor: {@code count} elements of {@code components} float32 values. */
    record Floats(MemorySegment data, long count, int components) {
        float get(long element, int component) {
            return data.getAtIndex(ValueLayout.JAVA_FLOAT, element * components + component);
        }
    }

    /** Where an accessor's elements lie: one view of its data with stride, or none (zeros). */
    private record Layout(int componentType, int components, int rows, boolean normalized, long count,
                          MemorySegment bytes, long stride, long columnStride, long elementSize) {
    }

    private final GltfDocument doc;
    private final GltfJson json;
    private final JsonNode accessors;
    private final long maxElements;
    private final Map<Integer, Floats> floatCache = new HashMap<>();

    AccessorDecoder(GltfDocument doc, long maxElements) {
        this.doc = doc;
        this.json = doc.json;
        this.accessors = json.array(doc.root, "accessors", "");
        this.maxElements = maxElements;
    }

    int count() {
        return accessors.size();
    }

    static String where(int i) {
        return "accessors[" + i + "]";
    }

    JsonNode accessor(int i) {
        return json.element(accessors, i, where(i));
    }

    long elementCount(int i) {
        return json.required(accessor(i), "count", where(i));
    }

    boolean hasBufferView(int i) {
        return json.has(accessor(i), "bufferView");
    }

    static int components(String type) {
        return switch (type) {
            case "SCALAR" -> 1;
            case "VEC2" -> 2;
            case "VEC3" -> 3;
            case "VEC4", "MAT2" -> 4;
            case "MAT3" -> 9;
            case "MAT4" -> 16;
            default -> -1;
        };
    }

    static int componentSize(int componentType) {
        return switch (componentType) {
            case BYTE, UNSIGNED_BYTE -> 1;
            case SHORT, UNSIGNED_SHORT -> 2;
            case UNSIGNED_INT, FLOAT -> 4;
            default -> -1;
        };
    }

    private Layout layout(int i) {
        String where = where(i);
        JsonNode a = accessor(i);
        int ct = (int) json.required(a, "componentType", where);
        int size = componentSize(ct);
        if (size < 0) {
            throw json.bad(where, "componentType " + ct + " is not one of 5120 (byte), 5121, 5122, 5123, 5125, 5126 "
                    + "(float)");
        }
        String type = json.string(a, "type", null, where);
        if (type == null) {
            throw json.bad(where, "the required field 'type' is missing");
        }
        int comps = components(type);
        if (comps < 0) {
            throw json.bad(where, "type '" + type + "' is not one of SCALAR, VEC2, VEC3, VEC4, MAT2, MAT3, MAT4");
        }
        long count = json.required(a, "count", where);
        if (count < 1) {
            throw json.bad(where, "count is " + count + " but must be at least 1");
        }
        if (count > maxElements) {
            throw new LimitExceededException(doc.file + ": " + where + " has " + count + " elements, more than the "
                    + "limit of " + maxElements + " derived from ReadOptions.maxTriangles");
        }
        boolean normalized = json.bool(a, "normalized", false, where);
        if (normalized && (ct == FLOAT || ct == UNSIGNED_INT)) {
            throw json.bad(where, "is normalized but its componentType " + ct + " cannot be normalized");
        }
        boolean matrix = type.startsWith("MAT");
        int rows = matrix ? (int) Math.round(Math.sqrt(comps)) : comps;
        long columnStride = matrix ? ((long) rows * size + 3) & ~3L : (long) rows * size;
        long elementSize = matrix ? columnStride * rows : (long) comps * size;
        if (!json.has(a, "bufferView")) {
            doc.chargeDecoded(count * elementSize, false, where + " (no bufferView: " + count + " zero elements)");
            return new Layout(ct, comps, rows, normalized, count, null, elementSize, columnStride, elementSize);
        }
        int view = json.index(a, "bufferView", doc.viewCount(), "buffer view", where);
        MemorySegment bytes = doc.viewBytes(view);
        long offset = json.nonNegative(a, "byteOffset", 0, where);
        int stride = doc.viewStride(view);
        long step = stride == 0 ? elementSize : stride;
        if (stride != 0 && stride < elementSize) {
            throw json.bad(where, "its elements are " + elementSize + " bytes but bufferViews[" + view
                    + "].byteStride is only " + stride);
        }
        if (offset > bytes.byteSize() || count - 1 > (bytes.byteSize() - offset) / step
                || offset + (count - 1) * step + elementSize > bytes.byteSize()) {
            throw json.bad(where, count + " elements of " + elementSize + " bytes (stride " + step + ") at byteOffset "
                    + offset + " run past the end of bufferViews[" + view + "] (" + bytes.byteSize() + " bytes)");
        }
        return new Layout(ct, comps, rows, normalized, count, bytes.asSlice(offset), step, columnStride, elementSize);
    }

    private static float component(Layout l, MemorySegment bytes, long at) {
        switch (l.componentType) {
            case FLOAT:
                return bytes.get(F32, at);
            case UNSIGNED_INT:
                return (float) Integer.toUnsignedLong(bytes.get(I32, at));
            case BYTE: {
                byte b = bytes.get(ValueLayout.JAVA_BYTE, at);
                return l.normalized ? Math.max(b / 127f, -1f) : b;
            }
            case UNSIGNED_BYTE: {
                int b = Byte.toUnsignedInt(bytes.get(ValueLayout.JAVA_BYTE, at));
                return l.normalized ? b / 255f : b;
            }
            case SHORT: {
                short s = bytes.get(I16, at);
                return l.normalized ? Math.max(s / 32767f, -1f) : s;
            }
            default: {
                int s = Short.toUnsignedInt(bytes.get(I16, at));
                return l.normalized ? s / 65535f : s;
            }
        }
    }

    /**
     * Accessor {@code i} as packed float32, allocated from {@code into}. Normalized integers become [0,1] or
     * [-1,1]; other integers keep their values. Sparse substitutions are applied. Results are cached: callers
     * must not modify them.
     */
    Floats floats(int i, SegmentAllocator into) {
        Floats cached = floatCache.get(i);
        if (cached != null) {
            return cached;
        }
        Layout l = layout(i);
        int comps = l.components;
        MemorySegment out = into.allocate(ValueLayout.JAVA_FLOAT, l.count * comps);
        if (l.bytes != null) {
            if (l.componentType == FLOAT && l.rows == comps && l.stride == l.elementSize) {
                MemorySegment.copy(l.bytes, 0, out, 0, l.count * l.elementSize);
            } else if (l.componentType == FLOAT && l.columnStride * (comps / l.rows) == l.elementSize) {
                for (long e = 0; e < l.count; e++) {
                    MemorySegment.copy(l.bytes, e * l.stride, out, e * comps * 4L, l.elementSize);
                }
            } else {
                long o = 0;
                for (long e = 0; e < l.count; e++) {
                    long base = e * l.stride;
                    for (int c = 0; c < comps; c++) {
                        long at = base + (c / l.rows) * l.columnStride + (long) (c % l.rows) * componentSize(
                                l.componentType);
                        out.setAtIndex(ValueLayout.JAVA_FLOAT, o++, component(l, l.bytes, at));
                    }
                }
            }
        }
        applySparse(i, l, out);
        Floats f = new Floats(out, l.count, comps);
        floatCache.put(i, f);
        return f;
    }

    private void applySparse(int i, Layout l, MemorySegment out) {
        String where = where(i) + ".sparse";
        JsonNode a = accessor(i);
        if (!json.has(a, "sparse")) {
            return;
        }
        JsonNode sparse = json.object(a, "sparse", where(i));
        long n = json.required(sparse, "count", where);
        if (n < 1 || n > l.count) {
            throw json.bad(where, "count is " + n + " but must be in 1.." + l.count + " (the accessor's count)");
        }
        JsonNode idx = json.object(sparse, "indices", where);
        JsonNode val = json.object(sparse, "values", where);
        int ict = (int) json.required(idx, "componentType", where + ".indices");
        int isize = ict == UNSIGNED_BYTE ? 1 : ict == UNSIGNED_SHORT ? 2 : ict == UNSIGNED_INT ? 4 : -1;
        if (isize < 0) {
            throw json.bad(where + ".indices", "componentType " + ict + " must be 5121, 5123 or 5125");
        }
        int iview = json.index(idx, "bufferView", doc.viewCount(), "buffer view", where + ".indices");
        if (iview < 0) {
            throw json.bad(where + ".indices", "the required field 'bufferView' is missing");
        }
        MemorySegment ibytes = doc.slice(doc.viewBytes(iview), json.nonNegative(idx, "byteOffset", 0, where),
                n * isize, where + ".indices", "bufferViews[" + iview + "]");
        int vview = json.index(val, "bufferView", doc.viewCount(), "buffer view", where + ".values");
        if (vview < 0) {
            throw json.bad(where + ".values", "the required field 'bufferView' is missing");
        }
        MemorySegment vbytes = doc.slice(doc.viewBytes(vview), json.nonNegative(val, "byteOffset", 0, where),
                n * l.elementSize, where + ".values", "bufferViews[" + vview + "]");
        Layout vl = new Layout(l.componentType, l.components, l.rows, l.normalized, n, vbytes, l.elementSize,
                l.columnStride, l.elementSize);
        int size = componentSize(l.componentType);
        long previous = -1;
        for (long k = 0; k < n; k++) {
            long target = switch (isize) {
                case 1 -> Byte.toUnsignedLong(ibytes.get(ValueLayout.JAVA_BYTE, k));
                case 2 -> Short.toUnsignedLong(ibytes.get(I16, k * 2));
                default -> Integer.toUnsignedLong(ibytes.get(I32, k * 4));
            };
            if (target >= l.count) {
                throw json.bad(where, "sparse index " + target + " (entry " + k + ") is out of range: the accessor has "
                        + l.count + " elements");
            }
            if (target <= previous) {
                throw json.bad(where, "sparse indices must strictly increase, but entry " + k + " is " + target
                        + " after " + previous);
            }
            previous = target;
            for (int c = 0; c < l.components; c++) {
                long at = k * l.elementSize + (c / l.rows) * l.columnStride + (long) (c % l.rows) * size;
                out.setAtIndex(ValueLayout.JAVA_FLOAT, target * l.components + c, component(vl, vbytes, at));
            }
        }
    }

    /**
     * Accessor {@code i} as uint32 indices (SCALAR of unsigned byte, short or int), in a buffer of {@code filled}
     * (given the count; every element is written here, so it need not come zeroed) with a sparse accessor's scratch
     * from {@code into}; every index must be below {@code vertexCount}.
     */
    MemorySegment indices(int i, long vertexCount, LongFunction<MemorySegment> filled,
                          SegmentAllocator into, String usedBy) {
        Layout l = layout(i);
        String where = where(i);
        if (l.components != 1 || !(l.componentType == UNSIGNED_BYTE || l.componentType == UNSIGNED_SHORT
                || l.componentType == UNSIGNED_INT) || l.normalized) {
            throw json.bad(where, "is used as the indices of " + usedBy + " but is not a SCALAR of unsigned byte, "
                    + "short or int");
        }
        MemorySegment out = filled.apply(l.count);
        int size = componentSize(l.componentType);
        boolean sparse = json.has(accessor(i), "sparse");
        if (size == 4 && l.stride == 4 && l.bytes != null && !sparse
                && copyInRange(l.bytes, out, l.count, vertexCount)) {
            return out;
        }
        for (long e = 0; e < l.count; e++) {
            long at = e * l.stride;
            long v = l.bytes == null ? 0 : switch (size) {
                case 1 -> Byte.toUnsignedLong(l.bytes.get(ValueLayout.JAVA_BYTE, at));
                case 2 -> Short.toUnsignedLong(l.bytes.get(I16, at));
                default -> Integer.toUnsignedLong(l.bytes.get(I32, at));
            };
            out.setAtIndex(ValueLayout.JAVA_INT, e, (int) v);
        }
        if (sparse) {
            Floats f = floats(i, into);
            for (long e = 0; e < l.count; e++) {
                out.setAtIndex(ValueLayout.JAVA_INT, e, (int) (long) f.get(e, 0));
            }
        }
        for (long e = 0; e < l.count; e++) {
            long v = Integer.toUnsignedLong(out.getAtIndex(ValueLayout.JAVA_INT, e));
            if (v >= vertexCount) {
                throw json.bad(where, "index " + v + " at position " + e + " is out of range: " + usedBy + " has only "
                        + vertexCount + " vertices");
            }
        }
        return out;
    }

    /** Indices checked at a time: copied into a small array whose check the JIT vectorizes. */
    private static final int CHUNK = 8192;

    /**
     * Copies {@code count} tightly packed little-endian uint32 indices from {@code from} to {@code out} in one pass,
     * checking each chunk on the way; true when every one is below {@code vertexCount}, false (the caller then
     * takes the path that names the first index out of range) when one is not.
     */
    private static boolean copyInRange(MemorySegment from, MemorySegment out, long count, long vertexCount) {
        if (vertexCount > Integer.MAX_VALUE) {
            return false;
        }
        int last = (int) vertexCount - 1;
        int[] chunk = new int[(int) Math.min(count, CHUNK)];
        for (long at = 0; at < count; at += chunk.length) {
            int m = (int) Math.min(chunk.length, count - at);
            MemorySegment.copy(from, I32, at * Integer.BYTES, chunk, 0, m);
            // An index is in range when neither it nor last - it is negative (last is -1 for no vertices).
            int any = last;
            for (int k = 0; k < m; k++) {
                any |= chunk[k] | (last - chunk[k]);
            }
            if (any < 0) {
                return false;
            }
            MemorySegment.copy(chunk, 0, out, ValueLayout.JAVA_INT, at * Integer.BYTES, m);
        }
        return true;
    }
}
