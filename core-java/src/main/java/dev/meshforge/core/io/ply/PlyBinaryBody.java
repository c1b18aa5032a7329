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
    private final Path file;
    private final MemorySegment data;
    private final long end;
    private final ValueLayout.OfShort shortLayout;
    private final ValueLayout.OfInt intLayout;
    private final ValueLayout.OfFloat floatLayout;
    private final ValueLayout.OfDouble doubleLayout;

    PlyBinaryBody(Path file, MemorySegment data, ByteOrder order) {
        this.file = file;
        this.data = data;
        this.end = data.byteSize();
        this.shortLayout = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
        this.intLayout = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
        this.floatLayout = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(order);
        this.doubleLayout = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(order);
    }

    /** Reads all records of one element starting at byte {@code at}; returns the offset after them. */
    long read(long at, ElementPlan plan, PlyGeometry geometry) {
        PlyHeader.Element e = plan.element();
        if (e.properties().isEmpty() || e.count() == 0) {
            return at;
        }
        return e.hasLists() ? readWalking(at, plan, geometry) : readFixed(at, plan, geometry);
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
        long[] offset = new long[kept];
        PlyHeader.Type[] type = new PlyHeader.Type[kept];
        int[] slot = new int[kept];
        double[] scale = new double[kept];
        double[] wrap = new double[kept];
        long o = 0;
        for (int k = 0, j = 0; k < e.properties().size(); k++) {
            PlyHeader.Property p = e.properties().get(k);
            if (plan.action()[k] != ElementPlan.IGNORE) {
                offset[j] = o;
                type[j] = p.type();
                slot[j] = plan.action()[k];
                scale[j] = plan.scale()[k];
                wrap[j] = plan.wrap()[k];
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
                geometry.set(slot[j], r, x * scale[j]);
            }
        }
        return at + e.count() * stride;
    }

    private long readWalking(long at, ElementPlan plan, PlyGeometry geometry) {
        PlyHeader.Element e = plan.element();
        int n = e.properties().size();
        PlyHeader.Property[] props = e.properties().toArray(new PlyHeader.Property[0]);
        int[] action = plan.action();
        long vertices = geometry.vertexCount();
        for (long r = 0; r < e.count(); r++) {
            long recordStart = at;
            for (int k = 0; k < n; k++) {
                PlyHeader.Property p = props[k];
                if (!p.isList()) {
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
                    continue;
                }
                if (at + p.countType().size > end) {
                    throw truncated(recordStart, plan, r);
                }
                long items = integer(p.countType(), at);
                if (items < 0) {
                    throw new BadInputException(file, "byte " + at + ": list '" + p.name() + "' of "
                            + plan.record(r) + " has a negative length (" + items + ")");
                }
                at += p.countType().size;
                int size = p.type().size;
                if (items > (end - at) / size) {
                    throw truncated(recordStart, plan, r);
                }
                if (action[k] == ElementPlan.CORNERS) {
                    boolean keep = geometry.beginFace(r, items);
                    for (long i = 0; i < items; i++) {
                        long v = integer(p.type(), at + i * size);
                        if (v < 0 || v >= vertices) {
                            throw new BadInputException(file, "byte " + (at + i * size) + ": " + plan.record(r)
                                    + " refers to vertex " + v + ", but the file has " + vertices + " vertices (0 to "
                                    + (vertices - 1) + ")");
                        }
                        if (keep) {
                            geometry.corner(v);
                        }
                    }
                }
                at += items * size;
            }
        }
        return at;
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
            case SHORT -> data.get(shortLayout, at);
            case USHORT -> data.get(shortLayout, at) & 0xFFFF;
            case INT -> data.get(intLayout, at);
            case UINT -> Integer.toUnsignedLong(data.get(intLayout, at));
            case FLOAT -> data.get(floatLayout, at);
            case DOUBLE -> data.get(doubleLayout, at);
        };
    }

    /** An integer-typed value; the header parser guarantees list counts and face indices are integer types. */
    private long integer(PlyHeader.Type t, long at) {
        return switch (t) {
            case CHAR -> data.get(ValueLayout.JAVA_BYTE, at);
            case UCHAR -> data.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
            case SHORT -> data.get(shortLayout, at);
            case USHORT -> data.get(shortLayout, at) & 0xFFFF;
            case INT -> data.get(intLayout, at);
            case UINT -> Integer.toUnsignedLong(data.get(intLayout, at));
            case FLOAT, DOUBLE -> throw new IllegalStateException(t + " is not an integer type");
        };
    }
}
