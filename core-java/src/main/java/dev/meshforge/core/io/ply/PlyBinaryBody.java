// Reads the records of a binary PLY body (either byte order) from a memory-mapped file, checking every bound.
package dev.meshforge.core.io.ply;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.io.internal.TwoHalves;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Elements without lists have a fixed record size: their extent is checked once and their kept properties are
 * read at fixed offsets. Elements with lists are walked property by property, each read checked against the
 * end of the file first. Errors give the byte offset of the record at fault. Over a body that other threads may
 * read (a large file's, see {@link #PlyBinaryBody}), an element of {@link #PARALLEL_RECORDS} records or more of
 * floats, or of triangles in the common layout, is read in two halves at once, the later on the common pool.
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

    private static final VarHandle INT_LE_BYTES =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_BE_BYTES =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    /** Face records of 13 bytes (a one-byte count of 3, three 4-byte indices) decoded at a time. */
    private static final int TRIANGLE_RECORDS = 4096;
    /** Records converted a property at a time (see {@link #readFixed}): 2048 records of 32 bytes fill 64 KiB. */
    private static final int COLUMN_RECORDS = 2048;
    /** From this many records an element of the common layouts is read in two halves at once. */
    static final long PARALLEL_RECORDS = 1 << 16;

    private final Path file;
    private final MemorySegment data;
    private final long end;
    private final boolean big;
    private final boolean halves;

    /**
     * @param halves whether large elements are read in two halves at once: {@code data} must then be readable by
     *               other threads (a shared arena's), and the read's caller has a second processor to give
     */
    PlyBinaryBody(Path file, MemorySegment data, ByteOrder order, boolean halves) {
        this.file = file;
        this.data = data;
        this.end = data.byteSize();
        this.big = order == ByteOrder.BIG_ENDIAN;
        this.halves = halves;
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
        if (stride == 4L * e.properties().size() && allFloats(e)) {
            return readFloatRecords(at, e.count(), e.properties().size(), offset, target, components, component,
                    scale, wrap, flip);
        }
        // Property by property over blocks of records small enough to stay in cache between the properties: each
        // property's loop then has one type and one conversion, which a loop over the record's properties has not.
        for (long first = 0; first < e.count(); first += COLUMN_RECORDS) {
            long n = Math.min(COLUMN_RECORDS, e.count() - first);
            long base = at + first * stride;
            for (int j = 0; j < kept; j++) {
                column(type[j], base + offset[j], stride, n, target[j], first * components[j] + component[j],
                        components[j], scale[j], wrap[j], flip[j]);
            }
        }
        return at + e.count() * stride;
    }

    /** Whether {@link #read} writes every component of the targets of {@code e} (records of floats only). */
    static boolean fillsTargets(PlyHeader.Element e) {
        return !e.hasLists() && !e.properties().isEmpty() && allFloats(e);
    }

    private static boolean allFloats(PlyHeader.Element e) {
        for (PlyHeader.Property p : e.properties()) {
            if (p.isList() || p.type() != PlyHeader.Type.FLOAT) {
                return false;
            }
        }
        return true;
    }

    /**
     * Records of {@code props} floats and nothing else (x y z, normals, texture coordinates as most writers store
     * them): a block of records is copied out at once, each kept property converted into the rows of its target
     * in an array, and each target's rows copied in at once. A target's components that no property fills are
     * written as 0, what its fresh buffer holds (the vertex element is the only one that fills targets).
     */
    private long readFloatRecords(long at, long count, int props, long[] offset, MemorySegment[] target,
                                  long[] components, long[] component, double[] scale, double[] wrap,
                                  boolean[] flip) {
        int kept = offset.length;
        MemorySegment[] targets = new MemorySegment[kept];
        int[] width = new int[kept];
        int[] targetOf = new int[kept];
        int distinct = 0;
        for (int j = 0; j < kept; j++) {
            int t = 0;
            while (t < distinct && targets[t] != target[j]) {
                t++;
            }
            if (t == distinct) {
                targets[t] = target[j];
                width[t] = (int) components[j];
                distinct++;
            }
            targetOf[j] = t;
        }
        FloatColumns columns = new FloatColumns(props, offset, components, component, scale, wrap, flip,
                java.util.Arrays.copyOf(targets, distinct), java.util.Arrays.copyOf(width, distinct), targetOf);
        if (halves && count >= PARALLEL_RECORDS) {
            long half = count / 2;
            TwoHalves.run(() -> floatRecords(at, 0, half, columns), () -> floatRecords(at, half, count, columns));
        } else {
            floatRecords(at, 0, count, columns);
        }
        return at + count * props * Float.BYTES;
    }

    /**
     * What {@link #readFloatRecords} does with records of {@code props} floats: per kept property (its offset in the
     * record, its conversion, the index of its target), and per distinct target its floats per vertex.
     */
    private record FloatColumns(int props, long[] offset, long[] components, long[] component, double[] scale,
                                double[] wrap, boolean[] flip, MemorySegment[] targets, int[] width,
                                int[] targetOf) {
    }

    /** Records {@code from} to {@code to} (exclusive) of {@link #readFloatRecords}, a block at a time. */
    private void floatRecords(long at, long from, long to, FloatColumns c) {
        int props = c.props();
        float[] in = new float[COLUMN_RECORDS * props];
        float[][] rows = new float[c.targets().length][];
        for (int t = 0; t < rows.length; t++) {
            rows[t] = new float[COLUMN_RECORDS * c.width()[t]];
        }
        for (long first = from; first < to; first += COLUMN_RECORDS) {
            int n = (int) Math.min(COLUMN_RECORDS, to - first);
            MemorySegment.copy(data, big ? FLOAT_BE : FLOAT_LE, at + first * props * Float.BYTES, in, 0, n * props);
            for (int j = 0; j < c.offset().length; j++) {
                convert(in, (int) (c.offset()[j] / Float.BYTES), props, n, rows[c.targetOf()[j]],
                        (int) c.component()[j], (int) c.components()[j], c.scale()[j], c.wrap()[j], c.flip()[j]);
            }
            for (int t = 0; t < rows.length; t++) {
                MemorySegment.copy(rows[t], 0, c.targets()[t], ValueLayout.JAVA_FLOAT,
                        first * c.width()[t] * Float.BYTES, n * c.width()[t]);
            }
        }
    }

    /** {@link #column} for floats already in an array: every {@code props}-th from {@code from} into {@code out}. */
    private static void convert(float[] in, int from, int props, int n, float[] out, int to, int step, double scale,
                                double wrap, boolean flip) {
        if (scale == 1.0 && wrap == 0) {
            if (flip) {
                for (int i = 0; i < n; i++) {
                    out[to + i * step] = (float) (1.0 - in[from + i * props]);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[to + i * step] = in[from + i * props];
                }
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            double x = in[from + i * props];
            if (x < 0) {
                x += wrap;
            }
            x *= scale;
            if (flip) {
                x = 1.0 - x;
            }
            out[to + i * step] = (float) x;
        }
    }

    /**
     * Converts {@code n} values of type {@code t}, {@code stride} bytes apart from byte {@code from}, into every
     * {@code step}-th float of {@code target} from float {@code to}: {@code (raw < 0 ? raw + wrap : raw) * scale},
     * then {@code 1 - that} where {@code flip}. Little-endian floats, the common case, have loops of their own
     * that compute the same values.
     */
    private void column(PlyHeader.Type t, long from, long stride, long n, MemorySegment target, long to, long step,
                        double scale, double wrap, boolean flip) {
        if (t == PlyHeader.Type.FLOAT && !big && scale == 1.0 && wrap == 0) {
            if (flip) {
                for (long i = 0; i < n; i++) {
                    float x = data.get(FLOAT_LE, from + i * stride);
                    target.setAtIndex(ValueLayout.JAVA_FLOAT, to + i * step, (float) (1.0 - x));
                }
            } else {
                for (long i = 0; i < n; i++) {
                    target.setAtIndex(ValueLayout.JAVA_FLOAT, to + i * step, data.get(FLOAT_LE, from + i * stride));
                }
            }
            return;
        }
        for (long i = 0; i < n; i++) {
            double x = scalar(t, from + i * stride);
            if (x < 0) {
                x += wrap;
            }
            x *= scale;
            if (flip) {
                x = 1.0 - x;
            }
            target.setAtIndex(ValueLayout.JAVA_FLOAT, to + i * step, (float) x);
        }
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
        if (halves && count >= PARALLEL_RECORDS && vertices <= Integer.MAX_VALUE && (end - at) / 13 >= count
                && data.get(ValueLayout.JAVA_BYTE, at) == 3 && triangleHalves(at, count, (int) vertices - 1,
                geometry)) {
            return at + 13 * count;
        }
        byte[] records = vertices <= Integer.MAX_VALUE ? new byte[TRIANGLE_RECORDS * 13] : null;
        int[] corners = records == null ? null : new int[TRIANGLE_RECORDS * 3];
        int block = 16;
        for (long r = 0; r < count; r++) {
            if (records != null && end - at >= 13 && data.get(ValueLayout.JAVA_BYTE, at) == 3) {
                // A block of records copied out at once; the triangles at its start go to the geometry together.
                // The block doubles while whole blocks are triangles and shrinks to twice a shorter run, so that
                // polygons among the triangles cost little copying.
                int n = (int) Math.min(block, Math.min(count - r, (end - at) / 13));
                int run = triangleRun(at, n, (int) vertices - 1, records, corners);
                block = run == n ? Math.min(TRIANGLE_RECORDS, 2 * n) : Math.max(16, 2 * run);
                if (run > 0) {
                    geometry.triangles(r, corners, run);
                    r += run - 1;
                    at += 13L * run;
                    continue;
                }
            }
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

    /**
     * Reads {@code count} face records from byte {@code at} as triangles in two halves at once, straight into the
     * scene's index buffer, where every record is a triangle of indices in 0..{@code last} (then the second half
     * starts 13 bytes a record on, as both halves assume). False where one is not: nothing is added to the
     * geometry, and the caller reads the faces one after another as if this had not been tried.
     */
    private boolean triangleHalves(long at, long count, int last, PlyGeometry geometry) {
        MemorySegment idx = geometry.triangleBuffer(count);
        if (idx == null) {
            return false;
        }
        long half = count / 2;
        TwoHalves.Results<Long> stops = TwoHalves.run(() -> triangleRange(at, 0, half, last, idx),
                () -> triangleRange(at, half, count, last, idx));
        long firstStop = stops.first();
        long laterStop = stops.later();
        if (firstStop < half || laterStop < count) {
            return false;
        }
        geometry.trianglesWritten(count);
        return true;
    }

    /**
     * Decodes face records {@code from} to {@code to} (exclusive), each 13 bytes from byte {@code at}, into corners
     * {@code 3 * from} on of {@code idx}, while they are triangles of indices in 0..{@code last}; returns the first
     * record that is not (or {@code to}).
     */
    private long triangleRange(long at, long from, long to, int last, MemorySegment idx) {
        byte[] records = new byte[TRIANGLE_RECORDS * 13];
        int[] corners = new int[TRIANGLE_RECORDS * 3];
        for (long r = from; r < to; ) {
            int n = (int) Math.min(TRIANGLE_RECORDS, to - r);
            int run = triangleRun(at + 13 * r, n, last, records, corners);
            MemorySegment.copy(corners, 0, idx, ValueLayout.JAVA_INT, 3 * r * Integer.BYTES, 3 * run);
            if (run < n) {
                return r + run;
            }
            r += n;
        }
        return to;
    }

    /**
     * Copies {@code n} 13-byte records from byte {@code at} and decodes, into {@code corners}, those at the start
     * that are triangles (a count of 3) whose three indices lie in 0..{@code last}; returns how many those are.
     */
    private int triangleRun(long at, int n, int last, byte[] records, int[] corners) {
        if (n <= 0) {
            return 0;
        }
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at, records, 0, n * 13);
        for (int k = 0; k < n; k++) {
            int o = k * 13;
            int a = big ? (int) INT_BE_BYTES.get(records, o + 1) : (int) INT_LE_BYTES.get(records, o + 1);
            int b = big ? (int) INT_BE_BYTES.get(records, o + 5) : (int) INT_LE_BYTES.get(records, o + 5);
            int c = big ? (int) INT_BE_BYTES.get(records, o + 9) : (int) INT_LE_BYTES.get(records, o + 9);
            // In range when none of a, b, c, last - a, last - b, last - c is negative (signed or not, an index
            // above last is out of range, and last is below 2^31 here).
            if (records[o] != 3 || (a | b | c | (last - a) | (last - b) | (last - c)) < 0) {
                return k;
            }
            corners[3 * k] = a;
            corners[3 * k + 1] = b;
            corners[3 * k + 2] = c;
        }
        return n;
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
