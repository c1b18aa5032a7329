// Reads the records of a binary PLY body (either byte order) from a memory-mapped file, checking every bound.
package dev.meshforge.core.io.ply;

import dev.meshforge.core.BadInputException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Elements without lists have a fixed record size: their extent is checked once and their kept properties are
 * read at fixed offsets. Elements with lists are walked property by property, each read checked against the
 * end of the file first. Errors give the byte offset of the record at fault.
 */
final class PlyBinaryBody {
    // Layouts are constants, one per byte order: a layout held in a field would keep the JIT from inlining
    // the access.
    private static final ValueLayout.OfShort SHORT_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT_BE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_LE =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_BE =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_BE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE_LE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE_BE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final Path file;
    private final MemorySegment data;
    private final long end;
    private final boolean big;

    PlyBinaryBody(Path file, MemorySegment data, ByteOrder order) {
        this.file = file;
        this.data = data;
        this.end = data.byteSize();
        this.big = order == ByteOrder.BIG_ENDIAN;
    }

    private int int32(long at) {
        return big ? data.get(INT_BE, at) : data.get(INT_LE, at);
    }

    private short int16(long at) {
        return big ? data.get(SHORT_BE, at) : data.get(SHORT_LE, at);
    }

    /** Reads all records of one element starting at byte {@code at}; returns the offset after them. */
    long read(long at, ElementPlan plan, PlyGeometry geometry) {
        PlyHeader.Element e = plan.element();
        if (e.properties().isEmpty() || e.count() == 0) {
            return at;
        }
        if (!e.hasLists()) {
            return readFixed(at, plan, geometry);
        }
        PlyHeader.Property only = e.properties().getFirst();
        if (e.properties().size() == 1 && plan.action()[0] == ElementPlan.CORNERS && only.countType().size == 1
                && only.type().size == 4) {
            return readFaces(at, plan, geometry);
        }
        return readWalking(at, plan, geometry);
    }

    private long readFixed(long at, ElementPlan plan, PlyGeometry geometry) {
        PlyHeader.Element e = plan.element();
        long stride = e.minBinaryRecordBytes();
        long fit = (end - at) / stride;
        if (e.count() > fit) {
            throw truncated(at + fit * stride, plan, fit);
        }
        if (plan.ignoresAll()) {
            return at + e.count() * stride;
        }
        int kept = 0;
        for (int a : plan.action()) {
            kept += a == ElementPlan.IGNORE ? 0 : 1;
        }
        // Per kept property: where it is in the record, and where its converted value goes.
        long[] offset = new long[kept];
        PlyHeader.Type[] type = new PlyHeader.Type[kept];
        MemorySegment[] target = new MemorySegment[kept];
        long[] components = new long[kept];
        long[] component = new long[kept];
        double[] scale = new double[kept];
        double[] wrap = new double[kept];
        boolean[] flip = new boolean[kept];
        long o = 0;
        for (int k = 0, j = 0; k < e.properties().size(); k++) {
            PlyHeader.Property p = e.properties().get(k);
            int slot = plan.action()[k];
            if (slot != ElementPlan.IGNORE) {
                offset[j] = o;
                type[j] = p.type();
                target[j] = geometry.target(slot);
                components[j] = PlyGeometry.components(slot);
                component[j] = PlyGeometry.component(slot);
                scale[j] = plan.scale()[k];
                wrap[j] = plan.wrap()[k];
                flip[j] = slot == PlyGeometry.V;
                j++;
            }
            o += p.type().size;
        }
        for (long r = 0; r < e.count(); r++) {
            long base = at + r * stride;
            for (int j = 0; j < kept; j++) {
                double x = scalar(type[j], base + offset[j]);
                if (x < 0) {
                    x += wrap[j];
                }
                x *= scale[j];
                if (flip[j]) {
                    x = 1.0 - x;
                }
                target[j].setAtIndex(ValueLayout.JAVA_FLOAT, r * components[j] + component[j], (float) x);
            }
        }
        return at + e.count() * stride;
    }

    /**
     * Faces that hold nothing but an index list with one-byte lengths and four-byte indices, the common layout:
     * triangles go straight to the geometry; anything else (polygons, errors) takes the general path.
     */
    private long readFaces(long at, ElementPlan plan, PlyGeometry geometry) {
        PlyHeader.Property list = plan.element().properties().getFirst();
        boolean signedCount = list.countType().signed;
        long indexMask = list.type().signed ? -1L : 0xFFFF_FFFFL;
        long vertices = geometry.vertexCount();
        long count = plan.element().count();
        for (long r = 0; r < count; r++) {
            if (end - at >= 13) {
                int n = data.get(ValueLayout.JAVA_BYTE, at);
                if (n == 3 || !signedCount && (n & 0xFF) == 3) {
                    long a = int32(at + 1) & indexMask;
                    long b = int32(at + 5) & indexMask;
                    long c = int32(at + 9) & indexMask;
                    if ((a | b | c) >= 0 && a < vertices && b < vertices && c < vertices) {
                        geometry.triangle(r, (int) a, (int) b, (int) c);
                        at += 13;
                        continue;
                    }
                }
            }
            at = list(at, at, plan, r, list, true, geometry);
        }
        return at;
    }

    private long readWalking(long at, ElementPlan plan, PlyGeometry geometry) {
        PlyHeader.Element e = plan.element();
        int n = e.properties().size();
        PlyHeader.Property[] props = e.properties().toArray(new PlyHeader.Property[0]);
        int[] action = plan.action();
        for (long r = 0; r < e.count(); r++) {
            long recordStart = at;
            for (int k = 0; k < n; k++) {
                PlyHeader.Property p = props[k];
                if (p.isList()) {
                    at = action[k] == ElementPlan.CORNER_UVS ? cornerUvs(at, recordStart, plan, r, p, geometry)
                            : list(at, recordStart, plan, r, p, action[k] == ElementPlan.CORNERS, geometry);
                    continue;
                }
                if (at + p.type().size > end) {
                    throw truncated(recordStart, plan, r);
                }
                if (action[k] != ElementPlan.IGNORE) {
                    double x = scalar(p.type(), at);
                    if (x < 0) {
                        x += plan.wrap()[k];
                    }
                    geometry.set(action[k], r, x * plan.scale()[k]);
                }
                at += p.type().size;
            }
        }
        return at;
    }

    /**
     * Reads or steps over the list property {@code p} of record {@code r} at byte {@code at}, checking its
     * extent; face corners are checked against the vertex count and handed to the geometry.
     */
    private long list(long at, long recordStart, ElementPlan plan, long r, PlyHeader.Property p, boolean corners,
                      PlyGeometry geometry) {
        if (at + p.countType().size > end) {
            throw truncated(recordStart, plan, r);
        }
        long items = integer(p.countType(), at);
        if (items < 0) {
            throw new BadInputException(file, "byte " + at + ": list '" + p.name() + "' of " + plan.record(r)
                    + " has a negative length (" + items + ")");
        }
        at += p.countType().size;
        int size = p.type().size;
        if (items > (end - at) / size) {
            throw truncated(recordStart, plan, r);
        }
        if (corners) {
            long vertices = geometry.vertexCount();
            for (long i = 0; i < items; i++) {
                long v = integer(p.type(), at + i * size);
                if (v < 0 || v >= vertices) {
                    throw new BadInputException(file, "byte " + (at + i * size) + ": " + plan.record(r)
                            + " refers to vertex " + v + ", but the file has " + vertices + " vertices (0 to "
                            + (vertices - 1) + ")");
                }
            }
            if (geometry.beginFace(r, items)) {
                for (long i = 0; i < items; i++) {
                    geometry.corner(integer(p.type(), at + i * size));
                }
            }
        }
        return at + items * size;
    }

    /** Reads the per-corner texture coordinates of face {@code r} (list {@code p}) into the geometry. */
    private long cornerUvs(long at, long recordStart, ElementPlan plan, long r, PlyHeader.Property p,
                           PlyGeometry geometry) {
        long after = list(at, recordStart, plan, r, p, false, geometry);
        long first = at + p.countType().size;
        int size = p.type().size;
        long items = (after - first) / size;
        geometry.beginCornerUvs(r, items);
        for (long i = 0; i < items; i++) {
            geometry.cornerUv(scalar(p.type(), first + i * size));
        }
        return after;
    }

    private BadInputException truncated(long at, ElementPlan plan, long record) {
        return new BadInputException(file, "byte " + at + ": the file ends inside " + plan.record(record) + " of the "
                + plan.element().count() + " '" + plan.element().name() + "' records the header declares (the body "
                + "is truncated; the file has " + end + " bytes)");
    }

    private double scalar(PlyHeader.Type t, long at) {
        return switch (t) {
            case CHAR -> data.get(ValueLayout.JAVA_BYTE, at);
            case UCHAR -> data.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
            case SHORT -> int16(at);
            case USHORT -> int16(at) & 0xFFFF;
            case INT -> int32(at);
            case UINT -> Integer.toUnsignedLong(int32(at));
            case FLOAT -> big ? data.get(FLOAT_BE, at) : data.get(FLOAT_LE, at);
            case DOUBLE -> big ? data.get(DOUBLE_BE, at) : data.get(DOUBLE_LE, at);
        };
    }

    /** An integer-typed value; the header parser guarantees list counts and face indices are integer types. */
    private long integer(PlyHeader.Type t, long at) {
        return switch (t) {
            case CHAR -> data.get(ValueLayout.JAVA_BYTE, at);
            case UCHAR -> data.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
            case SHORT -> int16(at);
            case USHORT -> int16(at) & 0xFFFF;
            case INT -> int32(at);
            case UINT -> Integer.toUnsignedLong(int32(at));
            case FLOAT, DOUBLE -> throw new IllegalStateException(t + " is not an integer type");
        };
    }
}
