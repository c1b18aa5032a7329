// Cuts the polygons of an FBX geometry into the triangles of its parts, one part a material slot.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.io.PolygonTriangulator;
import dev.meshforge.core.io.internal.NativeList;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.internal.KernelPages;

import java.lang.foreign.Arena;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@code PolygonVertexIndex} (a negative index {@code ~i} ends a polygon): a convex polygon is cut as the
 * file's fan, any other by {@link PolygonTriangulator}; corners sharing all their values share a vertex
 * ({@link FbxCorners}). Runs over the corners {@link FbxBlocks a block at a time}.
 */
final class FbxPolygonScan {
    /**
     * What the scan made and skipped.
     *
     * @param parts         the parts by material slot, in slot order
     * @param triangles     the triangles made
     * @param skipped       polygons of fewer than 3 corners (the first is {@code firstSkipped}, else -1)
     * @param badIndex      polygons with a corner beyond the control points, skipped
     * @param degenerate    polygons that are not simple, cut as fans
     * @param missing       layer value references out of range (zeros used)
     */
    record Result(Map<Integer, FbxPart> parts, long triangles, int skipped, int firstSkipped, int badIndex,
                  int degenerate, int missing) {
    }

    /**
     * From this many index bytes a geometry's first part writes its indices straight into the scene: buffers as large
     * as that the scene maps ({@link KernelPages}), so what the part leaves unwritten costs no memory. Tests lower it
     * to take that path on small files.
     */
    static long directIndexBytes = KernelPages.MIN_BYTES;

    private final Map<Integer, FbxPart> parts = new TreeMap<>();
    private final FbxInts pvi;
    private final int length;
    private final int cpCount;
    private final FbxValues pos;
    private final FbxLayers.Layer normals;
    private final FbxLayers.Layer[] uvs;
    private final FbxLayers.Layer colors;
    private final FbxLayers layers;
    private final int ownField;
    private final boolean keepPolygon;
    /** Vertices the first part makes room for. */
    private final int expected;
    private final FbxCorners seen;
    /** Room for the first part's indices: 3 for every triangle the polygons can make, within the limit. */
    private final long firstIndices;
    private final long trianglesLeft;
    private final String overLimit;
    private final Scene scene;
    private final Arena work;
    private final PolygonTriangulator tri;
    private final int[] key;
    private float[] xyz = new float[48];
    private int[] tris = new int[48];
    private int[] corners = new int[16];
    private int[] ids = new int[16];
    private int polygon;
    private int start;
    private int lastSlot = Integer.MIN_VALUE;
    private FbxPart lastPart;
    private long triangles;
    private int skipped;
    private int firstSkipped = -1;
    private int badIndex;
    private int degenerate;
    private int missing;

    /**
     * @param trianglesLeft  the triangles the read may still make; past them the scan throws
     * @param overLimit      the sentence that says so
     * @param work           native memory of the read for the parts and lookups
     */
    FbxPolygonScan(FbxInts pvi, FbxControlPoints points, FbxLayers layers, Scene scene, Arena work,
                   boolean fanTriangulation, long trianglesLeft, String overLimit) {
        this.pvi = pvi;
        this.length = pvi.length();
        this.cpCount = points.count();
        this.pos = points.positions();
        this.layers = layers;
        this.normals = layers.normals();
        this.uvs = layers.uvs();
        this.colors = layers.colors();
        this.ownField = layers.ownField();
        // A vertex remembers its first corner (and that corner's polygon where a layer maps by polygon): every
        // value of the vertex follows from them, so they are all the vertex keeps until its values are gathered.
        this.keepPolygon = layers.byPolygon();
        this.scene = scene;
        this.work = work;
        this.trianglesLeft = trianglesLeft;
        this.overLimit = overLimit;
        this.tri = new PolygonTriangulator(fanTriangulation);
        this.key = new int[layers.keyWidth()];
        this.expected = ownField >= 0 ? length : Math.min(length, cpCount + cpCount / 8 + 16);
        this.seen = new FbxCorners(work, cpCount, layers.keyWidth(), ownField >= 0 ? 16 : expected, length);
        // The triangles the polygons can make (every one kept): the first part's indices go straight into a scene
        // segment of that size, within what the limit still allows (it is checked again as triangles are made).
        this.firstIndices = 3 * Math.max(0, Math.min(TriangleBound.of(pvi), trianglesLeft));
    }

    /** Cuts every polygon. */
    Result run() {
        FbxBlocks.run(0, length, this::block);
        return new Result(parts, triangles, skipped, firstSkipped, badIndex, degenerate, missing);
    }

    /** The polygons that end in corners {@code [from, to)} of PolygonVertexIndex. */
    private void block(int from, int to) {
        FbxInts pvi = this.pvi;
        int length = this.length;
        int cpCount = this.cpCount;
        FbxValues pos = this.pos;
        FbxLayers.Layer normals = this.normals;
        FbxLayers.Layer[] uvs = this.uvs;
        FbxLayers.Layer colors = this.colors;
        int ownField = this.ownField;
        FbxCorners seen = this.seen;
        int[] key = this.key;
        int[] corners = this.corners;
        float[] xyz = this.xyz;
        int[] tris = this.tris;
        int[] ids = this.ids;
        int start = this.start;
        int lastSlot = this.lastSlot;
        FbxPart lastPart = this.lastPart;
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
            int slot = layers.slot(poly);
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
            if (triangles > trianglesLeft) {
                throw new LimitExceededException(overLimit);
            }
            FbxPart part;
            if (slot == lastSlot) {
                part = lastPart;
            } else {
                part = parts.computeIfAbsent(slot, s -> newPart());
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
                key[1] = normals == null ? -1 : valueIndex(normals, pv, cp, poly);
                for (int u = 0; u < uvs.length; u++) {
                    key[2 + u] = valueIndex(uvs[u], pv, cp, poly);
                }
                key[key.length - 1] = colors == null ? -1 : valueIndex(colors, pv, cp, poly);
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

    /** The next part: the first may take every corner and writes its indices into the scene when they are many. */
    private FbxPart newPart() {
        int partNo = parts.size();
        int capacity = partNo == 0 ? expected : 256;
        FbxPart.Indices indices = partNo == 0 && firstIndices * Integer.BYTES > directIndexBytes
                ? new FbxPart.Indices(scene.allocateInts(firstIndices))
                : new FbxPart.Indices(NativeList.inArena(work, Math.max(64, capacity), firstIndices,
                        FbxPart.TOO_MANY));
        return new FbxPart(work, keepPolygon, partNo, capacity, length, indices);
    }

    /** The value index of a corner in layer {@code l}, counted as missing where it has none. */
    private int valueIndex(FbxLayers.Layer l, int pv, int cp, int poly) {
        int m = l.index(pv, cp, poly);
        if (m < 0) {
            missing++;
        }
        return m;
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

    /** The triangles of every polygon of three or more corners: what the geometry makes at most. */
    private static final class TriangleBound {
        private final FbxInts pvi;
        private long bound;
        /** The first corner of the polygon still open. */
        private int start;

        private TriangleBound(FbxInts pvi) {
            this.pvi = pvi;
        }

        static long of(FbxInts pvi) {
            TriangleBound b = new TriangleBound(pvi);
            FbxBlocks.run(0, pvi.length(), b::block);
            return b.bound;
        }

        /** Adds the triangles of the polygons that end in corners {@code [from, to)}. */
        private void block(int from, int to) {
            FbxInts pvi = this.pvi;
            long bound = this.bound;
            int start = this.start;
            for (int i = from, length = pvi.length(); i < to; i++) {
                if (pvi.get(i) < 0 || i == length - 1) {
                    bound += Math.max(0, i - start - 1);
                    start = i + 1;
                }
            }
            this.bound = bound;
            this.start = start;
        }
    }
}
