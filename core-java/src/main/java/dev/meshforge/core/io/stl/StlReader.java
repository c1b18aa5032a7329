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
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Locale;

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
    /** Triangles copied out of the file at a time (50 KiB of records). */
    private static final int BLOCK = 1024;
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
        // Shared: a large binary file's halves are welded by two threads. The arena of the file's bytes also holds
        // the second half's positions until the read ends: an arena of their own, closed after the merge, cost
        // its close (a handshake with every thread) on each read.
        return SceneFill.fillMapped(file, "an STL file", new Scene().units(Units.STL_ASSUMED), true,
                (data, scene, bytes) -> read(file, data, scene, bytes, options));
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
        if (count > options.maxTriangles()) {
            throw new LimitExceededException(file + ": holds " + count + " triangles, more than the limit of "
                    + options.maxTriangles() + " (ReadOptions.maxTriangles)");
        }
        checkCorners(file, count);
        // Not zeroed: the welds write every kept triangle's corners, and the tail skipped ones leave is zeroed below.
        MemorySegment idx = scene.allocateFilled(ValueLayout.JAVA_INT, Math.max(1, count * 3));
        Part whole;
        if (count < PARALLEL_TRIANGLES || Runtime.getRuntime().availableProcessors() < 2) {
            whole = weld(file, data, 0, count, count, idx, positionsOf(scene));
        } else {
            // Two halves at once, each welded into a table of its own; the second's vertices are then added to the
            // first's in their order, which numbers them as one weld of the whole would (first appearance), and
            // its corners renumbered. The first's positions are the scene's; the second's, off the heap in the
            // read's arena (scratch) until the read ends.
            long half = count / 2;
            long all = count;
            SegmentAllocator later = (bytes, alignment) -> {
                MemorySegment mapped = KernelPages.reused(scratch, bytes, false);
                return mapped != null ? mapped : scratch.allocate(bytes, alignment);
            };
            TwoHalves.Results<Part> parts = TwoHalves.run(
                    () -> weld(file, data, 0, half, all, idx, positionsOf(scene)),
                    () -> weld(file, data, half, all, all - half, idx, later));
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
     * coordinates read as bits and checked, the finite ones welded as a batch (ExactWeld.addAll). The weld's
     * positions are sized for {@code holds} triangles' (the later half's are appended to the first's) and kept in
     * memory of {@code positions}.
     */
    private static Part weld(Path file, MemorySegment data, long from, long to, long holds, MemorySegment idx,
            SegmentAllocator positions) {
        Part part = new Part(from, new ExactWeld((to - from) * 3, holds * 3, positions, file.toString()));
        byte[] records = new byte[BLOCK * RECORD];
        int[] corners = new int[BLOCK * 9];
        int[] numbers = new int[BLOCK * 3];
        Sharing sharing = new Sharing();
        for (long first = from; first < to; first += BLOCK) {
            int n = (int) Math.min(BLOCK, to - first);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, HEADER + 4 + first * RECORD, records, 0, n * RECORD);
            int out = 0;
            for (int r = 0; r < n; r++) {
                int at = r * RECORD + 12;
                boolean finite = true;
                for (int k = 0; k < 9; k++) {
                    int b = (int) INT_BYTES.get(records, at + 4 * k);
                    corners[out + k] = b;
                    finite &= (b & 0x7F800000) != 0x7F800000;
                }
                if (finite) {
                    out += 9;
                } else {
                    if (part.firstSkipped < 0) {
                        part.firstSkipped = first + r;
                    }
                    part.skipped++;
                }
            }
            sharing.weld(part.weld, corners, out / 9, numbers);
            MemorySegment.copy(numbers, 0, idx, ValueLayout.JAVA_INT, (from + part.kept) * 12, out / 3);
            part.kept += out / 9;
        }
        return part;
    }

    /**
     * Welds a block of triangles whose corners an exporter of an indexed mesh mostly shares with the triangle before
     * (two of each triangle's three on a strip or a grid of quads): a corner bit-equal (zeros of either sign equal) to
     * one of the previous triangle's takes its number without a lookup, the others are welded as a batch. The numbers
     * are those of welding every corner, as a repeated position is no new vertex. The benchmarks' torus (quads of two
     * triangles, each sharing an edge with the one before) has two corners in three found so; its 2M-triangle read
     * took about 0.88x the threads' CPU time of looking every corner up (medians of 20 reads, 4 alternating pairs on
     * a loaded machine). The lookups left are mostly first meetings, whose slots miss the caches. A weld without
     * those misses, by buckets (each corner's bits and number appended, 16 bytes, to one of 256 buckets of native
     * chunks chosen by hash bits; each bucket welded in a table that stays in cache; the corners then numbered in
     * order from their buckets' answers), took more: its three passes over about 100 MB cost 74, 74 and 46 ms of
     * both threads' CPU on that file, against 130-145 ms for the whole read welding as here.
     */
    private static final class Sharing {
        /** Where a corner's number comes from: from 0, its place among those looked up; below, -1 - an earlier one. */
        private final int[] source = new int[BLOCK * 3];
        private final int[] lookups = new int[BLOCK * 9];
        private final int[] looked = new int[BLOCK * 3];
        /**
         * Each corner's x and y bits and its z bits, zeros as +0, from the previous block's last triangle's (at 0 to 2)
         * and then this block's (from 3): a corner is compared with those three before it.
         */
        private final long[] xy = new long[3 + BLOCK * 3];
        private final int[] z = new int[3 + BLOCK * 3];
        /** The previous block's last triangle's numbers (none before the first block). */
        private final int[] lastNumbers = new int[3];
        private boolean hasLast;

        /** Writes the numbers of the {@code triangles} triangles' corners, 9 ints each in {@code bits}. */
        void weld(ExactWeld weld, int[] bits, int triangles, int[] numbers) {
            long[] xy = this.xy;
            int[] z = this.z;
            int corners = 3 * triangles;
            for (int c = 0; c < corners; c++) {
                xy[3 + c] = (long) ExactWeld.foldZero(bits[3 * c]) << 32
                        | Integer.toUnsignedLong(ExactWeld.foldZero(bits[3 * c + 1]));
                z[3 + c] = ExactWeld.foldZero(bits[3 * c + 2]);
            }
            int m = 0;
            for (int c = 0; c < corners; c++) {
                int before = c - c % 3; // the triangle before's first corner in xy and z (this one's is at before + 3)
                long a = xy[3 + c];
                int b = z[3 + c];
                int from = -1;
                if (c >= 3 || hasLast) {
                    from = a == xy[before] && b == z[before] ? before
                            : a == xy[before + 1] && b == z[before + 1] ? before + 1
                            : a == xy[before + 2] && b == z[before + 2] ? before + 2 : -1;
                }
                if (from >= 0) {
                    source[c] = -1 - from;
                } else {
                    lookups[3 * m] = bits[3 * c];
                    lookups[3 * m + 1] = bits[3 * c + 1];
                    lookups[3 * m + 2] = bits[3 * c + 2];
                    source[c] = m++;
                }
            }
            weld.addAll(lookups, m, looked);
            for (int c = 0; c < corners; c++) {
                int s = source[c];
                int from = -1 - s; // a corner of the triangle before, offset by 3
                numbers[c] = s >= 0 ? looked[s] : from >= 3 ? numbers[from - 3] : lastNumbers[from];
            }
            if (triangles > 0) {
                System.arraycopy(xy, corners, xy, 0, 3);
                System.arraycopy(z, corners, z, 0, 3);
                System.arraycopy(numbers, corners - 3, lastNumbers, 0, 3);
                hasLast = true;
            }
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

        /** Takes in {@code later}, the part that follows this one: its vertices, its corners moved and renumbered. */
        void append(Part later, MemorySegment idx) {
            int[] to = weld.append(later.weld);
            long src = later.from * 3;
            long dst = (from + kept) * 3;
            int[] block = new int[BLOCK * 3];
            for (long c = 0; c < later.kept * 3; c += block.length) {
                int n = (int) Math.min(block.length, later.kept * 3 - c);
                MemorySegment.copy(idx, ValueLayout.JAVA_INT, (src + c) * Integer.BYTES, block, 0, n);
                for (int i = 0; i < n; i++) {
                    block[i] = to[block[i]];
                }
                MemorySegment.copy(block, 0, idx, ValueLayout.JAVA_INT, (dst + c) * Integer.BYTES, n);
            }
            if (firstSkipped < 0) {
                firstSkipped = later.firstSkipped;
            }
            skipped += later.skipped;
            kept += later.kept;
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
