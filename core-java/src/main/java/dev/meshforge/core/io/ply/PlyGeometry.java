// The vertex attributes and face corners a PLY body fills, and their final shape as one scene primitive.
package dev.meshforge.core.io.ply;

import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.io.FloatList;
import dev.meshforge.core.io.PolygonTriangulator;
import dev.meshforge.core.io.internal.NativeList;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.VertexAttribute;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * Vertex data goes straight into segments of the scene's arena (the header tells the vertex count); face
 * corners are gathered in scratch memory, because polygons can only be triangulated once the positions are
 * known, and faces may come before vertices; where the faces are triangles, that memory is the scene's index
 * buffer itself.
 */
final class PlyGeometry implements AutoCloseable {
    static final int X = 0;
    static final int NX = 3;
    static final int RED = 6;
    static final int ALPHA = 9;
    static final int U = 10;
    static final int V = 11;
    /** The largest polygon the reader triangulates. */
    static final long MAX_POLYGON_CORNERS = 1 << 24;

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;

    private final Path file;
    private final Scene scene;
    private long vertexCount;
    private final long maxTriangles;
    private final boolean fanTriangulation;
    private MemorySegment positions;
    private MemorySegment normals;
    private MemorySegment colors;
    private MemorySegment uvs;
    private final boolean hasAlpha;
    private NativeList corners;
    private final long expectedCorners;
    /**
     * The scene's index buffer the corners are gathered in when the first face is a triangle: while every face is
     * one and the guess held, it becomes the primitive's indices as it is, without a copy. Null until then.
     */
    private MemorySegment sceneCorners;
    /** Corner counts of the kept faces; null while every face so far was a triangle. */
    private NativeList sizes;
    private long triangles;
    private long faces;
    private long skippedFaces;
    private long firstSkipped = -1;
    /** Face records skipped for fewer than three corners (their texcoord lists are stepped over). */
    private final java.util.BitSet skipped = new java.util.BitSet();
    /** Per-corner texture coordinates of the face records (u v per corner), where the faces have texcoord. */
    private final FloatList cornerUvs = new FloatList(0);
    private int[] cornerUvCounts = new int[0];
    private int cornerUvRecords;

    /**
     * @param expectedCorners a first guess at the number of face corners (memory grows past it as needed)
     * @param filled          whether the body writes every component of every vertex buffer (binary records of
     *                        floats only, see PlyBinaryBody.readFloatRecords), which may then start unzeroed
     */
    PlyGeometry(Path file, Scene scene, long vertexCount, boolean normals, boolean colors, boolean alpha,
                boolean uvs, long expectedCorners, long maxTriangles, boolean fanTriangulation, boolean filled) {
        this.file = file;
        this.fanTriangulation = fanTriangulation;
        this.scene = scene;
        this.vertexCount = vertexCount;
        this.maxTriangles = maxTriangles;
        this.positions = vertexBuffer(scene, vertexCount * 3, filled);
        this.normals = normals ? vertexBuffer(scene, vertexCount * 3, filled) : null;
        this.colors = colors ? vertexBuffer(scene, vertexCount * 4, filled) : null;
        this.uvs = uvs ? vertexBuffer(scene, vertexCount * 2, filled) : null;
        this.hasAlpha = alpha;
        this.expectedCorners = expectedCorners;
        this.corners = scratch(16, cornerBound());
    }

    /**
     * Scratch ints of memory of their own, freed as they grow and when the geometry closes; the triangle limit bounds
     * them (a face kept makes a triangle a corner at most), and is checked before anything is added.
     */
    private NativeList scratch(long capacity, long bound) {
        return NativeList.ofOwn(Math.max(16, capacity), bound, this::tooManyInts);
    }

    /** The most face corners the triangle limit allows: three a triangle. */
    private long cornerBound() {
        return Math.min(maxTriangles, Long.MAX_VALUE / 3) * 3;
    }

    private String tooManyInts(long bound) {
        return file + ": more than " + bound + " face corners (ReadOptions.maxTriangles)";
    }

    private static MemorySegment vertexBuffer(Scene scene, long floats, boolean filled) {
        return filled ? scene.allocateFilled(ValueLayout.JAVA_FLOAT, Math.max(1, floats))
                : scene.allocateFloats(Math.max(1, floats));
    }

    long vertexCount() {
        return vertexCount;
    }

    /** The segment that vertex slot {@code slot} (see {@link ElementPlan}) is stored in. */
    MemorySegment target(int slot) {
        return slot < NX ? positions : slot < RED ? normals : slot < U ? colors : uvs;
    }

    /** Floats per vertex in {@link #target(int)}, and the slot's place among them. */
    static int components(int slot) {
        return slot < RED ? 3 : slot < U ? 4 : 2;
    }

    static int component(int slot) {
        return slot < NX ? slot : slot < RED ? slot - NX : slot < U ? slot - RED : slot - U;
    }

    /** Stores a converted value into vertex slot {@code slot} (see {@link ElementPlan}) of vertex {@code v}. */
    void set(int slot, long v, double value) {
        switch (slot) {
            case 0, 1, 2 -> positions.setAtIndex(FLOAT, v * 3 + slot, (float) value);
            case 3, 4, 5 -> normals.setAtIndex(FLOAT, v * 3 + slot - NX, (float) value);
            case 6, 7, 8, 9 -> colors.setAtIndex(FLOAT, v * 4 + slot - RED, (float) value);
            case U -> uvs.setAtIndex(FLOAT, v * 2, (float) value);
            case V -> uvs.setAtIndex(FLOAT, v * 2 + 1, (float) (1.0 - value));
            default -> throw new IllegalArgumentException("no vertex slot " + slot);
        }
    }

    /**
     * Starts a face of {@code n} corners; false when it has fewer than three and is skipped (its corners are
     * then not to be added).
     */
    boolean beginFace(long face, long n) {
        if (n < 3) {
            skipped.set((int) Math.min(face, Integer.MAX_VALUE));
            if (firstSkipped < 0) {
                firstSkipped = face;
            }
            skippedFaces++;
            return false;
        }
        if (n > MAX_POLYGON_CORNERS) {
            throw new LimitExceededException(file + ": face " + face + " has " + n + " corners, more than the "
                    + MAX_POLYGON_CORNERS + " a polygon may have");
        }
        triangles += n - 2;
        if (triangles > maxTriangles) {
            throw new LimitExceededException(file + ": face " + face + " brings the triangle count past the limit of "
                    + maxTriangles + " (ReadOptions.maxTriangles)");
        }
        if (faces == 0) {
            firstFace(n == 3);
        }
        if (sizes == null && n != 3) {
            sizes = scratch(faces * 2, maxTriangles);
            for (long f = 0; f < faces; f++) {
                sizes.add(3);
            }
        }
        if (sizes != null) {
            sizes.add((int) n);
        }
        faces++;
        return true;
    }

    /** A whole triangular face whose corners the caller has checked: the fast form of beginFace and corner. */
    void triangle(long face, int a, int b, int c) {
        if (sizes != null) {
            beginFace(face, 3);
            corners.add(a);
            corners.add(b);
            corners.add(c);
            return;
        }
        if (faces == 0) {
            firstFace(true);
        }
        if (++triangles > maxTriangles) {
            throw new LimitExceededException(file + ": face " + face + " brings the triangle count past the limit of "
                    + maxTriangles + " (ReadOptions.maxTriangles)");
        }
        faces++;
        corners.add3(a, b, c);
    }

    /**
     * Whole triangular faces {@code face}, {@code face + 1}, ... whose {@code count} corner triples the caller has
     * checked, {@code corners[0..3 count)}: as many calls of {@link #triangle}, added at once.
     */
    void triangles(long face, int[] corners, int count) {
        if (sizes != null || triangles + count > maxTriangles) {
            for (int k = 0; k < count; k++) {
                triangle(face + k, corners[3 * k], corners[3 * k + 1], corners[3 * k + 2]);
            }
            return;
        }
        if (faces == 0) {
            firstFace(true);
        }
        triangles += count;
        faces += count;
        this.corners.addAll(corners, 3 * count);
    }

    /**
     * The scene's index buffer, for the caller to write {@code count} triangles into from its start, where they are
     * to be the first faces and the buffer holds them; null where not. The geometry takes them as such once the
     * caller says {@link #trianglesWritten}; until then it holds no face, and the caller may go on through
     * {@link #triangles} and the others instead (which overwrite what it wrote).
     */
    MemorySegment triangleBuffer(long count) {
        if (faces != 0 || sizes != null || count > maxTriangles || count * 3 > expectedCorners) {
            return null;
        }
        firstFace(true);
        return corners.segment() == sceneCorners && corners.size() == 0 ? sceneCorners : null;
    }

    /** The {@code count} triangles written into {@link #triangleBuffer}, their indices checked by the caller. */
    void trianglesWritten(long count) {
        corners.extend(count * 3);
        triangles += count;
        faces += count;
    }

    /**
     * Sizes the corner list at the first face kept: a buffer of the scene when it is a triangle (where all are, it
     * becomes the indices; where some are not, it is left unused, at most the guessed corners' 4 bytes each),
     * scratch memory of the guessed size when it is a polygon.
     */
    private void firstFace(boolean triangle) {
        if (corners.size() != 0 || sceneCorners != null || expectedCorners < 3) {
            return;
        }
        corners.close();
        if (triangle) {
            // Not zeroed: the indices are the part of it the list writes (finish), and the rest is never read.
            sceneCorners = scene.allocateFilled(ValueLayout.JAVA_INT, expectedCorners);
            corners = NativeList.startingIn(sceneCorners, cornerBound(), this::tooManyInts);
        } else {
            corners = scratch(expectedCorners, cornerBound());
        }
    }

    /** Adds a corner of the face begun last; the caller has checked it is below the vertex count. */
    void corner(long vertex) {
        corners.add((int) vertex);
    }

    /** Starts the texcoord list of face record {@code face}: {@code items} values follow through cornerUv. */
    void beginCornerUvs(long face, long items) {
        if (cornerUvRecords == cornerUvCounts.length) {
            cornerUvCounts = java.util.Arrays.copyOf(cornerUvCounts, Math.max(16, cornerUvRecords * 2));
        }
        cornerUvCounts[cornerUvRecords++] = (int) Math.min(items, Integer.MAX_VALUE);
    }

    /** One value of the texcoord list begun last (u and v alternate; v counts from the bottom, as in PLY). */
    void cornerUv(double value) {
        cornerUvs.add((float) value);
    }

    /**
     * Gives each face corner the texture coordinates of its face's texcoord list: corners of one vertex that
     * agree share a vertex, others get copies of it (with its position, normal and colour). Lists that do not
     * hold two values per corner are ignored with a warning.
     */
    private void applyCornerUvs() {
        if (cornerUvRecords == 0) {
            return;
        }
        long corner = 0;
        long kept = 0;
        for (int r = 0; r < cornerUvRecords; r++) {
            if (skipped.get(r)) {
                continue;
            }
            int n = sizes == null ? 3 : sizes.get(kept);
            if (cornerUvCounts[r] != 2 * n) {
                scene.warn(file + ": face " + r + " has " + cornerUvCounts[r] + " texcoord values for its " + n
                        + " corners (two a corner are needed); the faces' texture coordinates are ignored");
                return;
            }
            kept++;
            corner += n;
        }
        if (kept != faces || corner != corners.size()) {
            scene.warn(file + ": " + cornerUvRecords + " faces have texcoord lists, but " + faces + " faces were "
                    + "read; the faces' texture coordinates are ignored");
            return;
        }
        java.util.Map<CornerKey, Integer> ids = new java.util.HashMap<>();
        NativeList split = scratch(Math.max(1, corner), corner);
        FloatList origin = new FloatList(64);
        long[] from = new long[16];
        float[] values = cornerUvs.array();
        long value = 0;
        int r = 0;
        for (long c = 0; c < corner; r++) {
            if (skipped.get(r)) {
                value += cornerUvCounts[r];
                continue;
            }
            int n = cornerUvCounts[r] / 2;
            for (int k = 0; k < n; k++, c++, value += 2) {
                long v = Integer.toUnsignedLong(corners.get(c));
                float u = values[(int) value] + 0f;
                float t = 1f - values[(int) value + 1] + 0f;
                int next = ids.size();
                Integer id = ids.putIfAbsent(new CornerKey(v, Float.floatToIntBits(u), Float.floatToIntBits(t)),
                        next);
                if (id == null) {
                    id = next;
                    if (next == from.length) {
                        from = java.util.Arrays.copyOf(from, next * 2);
                    }
                    from[next] = v;
                    origin.add(u);
                    origin.add(t);
                }
                split.add(id);
            }
        }
        long count = ids.size();
        positions = copyRows(positions, 3, from, count);
        normals = normals == null ? null : copyRows(normals, 3, from, count);
        colors = colors == null ? null : copyRows(colors, 4, from, count);
        uvs = scene.allocateFloats(Math.max(1, count * 2));
        MemorySegment.copy(origin.array(), 0, uvs, FLOAT, 0, (int) (count * 2));
        vertexCount = count;
        corners.close();
        corners = split;
    }

    /** Corner texture coordinates of one vertex, by their bits. */
    private record CornerKey(long vertex, int u, int v) {
    }

    private MemorySegment copyRows(MemorySegment source, int width, long[] from, long count) {
        MemorySegment out = scene.allocateFloats(Math.max(1, count * width));
        for (long i = 0; i < count; i++) {
            MemorySegment.copy(source, from[(int) i] * width * Float.BYTES, out, i * width * Float.BYTES,
                    (long) width * Float.BYTES);
        }
        return out;
    }

    /** Puts the geometry into the scene: a triangle primitive when faces were read, else a point primitive. */
    void finish(String name, boolean triangleTopology) {
        if (triangleTopology) {
            applyCornerUvs();
        }
        if (colors != null && !hasAlpha) {
            for (long v = 0; v < vertexCount; v++) {
                colors.setAtIndex(FLOAT, v * 4 + 3, 1f);
            }
        }
        VertexAttribute pos = new VertexAttribute(VertexAttribute.POSITION, 3, vertexCount, positions);
        Primitive primitive;
        if (triangleTopology) {
            MemorySegment idx;
            if (sizes == null && triangles > 0 && corners.segment() == sceneCorners) {
                idx = sceneCorners.asSlice(0, triangles * 3 * Integer.BYTES);
            } else {
                idx = scene.allocateInts(Math.max(1, triangles * 3));
                triangulate(idx);
            }
            primitive = new Primitive(Topology.TRIANGLES, pos, idx, triangles * 3);
        } else {
            primitive = new Primitive(Topology.POINTS, pos, null, 0);
        }
        if (normals != null) {
            primitive.put(new VertexAttribute(VertexAttribute.NORMAL, 3, vertexCount, normals));
        }
        if (colors != null) {
            primitive.put(new VertexAttribute("COLOR_0", 4, vertexCount, colors));
        }
        if (uvs != null) {
            primitive.put(new VertexAttribute("TEXCOORD_0", 2, vertexCount, uvs));
        }
        if (skippedFaces > 0) {
            scene.warn(file + ": skipped " + skippedFaces + " faces with fewer than 3 corners (the first is face "
                    + firstSkipped + ")");
        }
        if (vertexCount == 0) {
            scene.warn(file + ": contains no vertices");
        }
        Mesh mesh = new Mesh(name).add(primitive);
        scene.addRoot(new Node(name).mesh(mesh));
    }

    private void triangulate(MemorySegment idx) {
        if (sizes == null) {
            MemorySegment.copy(corners.segment(), 0, idx, 0, triangles * 3 * Integer.BYTES);
            return;
        }
        PolygonTriangulator triangulator = new PolygonTriangulator(fanTriangulation);
        float[] xyz = new float[48];
        int[] local = new int[48];
        long in = 0;
        long out = 0;
        long degenerate = 0;
        for (long f = 0; f < faces; f++) {
            int n = sizes.get(f);
            if (n == 3) {
                for (int k = 0; k < 3; k++) {
                    idx.setAtIndex(ValueLayout.JAVA_INT, out++, corners.get(in++));
                }
                continue;
            }
            if (xyz.length < n * 3) {
                xyz = new float[n * 3];
                local = new int[(n - 2) * 3];
            }
            for (int k = 0; k < n; k++) {
                long v = Integer.toUnsignedLong(corners.get(in + k));
                MemorySegment.copy(positions, FLOAT, v * 12, xyz, k * 3, 3);
            }
            int t = triangulator.triangulate(xyz, n, local);
            if (triangulator.lastWasDegenerate()) {
                degenerate++;
            }
            for (int k = 0; k < t * 3; k++) {
                idx.setAtIndex(ValueLayout.JAVA_INT, out++, corners.get(in + local[k]));
            }
            in += n;
        }
        if (degenerate > 0) {
            scene.warn(file + ": " + degenerate + " polygons are not simple (self-intersecting or without area) "
                    + "and were triangulated as well as possible");
        }
    }

    @Override
    public void close() {
        corners.close();
        if (sizes != null) {
            sizes.close();
        }
    }
}
