// Turns an FBX mesh geometry (polygons, layers) into triangle primitives, one per material.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.io.PolygonTriangulator;
import dev.meshforge.core.io.internal.NativeList;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.VertexAttribute;
import dev.meshforge.core.scene.internal.KernelPages;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

/**
 * Reads {@code Vertices}, {@code PolygonVertexIndex} (a negative index {@code ~i} ends a polygon) and the layer
 * elements (normals, UV sets, colors, materials) in every mapping mode (ByVertex/ByVertice/ByControlPoint,
 * ByPolygonVertex, ByPolygon, AllSame) and reference mode (Direct, IndexToDirect/Index). Polygons are cut by
 * {@link PolygonTriangulator}; corners sharing all their values share a vertex. UVs are flipped to a top-left
 * origin (V' = 1 - V) as the scene keeps glTF's convention.
 */
final class FbxGeometry {
    /**
     * The built mesh and, per primitive, the control point of each of its vertices as ints in native memory of the
     * read (for skins and shapes; valid until the read ends).
     */
    record Built(Mesh mesh, List<MemorySegment> controlPoints, int controlPointCount) {
    }

    private record Layer(String name, String mapping, String reference, FbxValues values, FbxInts index,
                         int components, int map, boolean indexed) {
    }

    private static final int BY_POLYGON_VERTEX = 0;
    private static final int BY_CONTROL_POINT = 1;
    private static final int BY_POLYGON = 2;
    private static final int ALL_SAME = 3;
    private static final int UNKNOWN = 4;

    /**
     * From this many index bytes a geometry's first part writes its indices straight into the scene: buffers as large
     * as that the scene maps ({@link KernelPages}), so what the part leaves unwritten costs no memory. Tests lower it
     * to take that path on small files.
     */
    static long directIndexBytes = KernelPages.MIN_BYTES;

    /** A working list's refusal: its bound follows from the file's arrays, so only a broken file passes it. */
    private static final LongFunction<String> TOO_MANY = bound -> "an FBX geometry needs more than " + bound
            + " array elements";

    private final FbxDocument doc;
    private final Scene scene;
    /** Native memory of the read for the working arrays (shared: the gather runs on the common pool too). */
    private final Arena work;
    private final long maxTriangles;
    private final boolean fanTriangulation;
    private long triangles;

    FbxGeometry(FbxDocument doc, Scene scene, Arena work, long maxTriangles, boolean fanTriangulation) {
        this.fanTriangulation = fanTriangulation;
        this.work = work;
        this.doc = doc;
        this.scene = scene;
        this.maxTriangles = maxTriangles;
    }

    /**
     * @param geometric  the model's geometric transform, baked into positions and normals
     * @param materials  scene material index for each material slot of the model
     */
    Built build(FbxNode g, String name, Transform geometric, int[] materials) {
        FbxValues v = g.childValues("Vertices");
        FbxInts pvi = g.childIndices("PolygonVertexIndex");
        if (v == null || pvi == null) {
            return null;
        }
        int cpCount = v.length() / 3;
        boolean baked = !geometric.isIdentity();
        // The file's values are read in place; a copy (native, of the read) is made only to change them (baked, or
        // non-finite set to 0).
        FbxValues changed = baked ? v.copy(work) : null;
        double[] out = new double[3];
        int[] nonFiniteCount = new int[1];
        for (int from = 0; from < cpCount; from += SCAN) {
            changed = controlPoints(v, changed, baked ? geometric : null, from, Math.min(cpCount, from + SCAN), out,
                    nonFiniteCount);
        }
        int nonFinite = nonFiniteCount[0];
        FbxValues pos = changed != null ? changed : v;
        if (nonFinite > 0) {
            scene.warn("geometry '" + name + "' (" + doc.where(g) + "): " + nonFinite
                    + " non-finite vertex coordinate(s) set to 0");
        }
        Layer normals = layer(g, "LayerElementNormal", "Normals", 3, 0);
        List<Layer> uvs = new ArrayList<>();
        for (FbxNode e : sortedLayers(g, "LayerElementUV")) {
            Layer l = layer(e, "UV", 2);
            if (l != null) {
                uvs.add(l);
            }
        }
        Layer colors = layer(g, "LayerElementColor", "Colors", 4, 0);
        FbxNode matElem = firstLayer(g, "LayerElementMaterial");
        String matMapping = matElem == null ? "AllSame" : matElem.childString("MappingInformationType", "AllSame");
        FbxInts matIdx = matElem == null ? null : matElem.childIndices("Materials");
        if (matElem == null && g.child("Materials") != null) {
            // 5800: the per-polygon material list sits in the model itself.
            matIdx = g.childIndices("Materials");
            matMapping = g.childString("MaterialAssignation", "AllSame");
        }

        // Polygons: start offsets in pvi.
        int keyWidth = 2 + uvs.size() + 1;
        Layer[] uvArr = uvs.toArray(new Layer[0]);
        boolean allSameSlot = matIdx == null || matIdx.length() == 0 || matMapping.equals("AllSame");
        // A layer with a value per corner (ByPolygonVertex, Direct) makes every corner whose value it has a
        // vertex of its own: such corners are never looked up, nor remembered for later lookups.
        int ownField = -1;
        if (perCorner(normals)) {
            ownField = 1;
        } else if (perCorner(colors)) {
            ownField = keyWidth - 1;
        } else {
            for (int u = 0; u < uvArr.length && ownField < 0; u++) {
                ownField = perCorner(uvArr[u]) ? 2 + u : -1;
            }
        }
        // A vertex remembers its first corner (and that corner's polygon where a layer maps by polygon): every
        // value of the vertex follows from them, so they are all the vertex keeps until its values are gathered.
        boolean byPolygon = byPolygon(normals) || byPolygon(colors);
        for (Layer u : uvArr) {
            byPolygon |= byPolygon(u);
        }
        int expected = ownField >= 0 ? pvi.length() : Math.min(pvi.length(), cpCount + cpCount / 8 + 16);
        Corners seen = new Corners(work, cpCount, keyWidth, ownField >= 0 ? 16 : expected, pvi.length());
        // The triangles the polygons can make (every one kept): the first part's indices go straight into a scene
        // segment of that size, within what the limit still allows (it is checked again as triangles are made).
        long firstIndices = 3 * Math.max(0, Math.min(triangleBound(pvi), maxTriangles - triangles));
        PolygonScan scan = new PolygonScan(pvi, cpCount, pos, normals, uvArr, colors, matIdx, allSameSlot, ownField,
                byPolygon, expected, seen, firstIndices);
        for (int from = 0, length = pvi.length(); from < length; from += SCAN) {
            scan.run(from, Math.min(length, from + SCAN));
        }
        Map<Integer, Part> parts = scan.parts;
        int skipped = scan.skipped;
        int firstSkipped = scan.firstSkipped;
        int badIndex = scan.badIndex;
        int degenerate = scan.degenerate;
        int[] missing = scan.missing;
        if (skipped > 0) {
            scene.warn("geometry '" + name + "' (" + doc.where(g) + "): " + skipped + " face(s) with fewer than 3 "
                    + "indices skipped (the first is polygon " + firstSkipped + ")");
        }
        if (badIndex > 0) {
            scene.warn("geometry '" + name + "' (" + doc.where(g) + "): " + badIndex + " face(s) refer to vertices "
                    + "beyond the " + cpCount + " control points and were skipped");
        }
        if (degenerate > 0) {
            scene.warn("geometry '" + name + "': " + degenerate + " polygon(s) are not simple (self-intersecting "
                    + "or flat); they were cut as fans");
        }
        if (missing[0] > 0) {
            scene.warn("geometry '" + name + "': " + missing[0] + " layer value reference(s) out of range, "
                    + "zeros used");
        }
        Transform normalMatrix = baked ? normalTransform(geometric) : null;
        Mesh mesh = new Mesh(name);
        List<MemorySegment> cps = new ArrayList<>();
        float[] unitNormals = null;
        for (Map.Entry<Integer, Part> e : parts.entrySet()) {
            Part part = e.getValue();
            int nv = part.size();
            // Values are staged in small heap blocks and copied into the scene's segments block by block.
            MemorySegment p = scene.allocateFloats(Math.max(1, nv * 3L));
            MemorySegment nrm = normals == null ? null : scene.allocateFloats(Math.max(1, nv * 3L));
            List<MemorySegment> uvSegs = new ArrayList<>();
            for (int u = 0; u < uvArr.length; u++) {
                uvSegs.add(scene.allocateFloats(Math.max(1, nv * 2L)));
            }
            MemorySegment col = colors == null ? null : scene.allocateFloats(Math.max(1, nv * 4L));
            if (normals != null && unitNormals == null && normals.values.length() / 3 < nv) {
                // Fewer normal values than vertices (indexed normals): each value is made a unit normal once.
                int count = normals.values.length() / 3;
                unitNormals = new float[count * 3];
                for (int i = 0; i < count; i++) {
                    unitNormal(normals.values, i, normalMatrix, out, unitNormals, i * 3);
                }
            }
            // Each vertex's corner is replaced by its control point in place: the same array serves skins and shapes.
            MemorySegment cpOf = part.corners.view();
            new Gather(pvi, pos, normals, unitNormals, normalMatrix, uvArr, colors, cpOf,
                    part.polygons == null ? null : part.polygons.view(),
                    p, nrm, uvSegs.toArray(new MemorySegment[0]), col).run(nv);
            int indexCount = part.indices.size();
            MemorySegment is = part.indices.into(scene);
            Primitive prim = new Primitive(Topology.TRIANGLES, new VertexAttribute(VertexAttribute.POSITION, 3, nv, p),
                    is, indexCount);
            if (nrm != null) {
                prim.put(new VertexAttribute(VertexAttribute.NORMAL, 3, nv, nrm));
            }
            for (int u = 0; u < uvs.size(); u++) {
                prim.put(new VertexAttribute("TEXCOORD_" + u, 2, nv, uvSegs.get(u)));
            }
            if (col != null) {
                prim.put(new VertexAttribute("COLOR_0", 4, nv, col));
            }
            int slot = e.getKey();
            prim.material(materials != null && slot >= 0 && slot < materials.length ? materials[slot] : -1);
            mesh.add(prim);
            cps.add(cpOf);
        }
        return new Built(mesh, cps, cpCount);
    }

    /**
     * Corners of PolygonVertexIndex (or control points) a call of a loop split for the JIT takes ({@link
     * PolygonScan#run}, {@link #controlPoints}, {@link #triangleBound(FbxInts, int, int, long[])}).
     */
    private static final int SCAN = 4096;

    /**
     * Cuts the polygons of a geometry into triangles of its parts, {@link #SCAN} corners of PolygonVertexIndex a
     * call: a method the JIT compiles whole, by its calls, rather than one loop over millions of corners inside
     * {@link #build}, which it could only compile on the stack (OSR), recompiling each time the loop left its
     * compiled code (measured: several such recompilations and some reads two to three times as slow).
     */
    private final class PolygonScan {
        final Map<Integer, Part> parts = new TreeMap<>();
        final int[] missing = new int[1];
        int skipped;
        int firstSkipped = -1;
        int badIndex;
        int degenerate;
        private final FbxInts pvi;
        private final int length;
        private final int cpCount;
        private final FbxValues pos;
        private final Layer normals;
        private final Layer[] uvArr;
        private final Layer colors;
        private final FbxInts matIdx;
        private final boolean allSameSlot;
        private final int ownField;
        private final boolean keepPolygon;
        private final int expected;
        private final Corners seen;
        private final long firstIndices;
        private final PolygonTriangulator tri = new PolygonTriangulator(fanTriangulation);
        private final int[] key;
        private float[] xyz = new float[48];
        private int[] tris = new int[48];
        private int[] corners = new int[16];
        private int[] ids = new int[16];
        private int polygon;
        private int start;
        private int lastSlot = Integer.MIN_VALUE;
        private Part lastPart;

        PolygonScan(FbxInts pvi, int cpCount, FbxValues pos, Layer normals, Layer[] uvArr, Layer colors,
                    FbxInts matIdx, boolean allSameSlot, int ownField, boolean keepPolygon, int expected, Corners seen,
                    long firstIndices) {
            this.pvi = pvi;
            this.length = pvi.length();
            this.cpCount = cpCount;
            this.pos = pos;
            this.normals = normals;
            this.uvArr = uvArr;
            this.colors = colors;
            this.matIdx = matIdx;
            this.allSameSlot = allSameSlot;
            this.ownField = ownField;
            this.keepPolygon = keepPolygon;
            this.expected = expected;
            this.seen = seen;
            this.firstIndices = firstIndices;
            this.key = new int[2 + uvArr.length + 1];
        }

        /** The polygons that end in corners {@code [from, to)} of PolygonVertexIndex. */
        void run(int from, int to) {
            FbxInts pvi = this.pvi;
            int length = this.length;
            int cpCount = this.cpCount;
            FbxValues pos = this.pos;
            Layer normals = this.normals;
            Layer[] uvArr = this.uvArr;
            Layer colors = this.colors;
            FbxInts matIdx = this.matIdx;
            int ownField = this.ownField;
            Corners seen = this.seen;
            int[] key = this.key;
            int[] missing = this.missing;
            int[] corners = this.corners;
            float[] xyz = this.xyz;
            int[] tris = this.tris;
            int[] ids = this.ids;
            int start = this.start;
            int lastSlot = this.lastSlot;
            Part lastPart = this.lastPart;
            for (int i = from; i < to; i++) {
                boolean last = pvi.get(i) < 0 || i == length - 1;
                if (!last) {
                    continue;
                }
                int n = i - start + 1;
                int poly = polygon++;
                int first = start;
                start = i + 1;
                if (n < 3) {
                    if (skipped++ == 0) {
                        firstSkipped = poly;
                    }
                    continue;
                }
                if (corners.length < n) {
                    corners = new int[n];
                    xyz = new float[n * 3];
                    tris = new int[n * 3];
                }
                boolean ok = true;
                for (int c = 0; c < n; c++) {
                    int raw = pvi.get(first + c);
                    int cp = raw < 0 ? ~raw : raw;
                    if (cp >= cpCount) {
                        ok = false;
                        break;
                    }
                    corners[c] = cp;
                }
                if (ok && n > 3) {
                    // Only polygons beyond triangles need their corner positions (convexity, triangulation).
                    for (int c = 0; c < n; c++) {
                        int cp = corners[c];
                        xyz[c * 3] = (float) pos.get(cp * 3);
                        xyz[c * 3 + 1] = (float) pos.get(cp * 3 + 1);
                        xyz[c * 3 + 2] = (float) pos.get(cp * 3 + 2);
                    }
                }
                if (!ok) {
                    badIndex++;
                    continue;
                }
                int slot = 0;
                if (matIdx != null && matIdx.length() > 0) {
                    int m = allSameSlot ? 0 : poly;
                    slot = m < matIdx.length() ? matIdx.get(m) : matIdx.get(0);
                }
                int t;
                boolean fan = n == 3 || weaklyConvex(xyz, n);
                if (fan) {
                    // Convex (corners on a line allowed): the file's own fan, as every FBX reader and the corpus
                    // facts cut it; the triangulator would cut round collinear corners instead.
                    t = n - 2;
                    for (int k = 0; k < t; k++) {
                        tris[k * 3] = 0;
                        tris[k * 3 + 1] = k + 1;
                        tris[k * 3 + 2] = k + 2;
                    }
                } else {
                    t = tri.triangulate(xyz, n, tris);
                }
                if (!fan && tri.lastWasDegenerate()) {
                    // A polygon that is not simple has no right triangulation; keep the file's own fan order, which
                    // is what other readers (and the corpus checker) make of it.
                    degenerate++;
                    for (int k = 0; k < n - 2; k++) {
                        tris[k * 3] = 0;
                        tris[k * 3 + 1] = k + 1;
                        tris[k * 3 + 2] = k + 2;
                    }
                }
                triangles += t;
                if (triangles > maxTriangles) {
                    throw new LimitExceededException(doc.file + ": more than " + maxTriangles
                            + " triangles (ReadOptions.maxTriangles)");
                }
                Part part;
                if (slot == lastSlot) {
                    part = lastPart;
                } else {
                    int partNo = parts.size();
                    // The first part may take every corner; later ones start small.
                    int capacity = partNo == 0 ? expected : 256;
                    part = parts.computeIfAbsent(slot, s -> new Part(work, keepPolygon, partNo, capacity, pvi.length(),
                            partNo == 0 && firstIndices * Integer.BYTES > directIndexBytes
                                    ? new Indices(scene.allocateInts(firstIndices))
                                    : new Indices(NativeList.inArena(work, Math.max(64, capacity), firstIndices,
                                            TOO_MANY))));
                    lastSlot = slot;
                    lastPart = part;
                }
                if (ids.length < n) {
                    ids = new int[n];
                }
                for (int c = 0; c < n; c++) {
                    int pv = first + c;
                    int cp = corners[c];
                    key[0] = cp;
                    key[1] = normals == null ? -1 : valueIndex(normals, pv, cp, poly, missing);
                    for (int u = 0; u < uvArr.length; u++) {
                        key[2 + u] = valueIndex(uvArr[u], pv, cp, poly, missing);
                    }
                    key[key.length - 1] = colors == null ? -1 : valueIndex(colors, pv, cp, poly, missing);
                    ids[c] = ownField >= 0 && key[ownField] >= 0 ? part.add(pv, poly)
                            : seen.vertex(part, key, pv, poly);
                }
                for (int k = 0; k < t * 3; k++) {
                    part.indices.add(ids[tris[k]]);
                }
            }
            this.start = start;
            this.lastSlot = lastSlot;
            this.lastPart = lastPart;
            this.corners = corners;
            this.xyz = xyz;
            this.tris = tris;
            this.ids = ids;
        }
    }

    /**
     * Bakes {@code geometric} (when not null) into control points {@code [from, to)} of {@code changed} and sets
     * their non-finite coordinates to 0 there, counted in {@code nonFinite[0]}; {@code changed} is a copy of the
     * file's {@code v}, made at the first such coordinate when there is none yet. Returns it. A call a block of
     * control points, for the JIT (see {@link PolygonScan}).
     */
    private FbxValues controlPoints(FbxValues v, FbxValues changed, Transform geometric, int from, int to,
                                    double[] out, int[] nonFinite) {
        for (int i = from; i < to; i++) {
            if (geometric != null) {
                geometric.applyToPoint(v.get(i * 3), v.get(i * 3 + 1), v.get(i * 3 + 2), out);
                changed.set(i * 3, out[0]);
                changed.set(i * 3 + 1, out[1]);
                changed.set(i * 3 + 2, out[2]);
            }
            for (int k = 0; k < 3; k++) {
                if (!Double.isFinite(changed != null ? changed.get(i * 3 + k) : v.get(i * 3 + k))) {
                    if (changed == null) {
                        changed = v.copy(work);
                    }
                    changed.set(i * 3 + k, 0);
                    nonFinite[0]++;
                }
            }
        }
        return changed;
    }

    /** Whether no corner of the polygon turns against its Newell normal. */
    static boolean weaklyConvex(float[] xyz, int n) {
        double nx = 0, ny = 0, nz = 0;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            nx += (xyz[i * 3 + 1] - xyz[j * 3 + 1]) * (xyz[i * 3 + 2] + xyz[j * 3 + 2]);
            ny += (xyz[i * 3 + 2] - xyz[j * 3 + 2]) * (xyz[i * 3] + xyz[j * 3]);
            nz += (xyz[i * 3] - xyz[j * 3]) * (xyz[i * 3 + 1] + xyz[j * 3 + 1]);
        }
        double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
        if (!(len > 0)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int a = (i + n - 1) % n;
            int b = (i + 1) % n;
            double ux = xyz[i * 3] - xyz[a * 3], uy = xyz[i * 3 + 1] - xyz[a * 3 + 1], uz = xyz[i * 3 + 2] - xyz[a * 3 + 2];
            double vx = xyz[b * 3] - xyz[i * 3], vy = xyz[b * 3 + 1] - xyz[i * 3 + 1], vz = xyz[b * 3 + 2] - xyz[i * 3 + 2];
            double cx = uy * vz - uz * vy, cy = uz * vx - ux * vz, cz = ux * vy - uy * vx;
            double turn = (cx * nx + cy * ny + cz * nz) / len;
            double scale = Math.sqrt(ux * ux + uy * uy + uz * uz) * Math.sqrt(vx * vx + vy * vy + vz * vz);
            if (turn < -1e-9 * scale) {
                return false;
            }
        }
        return true;
    }

    /** Normal value {@code ni} (none when negative), transformed by {@code m} if any, made unit length. */
    private static void unitNormal(FbxValues values, int ni, Transform m, double[] out, float[] dst, int d) {
        double n0 = 0, n1 = 0, n2 = 0;
        if (ni >= 0) {
            n0 = values.get(ni * 3);
            n1 = values.get(ni * 3 + 1);
            n2 = values.get(ni * 3 + 2);
        }
        if (m != null) {
            m.applyToPoint(n0, n1, n2, out);
            n0 = out[0];
            n1 = out[1];
            n2 = out[2];
        }
        double len = Math.sqrt(n0 * n0 + n1 * n1 + n2 * n2);
        if (len > 0 && Double.isFinite(len)) {
            dst[d] = (float) (n0 / len);
            dst[d + 1] = (float) (n1 / len);
            dst[d + 2] = (float) (n2 / len);
        } else {
            dst[d] = 0f;
            dst[d + 1] = 0f;
            dst[d + 2] = 1f;
        }
    }

    private static float finite(double d) {
        return Double.isFinite(d) ? (float) d : 0f;
    }

    /** Normals transform by the inverse transpose of the 3x3 part. */
    private static Transform normalTransform(Transform t) {
        double[] inv = FbxTransforms.inverse(t).toArray();
        return Transform.of(inv[0], inv[4], inv[8], 0, inv[1], inv[5], inv[9], 0, inv[2], inv[6], inv[10], 0,
                0, 0, 0, 1);
    }

    /** Vertices staged on the heap at a time before their values are copied into the scene. */
    private static final int BLOCK = 4096;
    /** Vertices a helper gathers at a time; a part of fewer than two such runs is gathered by the reading thread. */
    private static final int RUN = 16 * BLOCK;

    /**
     * Gathers the values of a part's vertices (each from its first corner) into the scene's segments, in runs of
     * {@link #RUN} vertices that helpers of the common pool and the reading thread take in turn: every run writes its
     * own range of each segment. The reading thread takes runs until none is left and then waits only for runs that
     * a helper has begun, so a busy pool does not stall the read.
     */
    private static final class Gather {
        private final FbxInts pvi;
        private final FbxValues pos;
        private final Layer normals;
        private final float[] unitNormals;
        private final Transform normalMatrix;
        private final Layer[] uvArr;
        private final Layer colors;
        private final MemorySegment cornerOf;
        private final MemorySegment polygonOf;
        private final MemorySegment p;
        private final MemorySegment nrm;
        private final MemorySegment[] uvSegs;
        private final MemorySegment col;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        /** What a run threw (an error too: a helper's failure must not leave a range unfilled unnoticed). */
        private volatile Throwable failure;

        Gather(FbxInts pvi, FbxValues pos, Layer normals, float[] unitNormals, Transform normalMatrix, Layer[] uvArr,
               Layer colors, MemorySegment cornerOf, MemorySegment polygonOf, MemorySegment p, MemorySegment nrm,
               MemorySegment[] uvSegs, MemorySegment col) {
            this.pvi = pvi;
            this.pos = pos;
            this.normals = normals;
            this.unitNormals = unitNormals;
            this.normalMatrix = normalMatrix;
            this.uvArr = uvArr;
            this.colors = colors;
            this.cornerOf = cornerOf;
            this.polygonOf = polygonOf;
            this.p = p;
            this.nrm = nrm;
            this.uvSegs = uvSegs;
            this.col = col;
        }

        void run(int nv) {
            int runs = (nv + RUN - 1) / RUN;
            int helpers = Math.min(ForkJoinPool.getCommonPoolParallelism(), runs - 1);
            for (int h = 0; h < helpers; h++) {
                ForkJoinPool.commonPool().execute(() -> take(nv, runs));
            }
            take(nv, runs);
            while (done.get() < runs) {
                LockSupport.parkNanos(20_000);
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            } else if (failure instanceof Error e) {
                throw e;
            }
        }

        /** Gathers runs until none is left. */
        private void take(int nv, int runs) {
            for (int r; (r = next.getAndIncrement()) < runs; ) {
                try {
                    if (failure == null) {
                        range(r * RUN, Math.min(nv, (r + 1) * RUN));
                    }
                } catch (RuntimeException | Error e) {
                    failure = e;
                } finally {
                    done.incrementAndGet();
                }
            }
        }

        /** Gathers vertices [from, to), staged in heap blocks and copied into the segments block by block. */
        private void range(int from, int to) {
            int block = Math.min(to - from, BLOCK);
            double[] out = new double[3];
            float[] pf = new float[block * 3];
            float[] nf = normals == null ? null : new float[block * 3];
            float[][] uvf = new float[uvArr.length][];
            for (int u = 0; u < uvArr.length; u++) {
                uvf[u] = new float[block * 2];
            }
            float[] cf = colors == null ? null : new float[block * 4];
            for (int first = from; first < to; first += block) {
                int m = Math.min(block, to - first);
                gatherBlock(first, m, out, pf, nf, uvf, cf);
                MemorySegment.copy(pf, 0, p, ValueLayout.JAVA_FLOAT, first * 12L, m * 3);
                if (nf != null) {
                    MemorySegment.copy(nf, 0, nrm, ValueLayout.JAVA_FLOAT, first * 12L, m * 3);
                }
                for (int u = 0; u < uvArr.length; u++) {
                    MemorySegment.copy(uvf[u], 0, uvSegs[u], ValueLayout.JAVA_FLOAT, first * 8L, m * 2);
                }
                if (cf != null) {
                    MemorySegment.copy(cf, 0, col, ValueLayout.JAVA_FLOAT, first * 16L, m * 4);
                }
            }
        }

        /**
         * Gathers vertices {@code [first, first + m)} into the heap blocks: a method of its own, which the JIT
         * compiles whole by its calls, not only on the stack of a long loop (see {@link PolygonScan}).
         */
        private void gatherBlock(int first, int m, double[] out, float[] pf, float[] nf, float[][] uvf, float[] cf) {
            MemorySegment cpOf = cornerOf;
            for (int li = 0; li < m; li++) {
                int vi = first + li;
                int pv = cpOf.getAtIndex(ValueLayout.JAVA_INT, vi);
                int poly = polygonOf == null ? 0 : polygonOf.getAtIndex(ValueLayout.JAVA_INT, vi);
                int raw = pvi.get(pv);
                int cp = raw < 0 ? ~raw : raw;
                cpOf.setAtIndex(ValueLayout.JAVA_INT, vi, cp);
                pf[li * 3] = (float) pos.get(cp * 3);
                pf[li * 3 + 1] = (float) pos.get(cp * 3 + 1);
                pf[li * 3 + 2] = (float) pos.get(cp * 3 + 2);
                if (nf != null) {
                    int ni = index(normals, pv, cp, poly);
                    if (unitNormals == null || ni < 0) {
                        unitNormal(normals.values, ni, normalMatrix, out, nf, li * 3);
                    } else {
                        nf[li * 3] = unitNormals[ni * 3];
                        nf[li * 3 + 1] = unitNormals[ni * 3 + 1];
                        nf[li * 3 + 2] = unitNormals[ni * 3 + 2];
                    }
                }
                for (int u = 0; u < uvArr.length; u++) {
                    int ui = index(uvArr[u], pv, cp, poly);
                    double u0 = 0, u1 = 0;
                    if (ui >= 0) {
                        FbxValues uvv = uvArr[u].values;
                        u0 = uvv.get(ui * 2);
                        u1 = uvv.get(ui * 2 + 1);
                    }
                    uvf[u][li * 2] = finite(u0);
                    uvf[u][li * 2 + 1] = finite(1 - u1);
                }
                if (cf != null) {
                    int ci = index(colors, pv, cp, poly);
                    FbxValues cv = colors.values;
                    for (int k = 0; k < 4; k++) {
                        double c = ci >= 0 ? cv.get(ci * 4 + k) : (k == 3 ? 1 : 0);
                        cf[li * 4 + k] = (float) Math.max(0, Math.min(1, Double.isFinite(c) ? c : 1));
                    }
                }
            }
        }
    }

    /** Whether the layer holds one value for every corner, unindexed. */
    private static boolean perCorner(Layer l) {
        return l != null && l.map == BY_POLYGON_VERTEX && !l.indexed;
    }

    /** Whether a layer maps its values by polygon. */
    private static boolean byPolygon(Layer l) {
        return l != null && l.map == BY_POLYGON;
    }

    /** The value index of a corner, counting one in {@code missing} where it has none. */
    private static int valueIndex(Layer l, int pv, int cp, int poly, int[] missing) {
        int m = index(l, pv, cp, poly);
        if (m < 0) {
            missing[0]++;
        }
        return m;
    }

    /** The value index of corner {@code pv} (of control point {@code cp}, polygon {@code poly}); -1 for none. */
    private static int index(Layer l, int pv, int cp, int poly) {
        int m = switch (l.map) {
            case BY_POLYGON_VERTEX -> pv;
            case BY_CONTROL_POINT -> cp;
            case BY_POLYGON -> poly;
            case ALL_SAME -> 0;
            default -> -1;
        };
        if (m >= 0 && l.indexed) {
            m = m < l.index.length() ? l.index.get(m) : -1;
        }
        return m < 0 || (long) m * l.components + l.components > l.values.length() ? -1 : m;
    }

    private Layer layer(FbxNode g, String element, String values, int components, int which) {
        FbxNode e = firstLayer(g, element);
        return e == null ? null : layer(e, values, components);
    }

    private Layer layer(FbxNode e, String values, int components) {
        FbxValues vals = e.childValues(values);
        if (vals == null) {
            return null;
        }
        FbxInts index = e.childIndices(values + "Index");
        if (index == null && values.equals("Normals")) {
            index = e.childIndices("NormalIndex");
        }
        String mapping = e.childString("MappingInformationType", "ByPolygonVertex");
        String reference = e.childString("ReferenceInformationType", "Direct");
        if (index == null) {
            reference = "Direct";
        }
        int map = switch (mapping) {
            case "ByPolygonVertex" -> BY_POLYGON_VERTEX;
            case "ByVertex", "ByVertice", "ByControlPoint" -> BY_CONTROL_POINT;
            case "ByPolygon" -> BY_POLYGON;
            case "AllSame" -> ALL_SAME;
            default -> UNKNOWN;
        };
        boolean indexed = index != null && !reference.equals("Direct");
        return new Layer(e.name, mapping, reference, vals, index, components, map, indexed);
    }

    private static FbxNode firstLayer(FbxNode g, String element) {
        List<FbxNode> l = sortedLayers(g, element);
        return l.isEmpty() ? null : l.get(0);
    }

    private static List<FbxNode> sortedLayers(FbxNode g, String element) {
        List<FbxNode> l = new ArrayList<>(g.all(element));
        l.sort((a, b) -> Long.compare(a.integer(0, 0), b.integer(0, 0)));
        return l;
    }

    /**
     * The vertices and triangle corners of one material. A vertex is kept as the corner it was first made for
     * (and that corner's polygon, where some layer maps by polygon), in the order the vertices were first met.
     */
    private static final class Part {
        private final int number;
        private final NativeList corners;
        private final NativeList polygons;
        final Indices indices;

        /** @param bound the most vertices the part can make: one a corner */
        Part(Arena work, boolean keepPolygon, int number, int capacity, int bound, Indices indices) {
            this.number = number;
            int start = Math.max(16, capacity);
            this.corners = NativeList.inArena(work, start, bound, TOO_MANY);
            this.polygons = keepPolygon ? NativeList.inArena(work, start, bound, TOO_MANY) : null;
            this.indices = indices;
        }

        int size() {
            return (int) corners.size();
        }

        int add(int corner, int polygon) {
            corners.add(corner);
            if (polygons != null) {
                polygons.add(polygon);
            }
            return (int) corners.size() - 1;
        }
    }

    /** The triangles of every polygon of three or more corners: what the geometry makes at most. */
    private static long triangleBound(FbxInts pvi) {
        long[] boundAndStart = new long[2];
        for (int from = 0, length = pvi.length(); from < length; from += SCAN) {
            triangleBound(pvi, from, Math.min(length, from + SCAN), boundAndStart);
        }
        return boundAndStart[0];
    }

    /**
     * Adds to {@code boundAndStart[0]} the triangles of the polygons that end in corners {@code [from, to)}, the
     * open polygon starting at corner {@code boundAndStart[1]} (a call a block of corners, see {@link PolygonScan}).
     */
    private static void triangleBound(FbxInts pvi, int from, int to, long[] boundAndStart) {
        long bound = boundAndStart[0];
        int start = (int) boundAndStart[1];
        for (int i = from, length = pvi.length(); i < to; i++) {
            if (pvi.get(i) < 0 || i == length - 1) {
                bound += Math.max(0, i - start - 1);
                start = i + 1;
            }
        }
        boundAndStart[0] = bound;
        boundAndStart[1] = start;
    }

    /**
     * A part's triangle corners. A large first part writes them straight into a scene segment sized for every
     * triangle of the geometry, which then holds them: the scene maps buffers of that size ({@link KernelPages}),
     * and the pages a part with fewer triangles (others took some, or faces were skipped) never writes are never
     * backed by memory. Other parts grow in native memory of the read and are copied once.
     */
    private static final class Indices {
        private final MemorySegment direct;
        private final NativeList list;
        private int count;

        Indices(MemorySegment direct) {
            this.direct = direct;
            this.list = null;
        }

        Indices(NativeList list) {
            this.direct = null;
            this.list = list;
        }

        void add(int v) {
            if (direct != null) {
                direct.setAtIndex(ValueLayout.JAVA_INT, count++, v);
            } else {
                list.add(v);
                count++;
            }
        }

        int size() {
            return count;
        }

        /** The corners in a segment of the scene, exactly as long as they are. */
        MemorySegment into(Scene scene) {
            if (direct != null) {
                return direct.asSlice(0, Math.max(1, count) * (long) Integer.BYTES);
            }
            MemorySegment is = scene.allocateInts(Math.max(1, count));
            MemorySegment.copy(list.view(), 0, is, 0, count * (long) Integer.BYTES);
            return is;
        }
    }

    /**
     * Finds the vertex of a corner key (control point first): the vertices made so far, of every part, are
     * chained per control point, so a lookup compares only the few vertices sharing the corner's control point.
     * An entry holds, side by side, the next entry, the part, the vertex and the key's other fields; the chain
     * heads and the entries are native memory of the read.
     */
    private static final class Corners {
        private final MemorySegment head;
        private final int stride;
        private final int width;
        private final NativeList e;
        private int count;

        /** @param bound the most corners the geometry has: an entry each at most */
        Corners(Arena work, int controlPoints, int width, int corners, int bound) {
            head = NativeList.allocate(work, Math.max(1, controlPoints));
            head.fill((byte) -1);
            this.width = width;
            this.stride = width + 2;
            this.e = NativeList.inArena(work, (long) stride * Math.max(16, corners),
                    (long) stride * Math.max(16, bound), TOO_MANY);
        }

        int vertex(Part p, int[] key, int corner, int polygon) {
            int cp = key[0];
            NativeList e = this.e;
            for (int at = head.getAtIndex(ValueLayout.JAVA_INT, cp); at >= 0; at = e.get((long) at * stride)) {
                long b = (long) at * stride;
                if (e.get(b + 1) == p.number && matches(e, b + 3, key)) {
                    return e.get(b + 2);
                }
            }
            int v = p.add(corner, polygon);
            long b = e.extend(stride);
            e.set(b, head.getAtIndex(ValueLayout.JAVA_INT, cp));
            e.set(b + 1, p.number);
            e.set(b + 2, v);
            for (int f = 1; f < width; f++) {
                e.set(b + 2 + f, key[f]);
            }
            head.setAtIndex(ValueLayout.JAVA_INT, cp, count++);
            return v;
        }

        private boolean matches(NativeList e, long from, int[] key) {
            for (int f = 1; f < width; f++) {
                if (e.get(from + f - 1) != key[f]) {
                    return false;
                }
            }
            return true;
        }
    }

    static BadInputException bad(FbxDocument doc, FbxNode n, String what) {
        return new BadInputException(doc.file, doc.where(n) + ": " + what);
    }
}
