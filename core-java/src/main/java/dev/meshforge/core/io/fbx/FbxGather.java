// Gathers the values of an FBX part's vertices (position, normal, UVs, color) into the scene's buffers.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Transform;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Each vertex's values are read from its first corner ({@link FbxPart}). The vertices are gathered in runs of
 * {@link #RUN} that helpers of the common pool and the reading thread take in turn: every run writes its own range
 * of each buffer. The reading thread takes runs until none is left and then waits only for runs that a helper has
 * begun, so a busy pool does not stall the read. UVs are flipped to a top-left origin (V' = 1 - V) as the scene keeps
 * glTF's convention; normals are made unit length.
 */
final class FbxGather {
    /** Vertices a helper gathers at a time; a part of fewer than two such runs is gathered by the reading thread. */
    private static final int RUN = 16 * FbxBlocks.SIZE;

    /** The scene buffers of a part's vertices: null where the geometry has no such layer. */
    record Buffers(MemorySegment positions, MemorySegment normals, MemorySegment[] uvs, MemorySegment colors) {
        /** Buffers in {@code scene} for {@code count} vertices with the values {@code layers} has. */
        static Buffers of(Scene scene, FbxLayers layers, int count) {
            MemorySegment p = scene.allocateFloats(Math.max(1, count * 3L));
            MemorySegment nrm = layers.normals() == null ? null : scene.allocateFloats(Math.max(1, count * 3L));
            MemorySegment[] uvs = new MemorySegment[layers.uvs().length];
            for (int u = 0; u < uvs.length; u++) {
                uvs[u] = scene.allocateFloats(Math.max(1, count * 2L));
            }
            MemorySegment col = layers.colors() == null ? null : scene.allocateFloats(Math.max(1, count * 4L));
            return new Buffers(p, nrm, uvs, col);
        }
    }

    private final FbxInts pvi;
    private final FbxValues pos;
    private final FbxLayers.Layer normals;
    private final float[] unitNormals;
    private final Transform normalMatrix;
    private final FbxLayers.Layer[] uvArr;
    private final FbxLayers.Layer colors;
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

    /**
     * @param unitNormals   every normal value made unit length ({@link #unitNormals}), or null to make each
     *                      vertex's own
     * @param normalMatrix  what transforms the normals ({@link #normalMatrix}), or null
     * @param cornerOf      each vertex's first corner, replaced in place by its control point (the same array then
     *                      serves skins and shapes)
     * @param polygonOf     each vertex's first corner's polygon, or null where no layer maps by polygon
     */
    FbxGather(FbxInts pvi, FbxValues pos, FbxLayers layers, float[] unitNormals, Transform normalMatrix,
              MemorySegment cornerOf, MemorySegment polygonOf, Buffers into) {
        this.pvi = pvi;
        this.pos = pos;
        this.normals = layers.normals();
        this.unitNormals = unitNormals;
        this.normalMatrix = normalMatrix;
        this.uvArr = layers.uvs();
        this.colors = layers.colors();
        this.cornerOf = cornerOf;
        this.polygonOf = polygonOf;
        this.p = into.positions();
        this.nrm = into.normals();
        this.uvSegs = into.uvs();
        this.col = into.colors();
    }

    /** Normals transform by the inverse transpose of the 3x3 part of a geometric transform. */
    static Transform normalMatrix(Transform geometric) {
        double[] inv = FbxTransforms.inverse(geometric).toArray();
        return Transform.of(inv[0], inv[4], inv[8], 0, inv[1], inv[5], inv[9], 0, inv[2], inv[6], inv[10], 0,
                0, 0, 0, 1);
    }

    /** Each value of {@code normals} transformed by {@code normalMatrix} (if any) and made unit length, once. */
    static float[] unitNormals(FbxLayers.Layer normals, Transform normalMatrix) {
        int count = normals.values().length() / 3;
        float[] unit = new float[count * 3];
        double[] out = new double[3];
        for (int i = 0; i < count; i++) {
            unitNormal(normals.values(), i, normalMatrix, out, unit, i * 3);
        }
        return unit;
    }

    /** Gathers vertices {@code [0, nv)}. */
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

    /** Gathers vertices [from, to), staged in heap blocks and copied into the buffers block by block. */
    private void range(int from, int to) {
        int block = Math.min(to - from, FbxBlocks.SIZE);
        double[] out = new double[3];
        float[] pf = new float[block * 3];
        float[] nf = normals == null ? null : new float[block * 3];
        float[][] uvf = new float[uvArr.length][];
        for (int u = 0; u < uvArr.length; u++) {
            uvf[u] = new float[block * 2];
        }
        float[] cf = colors == null ? null : new float[block * 4];
        FbxBlocks.run(from, to, (first, end) -> {
            int m = end - first;
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
        });
    }

    /** Gathers vertices {@code [first, first + m)} into the heap blocks. */
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
                int ni = normals.index(pv, cp, poly);
                if (unitNormals == null || ni < 0) {
                    unitNormal(normals.values(), ni, normalMatrix, out, nf, li * 3);
                } else {
                    nf[li * 3] = unitNormals[ni * 3];
                    nf[li * 3 + 1] = unitNormals[ni * 3 + 1];
                    nf[li * 3 + 2] = unitNormals[ni * 3 + 2];
                }
            }
            for (int u = 0; u < uvArr.length; u++) {
                int ui = uvArr[u].index(pv, cp, poly);
                double u0 = 0, u1 = 0;
                if (ui >= 0) {
                    FbxValues uvv = uvArr[u].values();
                    u0 = uvv.get(ui * 2);
                    u1 = uvv.get(ui * 2 + 1);
                }
                uvf[u][li * 2] = finite(u0);
                uvf[u][li * 2 + 1] = finite(1 - u1);
            }
            if (cf != null) {
                int ci = colors.index(pv, cp, poly);
                FbxValues cv = colors.values();
                for (int k = 0; k < 4; k++) {
                    double c = ci >= 0 ? cv.get(ci * 4 + k) : (k == 3 ? 1 : 0);
                    cf[li * 4 + k] = (float) Math.max(0, Math.min(1, Double.isFinite(c) ? c : 1));
                }
            }
        }
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
}
