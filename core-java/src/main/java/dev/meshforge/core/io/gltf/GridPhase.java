// Where a mesh's position grid starts, within one step, so that rounding to it moves the surface least.
package dev.meshforge.core.io.gltf;

import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Topology;

import java.lang.foreign.ValueLayout;

/**
 * Rounding every coordinate to the nearest grid point moves a vertex by up to half a step on each axis, whatever
 * the grid's origin; which vertices come near that bound, and in which direction, depends on where the grid starts.
 * The distance between the surface and its rounding is, at a vertex, about its move across the planes of the
 * triangles around it (a move along them leaves the surface where it was). This picks, among a few origins between
 * the mesh's minimum corner and one step below it (a low-discrepancy set of offsets, the minimum corner itself
 * first), the one whose largest such move is least, then looks around it on each axis in shrinking steps; vertices
 * in no triangle count their whole move. The work is bounded (about {@link #BUDGET} corner tests), so a large mesh
 * tries fewer origins, and one that could try fewer than {@link #MIN_TRIES} (about 1.9 million vertices and corners)
 * none: its grid starts at its minimum corner. The rounding stays to the nearest grid point: every vertex is within half a step of where it
 * was on each axis, as with any origin.
 */
final class GridPhase {
    /** Corner tests spent on one mesh at most (each a rounding and a dot product). */
    static final long BUDGET = 15_000_000L;
    /** A mesh that the budget allows fewer tries is not searched (its grid starts at its minimum corner). */
    static final int MIN_TRIES = 8;
    /** Origins tried at most. */
    static final int MAX_TRIES = 264;
    /** Rounds of the search around the best origin found, each 12 origins, where the budget allows 96 tries. */
    static final int REFINE = 6;

    /** Faces that stopped a try are moved into the first this many places of the reading order. */
    private static final int HOT = 32;

    /** Vertices in grid units from the mesh's minimum corner, 3 a vertex. */
    private final double[] u;
    /** Whether a vertex is a corner of some triangle with an area. */
    private final boolean[] inTriangle;
    /** The triangles with an area: their vertices and unit normals, 3 each a face. */
    private final int[] corners;
    private final float[] normals;
    private final int faces;
    /** The order in which faces are read. */
    private final int[] order;
    private int hot;

    private GridPhase(Mesh mesh, double[] min, double step, int vertices, int triangles) {
        u = new double[vertices * 3];
        inTriangle = new boolean[vertices];
        corners = new int[triangles * 3];
        normals = new float[triangles * 3];
        int base = 0;
        int face = 0;
        for (Primitive p : mesh.primitives()) {
            int n = (int) p.vertexCount();
            float[] xyz = p.positions().data().asSlice(0, n * 12L).toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
            for (int i = 0; i < n * 3; i++) {
                u[base * 3 + i] = (xyz[i] - min[i % 3]) / step;
            }
            if (p.topology() == Topology.TRIANGLES) {
                int[] index = p.indices().asSlice(0, p.triangleCount() * 12).toArray(ValueLayout.JAVA_INT_UNALIGNED);
                for (int t = 0; t < index.length; t += 3) {
                    int a = base + index[t];
                    int b = base + index[t + 1];
                    int c = base + index[t + 2];
                    double ex = u[b * 3] - u[a * 3], ey = u[b * 3 + 1] - u[a * 3 + 1], ez = u[b * 3 + 2] - u[a * 3 + 2];
                    double fx = u[c * 3] - u[a * 3], fy = u[c * 3 + 1] - u[a * 3 + 1], fz = u[c * 3 + 2] - u[a * 3 + 2];
                    double nx = ey * fz - ez * fy, ny = ez * fx - ex * fz, nz = ex * fy - ey * fx;
                    double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
                    if (!(len > 0)) {
                        continue; // a triangle without area has no plane: its vertices count through the others
                    }
                    corners[face * 3] = a;
                    corners[face * 3 + 1] = b;
                    corners[face * 3 + 2] = c;
                    normals[face * 3] = (float) (nx / len);
                    normals[face * 3 + 1] = (float) (ny / len);
                    normals[face * 3 + 2] = (float) (nz / len);
                    inTriangle[a] = inTriangle[b] = inTriangle[c] = true;
                    face++;
                }
            }
            base += n;
        }
        faces = face;
        order = new int[face];
        for (int i = 0; i < face; i++) {
            order[i] = i;
        }
    }

    /**
     * The offset, in steps on each axis (each in [0, 1)), to take from {@code min} for the grid origin: position =
     * min - offset * step + q * step; null for a mesh too large to search within the budget.
     */
    static double[] best(Mesh mesh, double[] min, double step) {
        long vertices = 0;
        long triangles = 0;
        for (Primitive p : mesh.primitives()) {
            vertices += p.vertexCount();
            if (p.topology() == Topology.TRIANGLES) {
                triangles += p.triangleCount();
            }
        }
        long work = vertices + 3 * triangles;
        int tries = (int) Math.max(1, Math.min(MAX_TRIES, BUDGET / Math.max(1, work)));
        int refine = tries >= 96 ? REFINE : 0;
        tries -= refine * 12;
        if (tries < MIN_TRIES) {
            return null;
        }
        return new GridPhase(mesh, min, step, (int) vertices, (int) triangles).search(tries, refine);
    }

    private double[] search(int tries, int refine) {
        double[] best = new double[3];
        double bestWorst = worst(best, Double.POSITIVE_INFINITY);
        // the R3 sequence (the plastic number's powers): offsets spread evenly over the unit cube for any count
        double g = 1.2207440846057596;
        double[] alpha = {1 / g, 1 / (g * g), 1 / (g * g * g)};
        double[] offset = new double[3];
        for (int k = 1; k < tries && bestWorst > 0; k++) {
            for (int c = 0; c < 3; c++) {
                double x = 0.5 + k * alpha[c];
                offset[c] = x - Math.floor(x);
            }
            double w = worst(offset, bestWorst);
            if (w < bestWorst) {
                bestWorst = w;
                best = offset.clone();
            }
        }
        // then around the best: each axis in turn, a few offsets at half the spacing of the last round
        double radius = 0.5 / Math.cbrt(tries);
        for (int round = 0; round < refine && bestWorst > 0; round++) {
            for (int c = 0; c < 3; c++) {
                for (int s = -2; s <= 2; s++) {
                    if (s == 0) {
                        continue;
                    }
                    double[] o = best.clone();
                    double x = o[c] + s * radius / 2;
                    o[c] = x - Math.floor(x);
                    double w = worst(o, bestWorst);
                    if (w < bestWorst) {
                        bestWorst = w;
                        best = o;
                    }
                }
            }
            radius /= 2;
        }
        return best;
    }

    /**
     * The largest move, in steps, of a vertex across the plane of a triangle it is a corner of (its whole move for
     * a vertex in no triangle) when the grid is offset by {@code offset}; stops early at {@code limit} or more.
     * Faces are read in {@code order}; the one that stops a try moves to the front, so that the few faces that
     * decide most tries are read first and a worse origin is told apart after a handful.
     */
    private double worst(double[] offset, double limit) {
        double ox = offset[0], oy = offset[1], oz = offset[2];
        double worst = 0;
        for (int i = 0; i < faces; i++) {
            int f = order[i];
            double nx = normals[f * 3], ny = normals[f * 3 + 1], nz = normals[f * 3 + 2];
            for (int k = 0; k < 3; k++) {
                int v = corners[f * 3 + k] * 3;
                // u + offset is never negative, so the cast rounds to the nearest
                double x = u[v] + ox, y = u[v + 1] + oy, z = u[v + 2] + oz;
                double move = Math.abs(((long) (x + 0.5) - x) * nx + ((long) (y + 0.5) - y) * ny
                        + ((long) (z + 0.5) - z) * nz);
                if (move > worst) {
                    worst = move;
                    if (worst >= limit) {
                        int front = hot++ % Math.min(HOT, faces);
                        order[i] = order[front];
                        order[front] = f;
                        return worst;
                    }
                }
            }
        }
        for (int i = 0; i < inTriangle.length; i++) {
            if (!inTriangle[i]) {
                int v = i * 3;
                double x = u[v] + ox, y = u[v + 1] + oy, z = u[v + 2] + oz;
                double dx = (long) (x + 0.5) - x, dy = (long) (y + 0.5) - y, dz = (long) (z + 0.5) - z;
                worst = Math.max(worst, Math.sqrt(dx * dx + dy * dy + dz * dz));
                if (worst >= limit) {
                    return worst;
                }
            }
        }
        return worst;
    }
}
