// Reads binary and ASCII STL into a scene: one triangle primitive, millimetres assumed, Z up.
package dev.meshforge.core.io.stl;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.io.FloatList;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.io.SceneReader;
import dev.meshforge.core.io.internal.ExactWeld;
import dev.meshforge.core.io.internal.SceneFill;
import dev.meshforge.core.io.internal.TwoHalves;
import dev.meshforge.core.io.text.TextCursor;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.Units;
import dev.meshforge.core.scene.VertexAttribute;
import dev.meshforge.core.scene.internal.KernelPages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * STL in both encodings. A file is binary when its size is exactly 84 + 50 × (the header's triangle count),
 * even if its header starts with "solid"; it is ASCII when it starts with "solid" and its first keyword
 * after that line is "facet" or "endsolid"; otherwise it is read as binary, and a triangle count that
 * disagrees with the size is reported: the whole triangles present are read, with a warning. Corners are welded by
 * exact position into an indexed mesh. Text after the end keywords (endloop, endfacet, endsolid) is ignored.
 * Triangles with non-finite coordinates are skipped with a warning. Facet normals are not kept: they are derivable, and in practice
 * often wrong (even unparsable: that is only a warning).
 */
public final class StlReader implements SceneReader {
    static final int HEADER = 80;
    static final int RECORD = 50;

    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED;
    private static final VarHandle INT_BYTES = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** Triangles read out of the file at a time (200 KiB of records: a read call each, and the weld's batch). */
    private static final int BLOCK = 4096;
    /** From this many triangles a binary file is welded in two halves at once. */
    private static final long PARALLEL_TRIANGLES = 1 << 16;

    /**
     * True: a triangle with a NaN or infinite coordinate is skipped as its record or facet is decoded (binary: its
     * bits; ASCII: its values as float), and the scene holds positions only.
     */
    @Override
    public boolean leavesOnlyFiniteValues() {
        return true;
    }

    @Override
    public Scene read(Path file, ReadOptions options) throws IOException {
        Scene streamed = readStreamed(file, options);
        if (streamed != null) {
            return streamed;
        }
        // Shared: a large binary file's halves are welded by two threads. The arena of the file's bytes also holds
        // the second half's positions until the read ends: an arena of their own, closed after the merge, cost
        // its close (a handshake with every thread) on each read.
        return SceneFill.fillMapped(file, "an STL file", new Scene().units(Units.STL_ASSUMED), true,
                (data, scene, bytes) -> read(file, data, scene, bytes, options));
    }

    /**
     * A large binary STL (exactly 84 + 50 × its declared count bytes, from {@link #PARALLEL_TRIANGLES} triangles)
     * welded without a copy of the whole file: each half's thread reads its records a block at a time into a buffer
     * of its own, which stays in cache, and welds them from there. Read into memory first (SceneFill.map), a
     * 2M-triangle file was written to 96 MiB of huge pages that the weld then read again (the copy of its records
     * out of them alone about 5 % of the read's profile). Null
     * where the file is not such a file, and where it ends early while read (it shrank meanwhile): then it is read
     * as any other file is, as it is by then. A file that grows meanwhile is read up to the size first seen, as
     * SceneFill does.
     */
    private static Scene readStreamed(Path file, ReadOptions options) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER + 4 + PARALLEL_TRIANGLES * RECORD || (size - HEADER - 4) % RECORD != 0) {
                return null;
            }
            ByteBuffer head = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (head.hasRemaining()) {
                if (ch.read(head, HEADER + head.position()) < 0) {
                    return null;
                }
            }
            long count = Integer.toUnsignedLong(head.getInt(0));
            if (!holdsExactly(size, count)) {
                return null;
            }
            checkLimits(file, count, options);
            // Shared: the second half's thread reads into a buffer of it, and welds the positions kept there.
            try (Arena scratch = Arena.ofShared()) {
                return SceneFill.fillOrClose(new Scene().units(Units.STL_ASSUMED),
                        scene -> weldRecords(file, count, scene, scratch, () -> new FileRecords(ch, scratch)));
            } catch (FileChanged shrank) {
                return null;
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }

    private static void read(Path file, MemorySegment data, Scene scene, Arena scratch, ReadOptions options) {
        if (isBinary(data)) {
            readBinary(file, data, scene, scratch, options);
        } else if (isAscii(data)) {
            readAscii(file, data, scene, options);
        } else if (data.byteSize() < HEADER + 4) {
            throw new BadInputException(file, "is " + data.byteSize() + " bytes: too short for a binary STL "
                    + "(84-byte header) and it does not start with 'solid' followed by facets");
        } else {
            readBinary(file, data, scene, scratch, options);
        }
    }

    private static boolean isBinary(MemorySegment data) {
        long size = data.byteSize();
        if (size < HEADER + 4) {
            return false;
        }
        long declared = Integer.toUnsignedLong(data.get(INT_LE, HEADER));
        return holdsExactly(size, declared);
    }

    /** Whether a file of {@code size} bytes is the header and exactly {@code declared} records: binary STL. */
    private static boolean holdsExactly(long size, long declared) {
        return HEADER + 4 + declared * RECORD == size;
    }

    private static boolean isAscii(MemorySegment data) {
        TextCursor cursor = new TextCursor(data.asSlice(0, Math.min(data.byteSize(), 4096)));
        if (!cursor.next() || !cursor.tokenIs("solid")) {
            return false;
        }
        cursor.skipLine();
        // An empty "solid name" file ends right there; a real one goes on with facet or endsolid.
        return !cursor.next() || cursor.tokenIs("facet") || cursor.tokenIs("endsolid");
    }

    private static void readBinary(Path file, MemorySegment data, Scene scene, Arena scratch, ReadOptions options) {
        long size = data.byteSize();
        long declared = Integer.toUnsignedLong(data.get(INT_LE, HEADER));
        long present = (size - HEADER - 4) / RECORD;
        long count = declared;
        if (declared > present) {
            scene.warn(file + ": the header declares " + declared + " triangles but the file holds only " + present
                    + " (" + size + " bytes); reading those " + present);
            count = present;
        } else if (declared < present || (size - HEADER - 4) % RECORD != 0) {
            scene.warn(file + ": " + (size - HEADER - 4 - declared * RECORD) + " bytes follow the " + declared
                    + " triangles the header declares; ignored");
        }
        checkLimits(file, count, options);
        weldRecords(file, count, scene, scratch,
                () -> (first, n, into) -> MemorySegment.copy(data, ValueLayout.JAVA_BYTE, HEADER + 4 + first * RECORD,
                        into, 0, n * RECORD));
    }

    private static void checkLimits(Path file, long count, ReadOptions options) {
        if (count > options.maxTriangles()) {
            throw new LimitExceededException(file + ": holds " + count + " triangles, more than the limit of "
                    + options.maxTriangles() + " (ReadOptions.maxTriangles)");
        }
        checkCorners(file, count);
    }

    /** Where a weld reads its records: a block of them at a time. */
    @FunctionalInterface
    private interface Records {
        /** Copies {@code n} records from record {@code first} (0 the file's first) into {@code into} from 0. */
        void copy(long first, int n, byte[] into);
    }

    /** Records read from the file into a buffer of one block, one positional read (or more) a block. */
    private static final class FileRecords implements Records {
        private final FileChannel ch;
        private final MemorySegment buffer;
        private final ByteBuffer view;

        FileRecords(FileChannel ch, Arena arena) {
            this.ch = ch;
            this.buffer = arena.allocate((long) BLOCK * RECORD, 64);
            this.view = buffer.asByteBuffer();
        }

        @Override
        public void copy(long first, int n, byte[] into) {
            long at = HEADER + 4 + first * RECORD;
            view.clear().limit(n * RECORD);
            try {
                while (view.hasRemaining()) {
                    if (ch.read(view, at + view.position()) < 0) {
                        throw new FileChanged();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // Decoded from an array: reading the ints straight from the buffer took more CPU than this copy saves.
            MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, into, 0, n * RECORD);
        }
    }

    /** The file ended before the size it had when the read began. */
    private static final class FileChanged extends RuntimeException {
        FileChanged() {
            super(null, null, false, false);
        }
    }

    /**
     * Welds the first {@code count} records into the scene's one primitive, the records of each thread from a
     * {@link Records} of {@code records}. From {@link #PARALLEL_TRIANGLES} triangles (and a second processor), two
     * halves at once, each welded into a table of its own; the second's vertices are then added to the first's in
     * their order, which numbers them as one weld of the whole would (first appearance), and its corners renumbered.
     * The first's positions are the scene's; the second's, off the heap in {@code scratch} until the read ends.
     */
    private static void weldRecords(Path file, long count, Scene scene, Arena scratch, Supplier<Records> records) {
        // Not zeroed: the welds write every kept triangle's corners, and the tail skipped ones leave is zeroed below.
        MemorySegment idx = scene.allocateFilled(ValueLayout.JAVA_INT, Math.max(1, count * 3));
        Part whole;
        if (count < PARALLEL_TRIANGLES || Runtime.getRuntime().availableProcessors() < 2) {
            whole = weld(file, records.get(), 0, count, count, idx, positionsOf(scene));
        } else {
            long half = count / 2;
            SegmentAllocator later = (bytes, alignment) -> {
                MemorySegment mapped = KernelPages.reused(scratch, bytes, false);
                return mapped != null ? mapped : scratch.allocate(bytes, alignment);
            };
            TwoHalves.Results<Part> parts = TwoHalves.run(
                    () -> weld(file, records.get(), 0, half, count, idx, positionsOf(scene)),
                    () -> weld(file, records.get(), half, count, count - half, idx, later));
            whole = parts.first();
            whole.append(parts.later(), idx);
        }
        idx.asSlice(whole.kept * 3 * Integer.BYTES).fill((byte) 0);
        if (whole.skipped > 0) {
            scene.warn(file + ": skipped " + whole.skipped + " triangles with NaN or infinite coordinates (the first "
                    + "is triangle " + whole.firstSkipped + ")");
        }
        finish(file, scene, whole.weld, idx, whole.kept);
    }

    /**
     * Welds triangles {@code from} to {@code to} (exclusive) of a binary STL, writing the kept ones' corner numbers
     * into {@code idx} from corner {@code 3 * from}: one pass over blocks of triangles, each triangle's nine
     * coordinates read as bits and checked, the finite ones welded as a batch ({@link Sharing}). The weld's
     * positions are sized for {@code holds} triangles' (the later half's are appended to the first's) and kept in
     * memory of {@code positions}.
     */
    private static Part weld(Path file, Records records, long from, long to, long holds, MemorySegment idx,
            SegmentAllocator positions) {
        Part part = new Part(from, new ExactWeld((to - from) * 3, holds * 3, positions, file.toString()));
        Sharing sharing = new Sharing();
        byte[] block = new byte[BLOCK * RECORD];
        for (long first = from; first < to; first += BLOCK) {
            int n = (int) Math.min(BLOCK, to - first);
            records.copy(first, n, block);
            int kept = sharing.weld(part.weld, block, n);
            if (sharing.skipped > 0) {
                if (part.firstSkipped < 0) {
                    part.firstSkipped = first + sharing.firstSkipped;
                }
                part.skipped += sharing.skipped;
            }
            MemorySegment.copy(sharing.numbers, 3, idx, ValueLayout.JAVA_INT, (from + part.kept) * 12, kept * 3);
            part.kept += kept;
        }
        return part;
    }

    /**
     * Welds a block of triangles whose corners an exporter of an indexed mesh mostly shares with the triangle before
     * (two of each triangle's three on a strip or a grid of quads): a corner bit-equal to one of the previous
     * triangle's takes its number without a lookup, the others are welded as a batch. The comparison is of raw
     * bits: a corner that differs from one before only in a zero's sign is looked up, and the weld, which takes -0
     * as 0, gives it the same number. The numbers are those of welding every corner, as a repeated position is no
     * new vertex. The benchmarks' torus (quads of two triangles, each sharing an edge with the one before) has two
     * corners in three found so; its 2M-triangle read took about 0.88x the threads' CPU time of looking every corner
     * up (medians of 20 reads, 4 alternating pairs on a loaded machine). The lookups left are mostly first meetings,
     * whose slots miss the caches. A weld without those misses, by buckets (each corner's bits and number appended,
     * 16 bytes, to one of 256 buckets of native chunks chosen by hash bits; each bucket welded in a table that stays
     * in cache; the corners then numbered in order from their buckets' answers), took more: its three passes over
     * about 100 MB cost 74, 74 and 46 ms of both threads' CPU on that file, against 130-145 ms for the whole read
     * welding as here. A record is decoded into locals and compared there with the triangle before's, with no array of
     * corners between the two: decode and shortcut took about 37 against 44 ms of CPU a read of that file (profiles
     * of 60 reads).
     */
    private static final class Sharing {
        /** The kept corners' numbers from 3, after the previous block's last kept triangle's three. */
        final int[] numbers = new int[3 + BLOCK * 3];
        /** The last block's records with a NaN or infinite coordinate: how many, and the first's place (-1: none). */
        int skipped;
        int firstSkipped;
        /** Where a corner's number comes from: from 0, its place among those looked up; below, -1 - a corner before. */
        private final int[] source = new int[BLOCK * 3];
        private final int[] lookups = new int[BLOCK * 9];
        private final int[] looked = new int[BLOCK * 3];
        /**
         * The previous block's last kept triangle's corners' bits; before the first block, a NaN's: no kept corner
         * equals them, so its first triangle is looked up.
         */
        private final int[] before = {NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
        private static final int NAN = 0x7FC00000;
        private static final int EXPONENT = 0x7F800000;

        /**
         * Welds the finite triangles of the {@code n} records of {@code block}, their corners' numbers into
         * {@link #numbers} from 3; answers how many were kept (the others counted in {@link #skipped}). Each
         * triangle's nine coordinates are read as bits and checked, and its corners compared with the kept triangle
         * before's, held in locals.
         */
        int weld(ExactWeld weld, byte[] block, int n) {
            int[] b = before;
            int p0 = b[0], p1 = b[1], p2 = b[2], p3 = b[3], p4 = b[4], p5 = b[5], p6 = b[6], p7 = b[7], p8 = b[8];
            int m = 0;
            int t = 0;
            skipped = 0;
            firstSkipped = -1;
            for (int r = 0; r < n; r++) {
                int at = r * RECORD + 12;
                int ax = (int) INT_BYTES.get(block, at);
                int ay = (int) INT_BYTES.get(block, at + 4);
                int az = (int) INT_BYTES.get(block, at + 8);
                int bx = (int) INT_BYTES.get(block, at + 12);
                int by = (int) INT_BYTES.get(block, at + 16);
                int bz = (int) INT_BYTES.get(block, at + 20);
                int cx = (int) INT_BYTES.get(block, at + 24);
                int cy = (int) INT_BYTES.get(block, at + 28);
                int cz = (int) INT_BYTES.get(block, at + 32);
                if ((ax & EXPONENT) == EXPONENT | (ay & EXPONENT) == EXPONENT | (az & EXPONENT) == EXPONENT
                        | (bx & EXPONENT) == EXPONENT | (by & EXPONENT) == EXPONENT | (bz & EXPONENT) == EXPONENT
                        | (cx & EXPONENT) == EXPONENT | (cy & EXPONENT) == EXPONENT | (cz & EXPONENT) == EXPONENT) {
                    if (firstSkipped < 0) {
                        firstSkipped = r;
                    }
                    skipped++;
                    continue;
                }
                int c = 3 * t; // this triangle's first corner; the triangle before's numbers lie at c to c + 2
                m = share(c, c, match(ax, ay, az, p0, p1, p2, p3, p4, p5, p6, p7, p8), ax, ay, az, m);
                m = share(c + 1, c, match(bx, by, bz, p0, p1, p2, p3, p4, p5, p6, p7, p8), bx, by, bz, m);
                m = share(c + 2, c, match(cx, cy, cz, p0, p1, p2, p3, p4, p5, p6, p7, p8), cx, cy, cz, m);
                p0 = ax;
                p1 = ay;
                p2 = az;
                p3 = bx;
                p4 = by;
                p5 = bz;
                p6 = cx;
                p7 = cy;
                p8 = cz;
                t++;
            }
            weld.addAll(lookups, m, looked);
            for (int c = 0; c < 3 * t; c++) {
                int s = source[c];
                numbers[3 + c] = s >= 0 ? looked[s] : numbers[-1 - s];
            }
            if (t > 0) {
                System.arraycopy(numbers, 3 * t, numbers, 0, 3);
                b[0] = p0;
                b[1] = p1;
                b[2] = p2;
                b[3] = p3;
                b[4] = p4;
                b[5] = p5;
                b[6] = p6;
                b[7] = p7;
                b[8] = p8;
            }
            return t;
        }

        /**
         * Notes where corner {@code c}'s number comes from: corner {@code w} of the triangle before, whose numbers lie
         * from {@code before}, or where {@code w} is -1 the lookup of (x, y, z) as the {@code m}th; answers how many
         * lookups there are then.
         */
        private int share(int c, int before, int w, int x, int y, int z, int m) {
            if (w >= 0) {
                source[c] = -1 - (before + w);
                return m;
            }
            lookups[3 * m] = x;
            lookups[3 * m + 1] = y;
            lookups[3 * m + 2] = z;
            source[c] = m;
            return m + 1;
        }

        /** Which of the three corners (p0, p1, p2), (p3, p4, p5), (p6, p7, p8) has the bits (x, y, z): -1 none. */
        private static int match(int x, int y, int z, int p0, int p1, int p2, int p3, int p4, int p5, int p6, int p7,
                int p8) {
            return x == p0 && y == p1 && z == p2 ? 0 : x == p3 && y == p4 && z == p5 ? 1
                    : x == p6 && y == p7 && z == p8 ? 2 : -1;
        }
    }

    /** What {@link #weld} made of a run of triangles: their weld, and the kept ones' corners from {@code from}. */
    private static final class Part {
        final long from;
        final ExactWeld weld;
        long kept;
        long skipped;
        long firstSkipped = -1;

        Part(long from, ExactWeld weld) {
            this.from = from;
            this.weld = weld;
        }

        /**
         * Takes in {@code later}, the part that follows this one: its vertices, its corners moved and renumbered. The
         * lookups of its vertices in this part's weld, and its corners where they do not move (no triangle of this
         * part was skipped), are shared between this thread and the common pool: the merge is the serial part of a
         * read in two halves.
         */
        void append(Part later, MemorySegment idx) {
            int[] to = weld.append(later.weld, true);
            long src = later.from * 3;
            long dst = (from + kept) * 3;
            long n = later.kept * 3;
            if (src == dst && n >= 2 * BLOCK) {
                long half = n / 2;
                TwoHalves.run(() -> renumber(idx, to, src, dst, 0, half), () -> renumber(idx, to, src, dst, half, n));
            } else {
                // Moved down over corners not yet read: in order, on one thread.
                renumber(idx, to, src, dst, 0, n);
            }
            if (firstSkipped < 0) {
                firstSkipped = later.firstSkipped;
            }
            skipped += later.skipped;
            kept += later.kept;
        }

        /** Renumbers corners {@code from} to {@code until} of those at {@code src} by {@code to} into {@code dst}. */
        private static void renumber(MemorySegment idx, int[] to, long src, long dst, long from, long until) {
            int[] block = new int[BLOCK * 3];
            for (long c = from; c < until; c += block.length) {
                int n = (int) Math.min(block.length, until - c);
                MemorySegment.copy(idx, ValueLayout.JAVA_INT, (src + c) * Integer.BYTES, block, 0, n);
                for (int i = 0; i < n; i++) {
                    block[i] = to[block[i]];
                }
                MemorySegment.copy(block, 0, idx, ValueLayout.JAVA_INT, (dst + c) * Integer.BYTES, n);
            }
        }
    }

    private static void readAscii(Path file, MemorySegment data, Scene scene, ReadOptions options) {
        TextCursor c = new TextCursor(data);
        FloatList coords = new FloatList(1024);
        float[] facet = new float[9];
        long skipped = 0;
        long firstSkippedLine = -1;
        long polygons = 0;
        int solids = 0;
        long badNormalLine = -1;
        String badNormalToken = null;
        while (c.next()) {
            if (c.tokenIs("solid")) {
                solids++;
                c.skipLine();
            } else if (c.tokenIs("endsolid")) {
                c.skipLine();
            } else if (c.tokenIs("facet")) {
                long facetLine = c.line();
                int vertices = 0;
                boolean finite = true;
                while (true) {
                    if (!c.next()) {
                        throw new BadInputException(file, "ends inside the facet that starts at line " + facetLine);
                    }
                    if (c.tokenIs("endfacet")) {
                        c.skipLine(); // some writers leave text after end keywords
                        break;
                    } else if (c.tokenIs("normal")) {
                        // Normals are recomputed from the corners, so a garbled one costs nothing: warn once.
                        for (int k = 0; k < 3; k++) {
                            if (!c.next()) {
                                throw new BadInputException(file, "ends inside the facet that starts at line "
                                        + facetLine);
                            }
                            if (Double.isNaN(c.number()) && !isNanToken(c) && badNormalLine < 0) {
                                badNormalLine = c.line();
                                badNormalToken = c.token();
                            }
                        }
                    } else if (c.tokenIs("outer")) {
                        if (!c.next() || !c.tokenIs("loop")) {
                            throw new BadInputException(file, "line " + c.line() + ": expected 'loop' after 'outer'");
                        }
                    } else if (c.tokenIs("endloop")) {
                        c.skipLine();
                    } else if (c.tokenIs("vertex")) {
                        if (vertices >= 3) {
                            // A polygon facet: keep a fan (v0, v(i-1), v(i)).
                            coords.add(facet, 0, 3);
                            coords.add(facet, 6, 3);
                            for (int k = 0; k < 3; k++) {
                                facet[6 + k] = (float) number(file, c, "a vertex coordinate");
                                finite &= Float.isFinite(facet[6 + k]);
                            }
                            coords.add(facet, 6, 3);
                            polygons++;
                            vertices++;
                            continue;
                        }
                        for (int k = 0; k < 3; k++) {
                            facet[vertices * 3 + k] = (float) number(file, c, "a vertex coordinate");
                            finite &= Float.isFinite(facet[vertices * 3 + k]);
                        }
                        vertices++;
                        if (vertices == 3) {
                            coords.add(facet, 0, 9);
                        }
                    } else {
                        throw new BadInputException(file, "line " + c.line() + ": unexpected '" + c.token()
                                + "' inside a facet; expected vertex, endloop or endfacet");
                    }
                }
                long facetTriangles = vertices < 3 ? 0 : vertices - 2;
                if (vertices < 3 || !finite) {
                    coords.truncate(coords.size() - facetTriangles * 9);
                    skipped++;
                    if (firstSkippedLine < 0) {
                        firstSkippedLine = facetLine;
                    }
                }
                if (coords.size() / 9 > options.maxTriangles()) {
                    throw new LimitExceededException(file + ": holds more than " + options.maxTriangles()
                            + " triangles, the limit (ReadOptions.maxTriangles)");
                }
            } else {
                throw new BadInputException(file, "line " + c.line() + ": unexpected '" + c.token()
                        + "'; expected solid, facet or endsolid");
            }
        }
        if (badNormalLine > 0) {
            scene.warn(file + ": line " + badNormalLine + ": facet normal component '" + badNormalToken
                    + "' is not a number; facet normals are not used, so it was ignored");
        }
        if (solids > 1) {
            scene.warn(file + ": " + solids + " solids were merged into one mesh");
        }
        if (polygons > 0) {
            scene.warn(file + ": facets with more than three vertices were split into " + polygons
                    + " extra triangles");
        }
        if (skipped > 0) {
            scene.warn(file + ": skipped " + skipped + " facets with fewer than three vertices or non-finite "
                    + "coordinates (the first at line " + firstSkippedLine + ")");
        }
        long count = coords.size() / 9;
        checkCorners(file, count);
        MemorySegment idx = scene.allocateInts(Math.max(1, count * 3));
        ExactWeld weld = new ExactWeld(count * 3, count * 3, positionsOf(scene), file.toString());
        float[] xyz = coords.array();
        for (int i = 0; i < count * 3; i++) {
            idx.setAtIndex(ValueLayout.JAVA_INT, i, weld.add(xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]));
        }
        finish(file, scene, weld, idx, count);
    }

    private static double number(Path file, TextCursor c, String what) {
        if (!c.next()) {
            throw new BadInputException(file, "ends where " + what + " was expected");
        }
        double v = c.number();
        if (Double.isNaN(v) && !isNanToken(c)) {
            throw new BadInputException(file, "line " + c.line() + ": '" + c.token() + "' is not a number ("
                    + what + " was expected)");
        }
        return v;
    }

    private static boolean isNanToken(TextCursor c) {
        String t = c.token().toLowerCase(Locale.ROOT);
        return t.equals("nan") || t.equals("-nan") || t.equals("+nan") || t.startsWith("1.#");
    }

    private static void checkCorners(Path file, long triangles) {
        if (triangles * 3 > Integer.MAX_VALUE - 8) {
            throw new LimitExceededException(file + ": holds " + triangles + " triangles, more than one indexed "
                    + "mesh of uint32 corners can hold");
        }
    }

    /**
     * A weld's positions written straight into buffers of the scene, the one that holds them at the end being its
     * POSITION data (not zeroed: the weld writes all that is read of them).
     */
    private static SegmentAllocator positionsOf(Scene scene) {
        return (bytes, alignment) -> scene.allocateFilled(ValueLayout.JAVA_INT, bytes / Integer.BYTES);
    }

    /**
     * Wraps the kept triangles, welded by exact position (as every STL importer does: corners with bit-equal
     * coordinates are one vertex), into the scene as an indexed mesh.
     */
    private static void finish(Path file, Scene scene, ExactWeld weld, MemorySegment idx, long triangles) {
        if (triangles == 0) {
            scene.warn(file + ": contains no triangles");
        }
        // The weld kept its positions in the scene's memory (positionsOf): they are the attribute's data.
        MemorySegment positions = weld.distinct() > 0 ? weld.positions() : scene.allocateFloats(1);
        VertexAttribute pos = new VertexAttribute(VertexAttribute.POSITION, 3, weld.distinct(), positions);
        Mesh mesh = new Mesh(Format.stem(file)).add(new Primitive(Topology.TRIANGLES, pos, idx, triangles * 3));
        scene.addRoot(new Node(Format.stem(file)).mesh(mesh));
    }
}
