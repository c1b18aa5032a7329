// Reads Wavefront OBJ with its MTL libraries and textures into a scene: one node and mesh per group/object.
package dev.meshforge.core.io.obj;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.PolygonTriangulator;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.io.SceneReader;
import dev.meshforge.core.io.internal.SceneFill;
import dev.meshforge.core.io.internal.CompanionFolder;
import dev.meshforge.core.io.internal.NativeList;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.Units;
import dev.meshforge.core.scene.UpAxis;
import dev.meshforge.core.scene.VertexAttribute;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * OBJ geometry: {@code v} (with optional {@code r g b} vertex colours, kept as COLOR_0), {@code vt} (V flipped to
 * the scene's downward V), {@code vn}, and the elements {@code f} (every index form, negative indices relative
 * to the end; polygons cut by {@link PolygonTriangulator}), {@code l} (line segments) and {@code p} (points).
 * {@code g} and {@code o} start a named mesh (a later statement of the same name continues it), each placed by
 * its own root node; {@code usemtl} starts a primitive per material. Corners are de-duplicated per primitive
 * by their (v, vt, vn) tuple, so every primitive is indexed. A file with vertices but no elements is read as a
 * point cloud. OBJ declares no unit: one unit is assumed to be a metre, Y up.
 *
 * <p>Text: ASCII/UTF-8 (BOM optional), UTF-16 LE/BE with a BOM; a backslash at a line's end continues it;
 * number forms like {@code 3.1+e2} are read by their numeric prefix with a warning. Missing MTL or texture
 * files, unknown materials and faces of fewer than three corners are warnings; an index of 0 or beyond the
 * vertices so far, or text where a number belongs, is a {@link BadInputException} naming file and line.
 */
public final class ObjReader implements SceneReader {
    private static final ValueLayout.OfByte B = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;

    /**
     * Slices a text is parsed in: a text of at most this many bytes is read by one thread. Small enough that a
     * slice's copy, operations and numbers stay in a core's cache between its parse and its replay.
     */
    static final int SLICE_BYTES = 256 << 10;

    /**
     * Slices parsed ahead a thread (and two more): about 1 MiB each, so that helpers stay ahead of the reading
     * thread, which would otherwise parse the next slice itself (a window of one slice each: reading thread's
     * CPU about 10 % more at two threads).
     */
    private static final int AHEAD = 4;

    private final Path companionRoot;
    private final int threads;
    private final int chunkBytes;

    public ObjReader() {
        this(null);
    }

    /**
     * @param companionRoot MTL and texture files are read only from inside this folder; null: the folder
     *                      {@link ReadOptions#companionFolder} names, by default the OBJ file's own
     */
    public ObjReader(Path companionRoot) {
        this(companionRoot, ForkJoinPool.getCommonPoolParallelism() + 1);
    }

    /**
     * @param companionRoot as {@link #ObjReader(Path)}
     * @param threads       threads that parse a text of more than 256 KiB, this one included (helpers come from
     *                      the common pool, so its parallelism bounds them too); 1 reads every file on this
     *                      thread alone. The result is the same for every value
     */
    public ObjReader(Path companionRoot, int threads) {
        this(companionRoot, threads, SLICE_BYTES);
    }

    /**
     * As {@link #ObjReader(Path, int)}, in slices of about {@code chunkBytes} (tests use tiny ones); 0 reads every
     * statement with the cursor alone, the general path that the sliced reads are tested against.
     */
    ObjReader(Path companionRoot, int threads, int chunkBytes) {
        if (threads < 1 || chunkBytes < 0) {
            throw new IllegalArgumentException("threads must be positive and slice bytes not negative");
        }
        this.companionRoot = companionRoot;
        this.threads = threads;
        this.chunkBytes = chunkBytes;
    }

    @Override
    public Scene read(Path file, ReadOptions options) throws IOException {
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 64) {
            throw new LimitExceededException(file + ": is " + size + " bytes; OBJ text is read in memory, up to 2 GiB");
        }
        // The text stays off the heap (read into native memory or mapped, SceneFill.map), so that the heap holds
        // the scene's builders and a bounded slack, not a copy of the file; shared, since helpers parse slices.
        return SceneFill.fillOrClose(new Scene().units(new Units(1.0, UpAxis.Y, false)), scene -> {
            try (Arena arena = Arena.ofShared();
                 FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                MemorySegment raw = SceneFill.map(ch, arena);
                // Read through a view without the shared arena's liveness check, which a read of every byte pays
                // on each access (about 2 % of a one-thread read's profile). Safe as used: nothing of the text
                // outlives this block (names are copied out as Strings; helpers still parsing are waited for).
                MemorySegment text = MemorySegment.ofAddress(raw.address())
                        .reinterpret(Math.min(raw.byteSize(), size));
                try (Parser parser = new Parser(file, text, arena, scene, options, companionRoot, threads,
                        chunkBytes)) {
                    parser.run();
                }
            }
        });
    }

    /**
     * Vertices gathered a block at a time into a primitive's buffers: a heap array of this many is the slack, not
     * one the size of the buffer.
     */
    private static final int BLOCK = 4096;

    /** Vertices from which a primitive's normals, UVs and colours are gathered by helpers when threads allow. */
    private static final int HELPED_VERTICES = 1 << 16;

    /**
     * A native list of a read's builders: unzeroed, doubled, of global scope (helper threads read it), so that a
     * read's positions, vertex tuples and indices take no Java heap.
     */
    static NativeList list(ValueLayout element) {
        return NativeList.unzeroed(element, bound -> "more than " + bound + " elements in one list of an OBJ read");
    }

    /**
     * Work handed to a helper of the common pool, done by the caller instead if no helper has begun it by the
     * time its result is wanted (a pool busy with other work does not stall the read).
     */
    private static final class Ahead<T> {
        private static final int CALLER = 1;
        private static final int HELPER = 2;
        private final java.util.function.Supplier<T> work;
        /** Who does the work: nobody yet (0), the caller or a helper. */
        private final java.util.concurrent.atomic.AtomicInteger claimed = new java.util.concurrent.atomic.AtomicInteger();
        private final ForkJoinTask<?> task;
        private T result;

        Ahead(java.util.function.Supplier<T> work, boolean helped) {
            this.work = work;
            this.task = helped ? ForkJoinPool.commonPool().submit(() -> {
                if (claimed.compareAndSet(0, HELPER)) {
                    result = work.get();
                }
            }) : null;
        }

        T get() {
            if (claimed.compareAndSet(0, CALLER)) {
                return work.get();
            }
            task.join();
            return result;
        }

        /** Returns once no helper does the work: the lists it reads may then be freed. */
        void settle() {
            if (!claimed.compareAndSet(0, CALLER) && claimed.get() == HELPER) {
                task.quietlyJoin();
            }
        }

        static void settle(Ahead<?>... all) {
            for (Ahead<?> a : all) {
                if (a != null) {
                    a.settle();
                }
            }
        }
    }

    /** One primitive under construction: its de-duplicated vertex tuples and its indices (ints, native). */
    private static final class PrimitiveBuilder implements AutoCloseable {
        final Topology topology;
        final int material;
        final VertexTable vertices;
        final NativeList indices = list(INT);

        PrimitiveBuilder(Topology topology, int material, VertexTable.Chains chains) {
            this.topology = topology;
            this.material = material;
            this.vertices = new VertexTable(chains);
        }

        void index(int v) {
            indices.add(v);
        }

        void index(int x, int y, int z) {
            indices.add3(x, y, z);
        }

        @Override
        public void close() {
            vertices.close();
            indices.close();
        }
    }

    /** The primitives of one group or object, by (material, topology). */
    private static final class MeshBuilder {
        final String name;
        final Map<Long, PrimitiveBuilder> primitives = new LinkedHashMap<>();

        MeshBuilder(String name) {
            this.name = name;
        }
    }

    /**
     * The builders of the scene's size live off the heap, in native lists ({@link NativeList}) that {@link #close}
     * frees: the heap holds a bounded slack whatever the file's size.
     */
    private static final class Parser implements AutoCloseable {
        final Path file;
        final ObjText t;
        final MemorySegment b;
        final int end;
        final Scene scene;
        final ReadOptions options;
        final CompanionFolder companions;
        /** Positions as parsed, in float64: the precision the file has, for inspection and for writers. */
        final NativeList positions = list(DOUBLE);
        /** Vertex colours (floats, 3 a vertex), null until a vertex has one. */
        NativeList colors;
        final NativeList uvs = list(FLOAT);
        final NativeList normals = list(FLOAT);
        int vertexCount;
        int uvCount;
        int normalCount;
        final Map<String, MeshBuilder> meshes = new LinkedHashMap<>();
        final VertexTable.Chains chains = new VertexTable.Chains();
        MeshBuilder mesh;
        String object;
        String group;
        final Map<String, Integer> materialIndex = new LinkedHashMap<>();
        int material = -1;
        PrimitiveBuilder faces;
        final MtlLibrary library = new MtlLibrary();
        final java.util.Set<Path> librariesRead = new java.util.HashSet<>();
        final PolygonTriangulator triangulator;
        int[] corners = new int[3 * 16];
        float[] xyz = new float[3 * 16];
        int[] cut = new int[3 * 14];
        long triangles;
        long shortFaces;
        long firstShortFaceLine = -1;
        long oddPolygons;
        long firstOddPolygonLine = -1;
        final float[] vals = new float[8];
        final double[] exact = new double[3];
        final Map<String, Long> unknown = new LinkedHashMap<>();
        final int threads;
        final int chunkBytes;

        Parser(Path file, MemorySegment raw, Arena arena, Scene scene, ReadOptions options, Path companionRoot,
               int threads, int chunkBytes) {
            this.threads = threads;
            this.chunkBytes = chunkBytes;
            this.triangulator = new PolygonTriangulator(options.fanTriangulation());
            this.file = file;
            this.t = new ObjText(file, raw, arena);
            this.b = t.b;
            this.end = t.end;
            this.scene = scene;
            this.options = options;
            this.companions = new CompanionFolder(file, companionRoot == null ? options
                    : options.withCompanionFolder(companionRoot));
        }

        @Override
        public void close() {
            positions.close();
            uvs.close();
            normals.close();
            if (colors != null) {
                colors.close();
            }
            for (MeshBuilder m : meshes.values()) {
                m.primitives.values().forEach(PrimitiveBuilder::close);
            }
            chains.close();
        }

        void run() throws IOException {
            if (chunkBytes == 0) {
                while (!t.atEnd()) {
                    statement();
                }
            } else {
                while (!t.atEnd()) {
                    runSlices();
                }
            }
            finish();
        }

        /** Reads one statement (a line, with the lines continuations join to it) from the cursor. */
        void statement() throws IOException {
            if (!t.next()) {
                t.nextLine();
                return;
            }
            byte c = b.get(B, t.ts);
            int len = t.te - t.ts;
            if (c == 'v' && len == 1) {
                vertex();
            } else if (c == 'f' && len == 1) {
                face();
            } else if (c == 'v' && len == 2 && b.get(B, t.ts + 1) == 't') {
                uv();
            } else if (c == 'v' && len == 2 && b.get(B, t.ts + 1) == 'n') {
                normal();
            } else if (c == '#') {
                t.skipCommentLine();
                return;
            } else if (c == 's' && len == 1) {
                // Smoothing groups: normals come from vn, so they carry nothing the scene keeps.
            } else if (t.tokenIs("g")) {
                String name = t.rest();
                group = name.isEmpty() ? "default" : name;
                switchMesh();
            } else if (t.tokenIs("o")) {
                String name = t.rest();
                object = name.isEmpty() ? "object" : name;
                group = null;
                switchMesh();
            } else if (t.tokenIs("usemtl")) {
                useMaterial(t.rest());
            } else if (t.tokenIs("mtllib")) {
                mtllib(t.rest());
            } else if (t.tokenIs("l")) {
                line();
            } else if (t.tokenIs("p")) {
                points();
            } else {
                unknown.merge(t.token(), t.line(), (x, y) -> x);
            }
            t.nextLine();
        }

        /**
         * Reads the text from the cursor in slices ({@link ObjChunk}): the plain statements of each are parsed from a
         * heap copy of it, by helpers of the common pool ahead of this thread when there are threads to spare, and
         * replayed here in file order; every other statement is read here by the cursor, so the result is the one
         * the cursor alone gets, warnings and messages included. A slice no helper has started when its turn comes
         * is parsed by this thread; while a helper still parses the slice whose turn it is, this thread parses later
         * slices of the window that no helper has started, from its end, instead of waiting (on two cores, with one
         * helper, a 2M-triangle read took about 0.7x the time it did when this thread only waited). At most {@link
         * #AHEAD} x ({@code threads + 2}) slices are parsed ahead, so the slack held is bounded by the slice size,
         * not the file's. Returns at the text's end, or with the cursor after a statement
         * that the cursor read to another end than the slice's parse expected (the caller goes on from there).
         */
        void runSlices() throws IOException {
            int[] bounds = ObjChunk.split(b, t.mark(), end, chunkBytes);
            int slices = bounds.length - 1;
            int window = threads > 1 ? Math.min(slices, AHEAD * (threads + 2)) : 1;
            ObjChunk[] chunks = new ObjChunk[slices];
            ForkJoinTask<?>[] ahead = new ForkJoinTask<?>[slices];
            // Slices this thread parsed itself ahead of their turn (their helper's task then finds them claimed).
            boolean[] parsedHere = new boolean[slices];
            try {
                for (int k = 0; k < window; k++) {
                    chunks[k] = new ObjChunk(b, bounds[k], bounds[k + 1]);
                    ahead[k] = submit(chunks[k]);
                }
                long line = t.cursorLine();
                for (int k = 0; k < slices; k++) {
                    ObjChunk chunk = chunks[k];
                    if (parsedHere[k]) {
                        // parsed below while an earlier slice's helper finished
                    } else if (chunk.claim()) {
                        parse(chunk);
                    } else {
                        // A helper is parsing this slice: rather than wait, parse later slices no one has started
                        // (the helpers take them in order, so this thread takes them from the window's end).
                        for (int j = Math.min(slices, k + window) - 1; j > k && !ahead[k].isDone(); j--) {
                            if (chunks[j] != null && !parsedHere[j] && chunks[j].claim()) {
                                parse(chunks[j]);
                                parsedHere[j] = true;
                            }
                        }
                        ahead[k].join();
                    }
                    chunks[k] = null;
                    ahead[k] = null;
                    int next = k + window;
                    if (next < slices) {
                        chunks[next] = new ObjChunk(b, bounds[next], bounds[next + 1]);
                        ahead[next] = submit(chunks[next]);
                    }
                    boolean replayed = replay(chunk, line);
                    recycle(chunk);
                    if (!replayed) {
                        return;
                    }
                    line += chunk.lines;
                }
                t.seek(end, line);
            } finally {
                // Slices left unparsed are claimed so that no helper starts them; one a helper is parsing is
                // waited for, since the text it reads is freed when the read ends.
                for (int k = 0; k < slices; k++) {
                    if (chunks[k] != null && !chunks[k].claim() && ahead[k] != null) {
                        ahead[k].quietlyJoin();
                    }
                }
            }
        }

        /**
         * Heap copies of slices, and the operations and numbers of slices replayed, each reused by a later parse
         * (fresh arrays cost their zeroing and cache misses): no more than slices are parsed or held at once.
         */
        private final Queue<byte[]> copies = new ConcurrentLinkedQueue<>();
        private final Queue<int[]> spareOps = new ConcurrentLinkedQueue<>();
        private final Queue<double[]> spareNumbers = new ConcurrentLinkedQueue<>();

        private void parse(ObjChunk chunk) {
            byte[] text = chunk.copy(copies.poll());
            chunk.parse(text, spareOps.poll(), spareNumbers.poll());
            copies.offer(text);
        }

        /** Hands a replayed slice's arrays to later parses. */
        private void recycle(ObjChunk chunk) {
            spareOps.offer(chunk.ops);
            spareNumbers.offer(chunk.numbers);
            chunk.ops = null;
            chunk.numbers = null;
        }

        /** The slice's parse handed to a helper when threads allow (null: this thread parses every slice). */
        private ForkJoinTask<?> submit(ObjChunk chunk) {
            return threads == 1 ? null : ForkJoinPool.commonPool().submit(() -> {
                if (chunk.claim()) {
                    parse(chunk);
                }
            });
        }

        /**
         * Applies a parsed slice that starts on {@code line}; false if the general path, reading a statement the
         * slice left to it, ended elsewhere than the slice's parse did (the cursor is then after that statement).
         */
        boolean replay(ObjChunk chunk, long line) throws IOException {
            int[] o = chunk.ops;
            double[] x = chunk.numbers;
            int xi = 0;
            for (int i = 0; i < chunk.opCount; ) {
                int op = o[i++];
                int n = op >>> 3;
                switch (op & 7) {
                    case ObjChunk.VERTEX -> {
                        for (int k = 0; k < n; k++) {
                            double d = x[xi++];
                            if (k < 3) {
                                exact[k] = d;
                            }
                            vals[k] = (float) d;
                        }
                        addVertex(n);
                    }
                    case ObjChunk.UV -> {
                        float u = (float) x[xi++];
                        addUv(u, n > 1 ? (float) x[xi++] : 0f);
                    }
                    case ObjChunk.NORMAL -> {
                        vals[0] = (float) x[xi++];
                        vals[1] = (float) x[xi++];
                        vals[2] = (float) x[xi++];
                        addNormal();
                    }
                    case ObjChunk.FACE -> {
                        int offset = o[i++];
                        if (3 * n > corners.length) {
                            corners = java.util.Arrays.copyOf(corners, 3 * n * 2);
                        }
                        boolean resolved = true;
                        for (int k = 0; k < 3 * n; k += 3) {
                            int v = ObjScan.resolve(o[i + k], vertexCount);
                            int vt = o[i + k + 1] == 0 ? -1 : ObjScan.resolve(o[i + k + 1], uvCount);
                            int vn = o[i + k + 2] == 0 ? -1 : ObjScan.resolve(o[i + k + 2], normalCount);
                            resolved &= v >= 0 && (vt >= 0 || o[i + k + 1] == 0) && (vn >= 0 || o[i + k + 2] == 0);
                            corners[k] = v;
                            corners[k + 1] = vt;
                            corners[k + 2] = vn;
                        }
                        i += 3 * n;
                        if (resolved) {
                            addFace(n, -1, chunk, offset, line);
                        } else {
                            // A reference beyond what the file has so far: the general path words the refusal.
                            t.seek(offset, line + chunk.lineOf(offset));
                            statement();
                        }
                    }
                    default -> {
                        t.seek(o[i], line + o[i + 1]);
                        statement();
                        if (t.mark() != o[i + 2] || t.cursorLine() != line + o[i + 3]) {
                            return false;
                        }
                        i += 4;
                    }
                }
            }
            return true;
        }

        void switchMesh() {
            mesh = null;
            faces = null;
        }

        MeshBuilder mesh() {
            if (mesh == null) {
                String name = group != null ? group : object != null ? object : Format.stem(file);
                mesh = meshes.computeIfAbsent(name, MeshBuilder::new);
            }
            return mesh;
        }

        PrimitiveBuilder primitive(Topology topology) {
            if (topology == Topology.TRIANGLES && faces != null) {
                return faces;
            }
            long key = ((long) material << 2) | topology.ordinal();
            PrimitiveBuilder p = mesh().primitives.computeIfAbsent(key,
                    k -> new PrimitiveBuilder(topology, material, chains));
            if (topology == Topology.TRIANGLES) {
                faces = p;
            }
            return p;
        }

        void useMaterial(String name) {
            Integer index = materialIndex.get(name);
            if (index == null) {
                index = materialIndex.size();
                materialIndex.put(name, index);
            }
            if (index != material) {
                material = index;
                faces = null;
            }
        }

        void vertex() {
            int n = 0;
            while (n < vals.length && t.nextNumber("a vertex coordinate")) {
                double d = t.value;
                if (n < 3) {
                    exact[n] = d;
                }
                vals[n++] = (float) d;
            }
            if (n < 3) {
                throw t.bad("a vertex needs x y z, found " + n + " number(s)");
            }
            addVertex(n);
        }

        /** Adds the vertex of n numbers in {@link #exact} (x y z) and {@link #vals} (all, as floats). */
        void addVertex(int n) {
            if (vertexCount == Integer.MAX_VALUE / 3) {
                throw new LimitExceededException(file + ": more than " + vertexCount + " vertices");
            }
            long at = positions.extend(3);
            MemorySegment ps = positions.segment();
            ps.setAtIndex(DOUBLE, at, exact[0]);
            ps.setAtIndex(DOUBLE, at + 1, exact[1]);
            ps.setAtIndex(DOUBLE, at + 2, exact[2]);
            if (n >= 6 && colors == null) {
                colors = list(FLOAT);
                for (int i = 0; i < vertexCount; i++) {
                    addColor(1f, 1f, 1f);
                }
            }
            if (n >= 6) {
                addColor(vals[3], vals[4], vals[5]);
            } else if (colors != null) {
                addColor(1f, 1f, 1f);
            }
            vertexCount++;
        }

        void addColor(float r, float g, float b) {
            colors.add3(Float.floatToRawIntBits(r), Float.floatToRawIntBits(g), Float.floatToRawIntBits(b));
        }

        void uv() {
            float u = 0;
            float v = 0;
            if (t.nextNumber("a texture coordinate")) {
                u = (float) t.value;
                if (t.nextNumber("a texture coordinate")) {
                    v = (float) t.value;
                }
            } else {
                throw t.bad("a texture coordinate needs u (and v)");
            }
            addUv(u, v);
        }

        void addUv(float u, float v) {
            long at = uvs.extend(2);
            MemorySegment s = uvs.segment();
            s.setAtIndex(FLOAT, at, u);
            s.setAtIndex(FLOAT, at + 1, 1f - v);
            uvCount++;
        }

        void normal() {
            for (int k = 0; k < 3; k++) {
                if (!t.nextNumber("a normal component")) {
                    throw t.bad("a normal needs x y z");
                }
                vals[k] = (float) t.value;
            }
            addNormal();
        }

        /** Adds the normal in the first three {@link #vals}. */
        void addNormal() {
            normals.add3(Float.floatToRawIntBits(vals[0]), Float.floatToRawIntBits(vals[1]),
                    Float.floatToRawIntBits(vals[2]));
            normalCount++;
        }

        /** Parses an index [from, to) of the current token; 0-based result, range-checked against count. */
        int index(int from, int to, int count, String what) {
            if (from >= to) {
                throw t.bad("'" + t.token() + "' has an empty " + what + " index");
            }
            boolean negative = b.get(B, from) == '-';
            int i = negative || b.get(B, from) == '+' ? from + 1 : from;
            if (i >= to) {
                throw t.bad("'" + t.token() + "' is not a valid " + what + " reference");
            }
            long v = 0;
            for (; i < to; i++) {
                int d = b.get(B, i) - '0';
                if (d < 0 || d > 9) {
                    throw t.bad("'" + t.token() + "' is not a valid " + what + " reference");
                }
                v = v * 10 + d;
                if (v > Integer.MAX_VALUE) {
                    throw t.bad(what + " index in '" + t.token() + "' is out of range (the file has " + count
                            + " " + what + "s so far)");
                }
            }
            if (v == 0) {
                throw t.bad(what + " index 0 in '" + t.token() + "': OBJ indices start at 1 (negative ones count "
                        + "back from the last)");
            }
            long r = negative ? count - v : v - 1;
            if (r < 0 || r >= count) {
                throw t.bad(what + " index " + (negative ? "-" : "") + v + " in '" + t.token()
                        + "' is out of range (the file has " + count + " " + what + "s so far)");
            }
            return (int) r;
        }

        /** Reads the corner references of an element line into {@link #corners}; returns their number. */
        int readCorners() {
            int n = 0;
            while (true) {
                if (3 * n + 3 > corners.length) {
                    corners = java.util.Arrays.copyOf(corners, corners.length * 2);
                }
                if (!t.next()) {
                    break;
                }
                int s = t.ts;
                int e = t.te;
                int slash = s;
                while (slash < e && b.get(B, slash) != '/') {
                    slash++;
                }
                int v = index(s, slash, vertexCount, "vertex");
                int vt = -1;
                int vn = -1;
                if (slash < e) {
                    int s2 = slash + 1;
                    int slash2 = s2;
                    while (slash2 < e && b.get(B, slash2) != '/') {
                        slash2++;
                    }
                    if (slash2 > s2) {
                        vt = index(s2, slash2, uvCount, "texture coordinate");
                    }
                    if (slash2 < e) {
                        vn = index(slash2 + 1, e, normalCount, "normal");
                    }
                }
                corners[3 * n] = v;
                corners[3 * n + 1] = vt;
                corners[3 * n + 2] = vn;
                n++;
            }
            return n;
        }

        void face() {
            long line = t.line();
            addFace(readCorners(), line, null, 0, 0);
        }

        /**
         * Adds the face of n corners in {@link #corners} read on {@code line}, or when that is -1, at
         * {@code offset} of a slice starting on {@code sliceLine} (counted only when a warning needs it).
         */
        void addFace(int n, long line, ObjChunk slice, int offset, long sliceLine) {
            if (n < 3) {
                shortFaces++;
                if (firstShortFaceLine < 0) {
                    firstShortFaceLine = line >= 0 ? line : sliceLine + slice.lineOf(offset);
                }
                return;
            }
            PrimitiveBuilder p = primitive(Topology.TRIANGLES);
            VertexTable vt = p.vertices;
            int[] c = corners;
            if (n == 3) {
                p.index(vt.vertex(c[0], c[1], c[2]), vt.vertex(c[3], c[4], c[5]), vt.vertex(c[6], c[7], c[8]));
                triangles++;
            } else {
                if (3 * n > xyz.length) {
                    xyz = new float[3 * n * 2];
                    cut = new int[3 * n * 2];
                }
                MemorySegment pos = positions.segment();
                for (int k = 0; k < n; k++) {
                    long v = c[3 * k];
                    xyz[3 * k] = (float) pos.getAtIndex(DOUBLE, 3 * v);
                    xyz[3 * k + 1] = (float) pos.getAtIndex(DOUBLE, 3 * v + 1);
                    xyz[3 * k + 2] = (float) pos.getAtIndex(DOUBLE, 3 * v + 2);
                }
                int made = triangulator.triangulate(xyz, n, cut);
                if (triangulator.lastWasDegenerate()) {
                    oddPolygons++;
                    if (firstOddPolygonLine < 0) {
                        firstOddPolygonLine = line >= 0 ? line : sliceLine + slice.lineOf(offset);
                    }
                }
                for (int k = 0; k < 3 * made; k++) {
                    int q = cut[k];
                    p.index(vt.vertex(c[3 * q], c[3 * q + 1], c[3 * q + 2]));
                }
                triangles += made;
            }
            if (triangles > options.maxTriangles()) {
                throw new LimitExceededException(file + ": holds more than " + options.maxTriangles()
                        + " triangles, the limit (ReadOptions.maxTriangles)");
            }
        }

        void line() {
            int n = readCorners();
            if (n < 2) {
                unknown.merge("l with fewer than 2 vertices", t.line(), (x, y) -> x);
                return;
            }
            PrimitiveBuilder p = primitive(Topology.LINES);
            for (int k = 0; k + 1 < n; k++) {
                p.index(p.vertices.vertex(corners[3 * k], corners[3 * k + 1], -1));
                p.index(p.vertices.vertex(corners[3 * k + 3], corners[3 * k + 4], -1));
            }
        }

        void points() {
            int n = readCorners();
            PrimitiveBuilder p = primitive(Topology.POINTS);
            for (int k = 0; k < n; k++) {
                p.vertices.vertex(corners[3 * k], -1, -1);
            }
        }

        void mtllib(String names) throws IOException {
            if (names.isEmpty()) {
                return;
            }
            Path dir = file.toAbsolutePath().normalize().getParent();
            // Names may contain spaces: try the whole rest of the line first, then each word.
            CompanionFolder.Found whole = companions.find(dir, names);
            if (whole.file() != null) {
                readLibrary(whole.file());
                return;
            }
            String[] words = names.split("[ \t]+");
            List<CompanionFolder.Found> found = new ArrayList<>();
            boolean any = false;
            for (String w : words.length > 1 ? words : new String[0]) {
                CompanionFolder.Found f = companions.find(dir, w);
                found.add(f);
                any |= f.file() != null;
            }
            if (!any) {
                // One warning for the line; a refusal of one of its words is the more telling reason.
                CompanionFolder.Found why = found.stream().filter(f -> f.refusal() != null).findFirst().orElse(whole);
                scene.warn(file + ": line " + t.line() + ": material library '" + names + "' " + why.failure()
                        + "; its materials are read as plain grey");
                return;
            }
            for (int k = 0; k < words.length; k++) {
                CompanionFolder.Found f = found.get(k);
                if (f.file() != null) {
                    readLibrary(f.file());
                } else {
                    scene.warn(file + ": line " + t.line() + ": material library '" + words[k] + "' " + f.failure()
                            + "; its materials are read as plain grey");
                }
            }
        }

        /** Reads an MTL once however often it is named: a file repeating one mtllib line must not cost more. */
        void readLibrary(Path mtl) throws IOException {
            if (librariesRead.add(mtl)) {
                library.read(mtl, scene);
            }
        }

        void finish() {
            if (t.oddNumberLine > 0) {
                scene.warn(file + ": line " + t.oddNumberLine + ": '" + t.oddNumberToken + "' is not a well-formed "
                        + "number; read by its numeric prefix (as were any later such numbers)");
            }
            if (shortFaces > 0) {
                scene.warn(file + ": skipped " + shortFaces + " face(s) with fewer than 3 vertices (the first at line "
                        + firstShortFaceLine + ")");
            }
            if (oddPolygons > 0) {
                scene.warn(file + ": " + oddPolygons + " polygon(s) are not simple (self-intersecting or collinear; "
                        + "the first at line " + firstOddPolygonLine + "); their triangles may overlap");
            }
            if (!unknown.isEmpty()) {
                scene.warn(file + ": statements not supported, ignored: " + unknown.entrySet().stream()
                        .map(e -> e.getKey() + " (line " + e.getValue() + ")").limit(12).toList());
            }
            boolean anyElement = meshes.values().stream().anyMatch(m -> !m.primitives.isEmpty());
            if (!anyElement && vertexCount > 0) {
                scene.warn(file + ": has " + vertexCount + " vertices but no faces, lines or points; read as a "
                        + "point cloud");
                MeshBuilder m = new MeshBuilder(Format.stem(file));
                PrimitiveBuilder p = new PrimitiveBuilder(Topology.POINTS, -1, chains);
                for (int v = 0; v < vertexCount; v++) {
                    p.vertices.vertex(v, -1, v < normalCount && normalCount == vertexCount ? v : -1);
                }
                m.primitives.put(0L, p);
                meshes.put(m.name, m);
            } else if (!anyElement) {
                scene.warn(file + ": contains no geometry");
            }
            materials();
            float[] colorScale = colorScale();
            long badNormals = 0;
            List<String> mixedNormals = new ArrayList<>();
            for (MeshBuilder m : meshes.values()) {
                if (m.primitives.isEmpty()) {
                    continue;
                }
                Mesh out = new Mesh(m.name);
                for (PrimitiveBuilder p : m.primitives.values()) {
                    if (p.vertices.count() == 0) {
                        continue;
                    }
                    int[] mixed = {0};
                    long[] bad = {0};
                    out.add(build(p, colorScale, mixed, bad));
                    badNormals += bad[0];
                    if (mixed[0] > 0) {
                        mixedNormals.add(m.name);
                    }
                }
                scene.addRoot(new Node(m.name).mesh(out));
            }
            if (!mixedNormals.isEmpty()) {
                scene.warn(file + ": some faces of " + mixedNormals + " have normals and some do not; their normals "
                        + "were left out");
            }
            if (badNormals > 0) {
                scene.warn(file + ": " + badNormals + " normal(s) of zero length or not finite were replaced by "
                        + "(0, 0, 1)");
            }
        }

        /** Colours written as 0..255 (some exporters do) are scaled to 0..1. */
        float[] colorScale() {
            if (colors == null) {
                return null;
            }
            float max = 0;
            MemorySegment c = colors.segment();
            for (long i = 0; i < colors.size(); i++) {
                max = Math.max(max, c.getAtIndex(FLOAT, i));
            }
            if (max > 1f) {
                scene.warn(file + ": vertex colours go up to " + max + "; read as 0..255 values");
                return new float[] {1f / 255f};
            }
            return new float[] {1f};
        }

        void materials() {
            ObjMaterials conv = new ObjMaterials(scene, companions);
            List<String> undefined = new ArrayList<>();
            for (String name : materialIndex.keySet()) {
                MtlLibrary.Def d = library.find(name);
                Material m;
                if (d == null) {
                    undefined.add(name);
                    m = ObjMaterials.placeholder(name);
                } else {
                    m = conv.convert(d);
                }
                scene.materials().add(m);
            }
            if (!undefined.isEmpty() && !library.isEmpty()) {
                scene.warn(file + ": usemtl names materials no MTL file defines, read as plain grey: " + undefined);
            }
        }

        Primitive build(PrimitiveBuilder p, float[] colorScale, int[] mixed, long[] bad) {
            int n = p.vertices.count();
            MemorySegment tu = p.vertices.tuples.segment();
            boolean anyUv = false;
            boolean anyNormal = false;
            boolean allNormal = true;
            int[] tb = new int[3 * Math.min(n, BLOCK)];
            for (int from = 0; from < n; from += BLOCK) {
                int to = Math.min(n, from + BLOCK);
                MemorySegment.copy(tu, INT, 12L * from, tb, 0, 3 * (to - from));
                for (int j = 0; j < 3 * (to - from); j += 3) {
                    anyUv |= tb[j + 1] >= 0;
                    boolean hasN = tb[j + 2] >= 0;
                    anyNormal |= hasN;
                    allNormal &= hasN;
                }
            }
            if (anyNormal && !allNormal) {
                mixed[0]++;
                anyNormal = false;
            }
            // A large primitive's other attributes are gathered by helpers meanwhile (in the order put).
            boolean helped = threads > 1 && n >= HELPED_VERTICES;
            Ahead<VertexAttribute> normalsOut = anyNormal ? new Ahead<>(() -> normals(tu, n, bad), helped) : null;
            Ahead<VertexAttribute> uvsOut = anyUv ? new Ahead<>(() -> uvs(tu, n), helped) : null;
            Ahead<VertexAttribute> colorsOut = colorScale != null
                    ? new Ahead<>(() -> colors(tu, n, colorScale[0]), helped) : null;
            try {
                Primitive prim = positions(p, tu, n);
                if (normalsOut != null) {
                    prim.put(normalsOut.get());
                }
                if (uvsOut != null) {
                    prim.put(uvsOut.get());
                }
                if (colorsOut != null) {
                    prim.put(colorsOut.get());
                }
                return prim.material(p.material);
            } finally {
                // On a failure, no helper may still read the lists the read is about to free.
                Ahead.settle(normalsOut, uvsOut, colorsOut);
            }
        }

        /** The primitive with its positions (float32, and float64 where the file has more) and indices. */
        Primitive positions(PrimitiveBuilder p, MemorySegment tu, int n) {
            MemorySegment ps = buffer(3L * n, ValueLayout.JAVA_FLOAT);
            int[] tuples = new int[3 * Math.min(n, BLOCK)];
            double[] exact = new double[3 * Math.min(n, BLOCK)];
            float[] tmp = new float[3 * Math.min(n, BLOCK)];
            // Only where the file has more precision than float32: no double copy of every mesh's positions.
            MemorySegment ps64 = null;
            for (int from = 0; from < n; from += BLOCK) {
                int to = Math.min(n, from + BLOCK);
                gather(tu, from, to, tuples, exact);
                boolean needs64 = false;
                for (int k = 0; k < 3 * (to - from); k++) {
                    double d = exact[k];
                    float f = (float) d;
                    tmp[k] = f;
                    needs64 |= f != d && !Double.isNaN(d);
                }
                MemorySegment.copy(tmp, 0, ps, FLOAT, 12L * from, 3 * (to - from));
                if (needs64 && ps64 == null) {
                    ps64 = buffer(3L * n, DOUBLE);
                    for (int before = 0; before < from; before += BLOCK) {
                        gather(tu, before, before + BLOCK, tuples, exact);
                        MemorySegment.copy(exact, 0, ps64, DOUBLE, 24L * before, 3 * BLOCK);
                    }
                    gather(tu, from, to, tuples, exact);
                }
                if (ps64 != null) {
                    MemorySegment.copy(exact, 0, ps64, DOUBLE, 24L * from, 3 * (to - from));
                }
            }
            Primitive prim;
            if (p.topology == Topology.POINTS) {
                prim = new Primitive(Topology.POINTS, new VertexAttribute(VertexAttribute.POSITION, 3, n, ps), null, 0);
            } else {
                int count = (int) p.indices.size();
                MemorySegment is = buffer(Math.max(1, count), ValueLayout.JAVA_INT);
                p.indices.copyTo(is);
                prim = new Primitive(p.topology, new VertexAttribute(VertexAttribute.POSITION, 3, n, ps), is, count);
            }
            if (ps64 != null) {
                prim.positions64(ps64);
            }
            return prim;
        }

        /**
         * The positions (x y z, float64) of vertices [from, to) into {@code exact}, their tuples copied into
         * {@code tuples} first: one bulk read of the tuples a block, array reads after.
         */
        void gather(MemorySegment tu, int from, int to, int[] tuples, double[] exact) {
            MemorySegment pos = positions.segment();
            MemorySegment.copy(tu, INT, 12L * from, tuples, 0, 3 * (to - from));
            for (int j = 0; j < to - from; j++) {
                long k = 24L * tuples[3 * j];
                exact[3 * j] = pos.get(DOUBLE, k);
                exact[3 * j + 1] = pos.get(DOUBLE, k + 8);
                exact[3 * j + 2] = pos.get(DOUBLE, k + 16);
            }
        }

        /** Unit normals of the primitive's vertices; zero-length or not finite ones become (0, 0, 1), counted. */
        VertexAttribute normals(MemorySegment tu, int n, long[] bad) {
            MemorySegment nrm = normals.segment();
            MemorySegment s = buffer(3L * n, ValueLayout.JAVA_FLOAT);
            float[] out = new float[3 * Math.min(n, BLOCK)];
            int[] tb = new int[3 * Math.min(n, BLOCK)];
            for (int from = 0; from < n; from += BLOCK) {
                int to = Math.min(n, from + BLOCK);
                MemorySegment.copy(tu, INT, 12L * from, tb, 0, 3 * (to - from));
                for (int i = from; i < to; i++) {
                    long k = 3L * tb[3 * (i - from) + 2];
                    int o = 3 * (i - from);
                    double x = nrm.getAtIndex(FLOAT, k);
                    double y = nrm.getAtIndex(FLOAT, k + 1);
                    double z = nrm.getAtIndex(FLOAT, k + 2);
                    double len = Math.sqrt(x * x + y * y + z * z);
                    boolean unit = len > 0 && Double.isFinite(len);
                    if (!unit) {
                        bad[0]++;
                    }
                    out[o] = unit ? (float) (x / len) : 0;
                    out[o + 1] = unit ? (float) (y / len) : 0;
                    out[o + 2] = unit ? (float) (z / len) : 1;
                }
                MemorySegment.copy(out, 0, s, ValueLayout.JAVA_FLOAT, 12L * from, 3 * (to - from));
            }
            return new VertexAttribute(VertexAttribute.NORMAL, 3, n, s);
        }

        VertexAttribute uvs(MemorySegment tu, int n) {
            MemorySegment uv = uvs.segment();
            MemorySegment s = buffer(2L * n, ValueLayout.JAVA_FLOAT);
            float[] out = new float[2 * Math.min(n, BLOCK)];
            int[] tb = new int[3 * Math.min(n, BLOCK)];
            for (int from = 0; from < n; from += BLOCK) {
                int to = Math.min(n, from + BLOCK);
                MemorySegment.copy(tu, INT, 12L * from, tb, 0, 3 * (to - from));
                for (int i = from; i < to; i++) {
                    long k = tb[3 * (i - from) + 1];
                    int o = 2 * (i - from);
                    out[o] = k < 0 ? 0 : uv.getAtIndex(FLOAT, 2 * k);
                    out[o + 1] = k < 0 ? 0 : uv.getAtIndex(FLOAT, 2 * k + 1);
                }
                MemorySegment.copy(out, 0, s, ValueLayout.JAVA_FLOAT, 8L * from, 2 * (to - from));
            }
            return new VertexAttribute("TEXCOORD_0", 2, n, s);
        }

        VertexAttribute colors(MemorySegment tu, int n, float scale) {
            MemorySegment col = colors.segment();
            MemorySegment s = buffer(3L * n, ValueLayout.JAVA_FLOAT);
            float[] out = new float[3 * Math.min(n, BLOCK)];
            int[] tb = new int[3 * Math.min(n, BLOCK)];
            for (int from = 0; from < n; from += BLOCK) {
                int to = Math.min(n, from + BLOCK);
                MemorySegment.copy(tu, INT, 12L * from, tb, 0, 3 * (to - from));
                for (int i = from; i < to; i++) {
                    long k = 3L * tb[3 * (i - from)];
                    int o = 3 * (i - from);
                    out[o] = Math.max(0f, Math.min(1f, col.getAtIndex(FLOAT, k) * scale));
                    out[o + 1] = Math.max(0f, Math.min(1f, col.getAtIndex(FLOAT, k + 1) * scale));
                    out[o + 2] = Math.max(0f, Math.min(1f, col.getAtIndex(FLOAT, k + 2) * scale));
                }
                MemorySegment.copy(out, 0, s, ValueLayout.JAVA_FLOAT, 12L * from, 3 * (to - from));
            }
            return new VertexAttribute("COLOR_0", 3, n, s);
        }

        /** A scene buffer of {@code count} elements that its caller fills in full. */
        MemorySegment buffer(long count, ValueLayout element) {
            return scene.allocateFilled(element, count);
        }
    }
}
