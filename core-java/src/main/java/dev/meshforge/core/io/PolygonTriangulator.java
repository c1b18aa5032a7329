// Cuts one 3D polygon into triangles by ear clipping in its best-fit plane; shared by the polygon formats.
package dev.meshforge.core.io;

/**
 * Triangulates polygons one at a time: a polygon of {@code n >= 3} corners always gives exactly {@code n - 2}
 * triangles, written as corner numbers {@code 0..n-1} in the polygon's own winding, so a convex polygon comes
 * out as the fan {@code (0,1,2), (0,2,3), ...}.
 *
 * <p>The corners are projected onto the polygon's best-fit plane (the plane of Newell's normal) and cut by ear
 * clipping: a corner is cut off only when it is convex and no other corner lies in or on the triangle it would
 * remove, so concave polygons give no triangle outside them (a fan would). Polygons that are not simple
 * (self-intersecting, all corners on one line, or too large for the work budget) still give {@code n - 2}
 * triangles through relaxed rules; {@link #lastWasDegenerate()} tells the caller, who should warn.
 *
 * <p>An instance keeps its scratch arrays between calls and is not thread-safe.
 */
public final class PolygonTriangulator {
    /** Ear tests and point-in-triangle tests one polygon may spend on each of the two exact rules. */
    private static final long WORK_BUDGET = 20_000_000L;
    private static final int CONVEX = 0;
    private static final int REFLEX = 1;
    private static final int FLAT = 2;

    private double[] u = new double[16];
    private double[] v = new double[16];
    private int[] prev = new int[16];
    private int[] next = new int[16];
    /** CONVEX, REFLEX or FLAT for each remaining corner, and its place in the list of its kind. */
    private int[] kind = new int[16];
    private int[] slot = new int[16];
    /**
     * The corners that can spoil an ear: in a simple polygon an ear that holds any other corner holds a reflex
     * one, so convex corners are never tested. Flat corners (within {@link #noise} of the line through their
     * neighbors) are tested only by the strict rule: one on an ear's diagonal would leave a polygon that
     * touches itself there, and later zero-area triangles.
     */
    private int[] reflex = new int[16];
    private int reflexCount;
    private int[] flat = new int[16];
    private int flatCount;
    /** Ear tests and point-in-triangle tests spent on the current polygon. */
    private long work;
    private boolean degenerate;
    /** How far from a line a corner may be and still count as on it: a few float ulps of the coordinates. */
    private double noise;

    /**
     * Triangulates the polygon whose corner {@code i} is {@code (xyz[3i], xyz[3i+1], xyz[3i+2])}.
     *
     * @param xyz       corner coordinates, at least {@code 3 * n} values
     * @param n         number of corners
     * @param triangles receives {@code 3 * (n - 2)} corner numbers; must be at least that long
     * @return the number of triangles written: {@code n - 2}, or 0 when {@code n < 3}
     */
    public int triangulate(float[] xyz, int n, int[] triangles) {
        degenerate = false;
        if (n < 3) {
            return 0;
        }
        if (n == 3) {
            triangles[0] = 0;
            triangles[1] = 1;
            triangles[2] = 2;
            return 1;
        }
        if (!project(xyz, n)) {
            degenerate = true;
            return fan(n, triangles);
        }
        reflexCount = 0;
        flatCount = 0;
        for (int i = 0; i < n; i++) {
            prev[i] = i == 0 ? n - 1 : i - 1;
            next[i] = i == n - 1 ? 0 : i + 1;
            kind[i] = CONVEX;
        }
        for (int i = 0; i < n; i++) {
            classify(i);
        }
        work = 0;
        int written = 0;
        int remaining = n;
        int i = 1;
        int rule = firstRule();
        int tried = 0;
        while (remaining > 3) {
            int p = prev[i];
            int q = next[i];
            boolean ear = switch (rule) {
                case 0 -> isEar(p, i, q, false);
                case 1 -> isEar(p, i, q, true);
                case 2 -> area2(p, i, q) > 0;
                default -> true;
            };
            if (ear) {
                triangles[written++] = p;
                triangles[written++] = i;
                triangles[written++] = q;
                next[p] = q;
                prev[q] = p;
                remaining--;
                unlist(i);
                classify(p);
                classify(q);
                i = q;
                tried = 0;
                rule = Math.max(firstRule(), rule >= 2 ? rule : 0);
            } else {
                i = q;
                if (++tried >= remaining) {
                    // A whole round found no ear under this rule: relax it.
                    rule++;
                    tried = 0;
                }
            }
            if (rule >= 2) {
                degenerate = true;
            }
        }
        triangles[written++] = prev[i];
        triangles[written++] = i;
        triangles[written++] = next[i];
        return written / 3;
    }

    /**
     * The strictest rule the work budget still allows: 0 (strict), 1 (relaxed) or 3 (take any corner). Rules 2
     * and up are only reached for polygons that are not simple, or whose budget ran out.
     */
    private int firstRule() {
        return work < WORK_BUDGET ? 0 : work < 2 * WORK_BUDGET ? 1 : 3;
    }

    /** Whether the last polygon was not simple and needed relaxed rules (its triangles may overlap). */
    public boolean lastWasDegenerate() {
        return degenerate;
    }

    private static int fan(int n, int[] triangles) {
        int w = 0;
        for (int k = 1; k < n - 1; k++) {
            triangles[w++] = 0;
            triangles[w++] = k;
            triangles[w++] = k + 1;
        }
        return n - 2;
    }

    /**
     * Fills u, v with the corners in a 2D frame of the best-fit plane, oriented so that the polygon winds
     * counter-clockwise (positive area). False when the polygon has no area to speak of or is not finite.
     */
    private boolean project(float[] xyz, int n) {
        if (u.length < n) {
            int cap = Math.max(n, u.length * 2);
            u = new double[cap];
            v = new double[cap];
            prev = new int[cap];
            next = new int[cap];
            kind = new int[cap];
            slot = new int[cap];
            reflex = new int[cap];
            flat = new int[cap];
        }
        // Newell's normal: the area-weighted normal of the polygon, robust to concave and slightly bent shapes.
        double nx = 0, ny = 0, nz = 0;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            double xi = xyz[3 * i], yi = xyz[3 * i + 1], zi = xyz[3 * i + 2];
            double xj = xyz[3 * j], yj = xyz[3 * j + 1], zj = xyz[3 * j + 2];
            nx += (yj - yi) * (zj + zi);
            ny += (zj - zi) * (xj + xi);
            nz += (xj - xi) * (yj + yi);
        }
        double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
        if (!(len > 0) || Double.isInfinite(len)) {
            return false;
        }
        nx /= len;
        ny /= len;
        nz /= len;
        // First axis: the normal crossed with the world axis it is least aligned with; second: normal x first.
        double ax = Math.abs(nx), ay = Math.abs(ny), az = Math.abs(nz);
        double ux, uy, uz;
        if (ax <= ay && ax <= az) {
            ux = 0;
            uy = nz;
            uz = -ny;
        } else if (ay <= az) {
            ux = -nz;
            uy = 0;
            uz = nx;
        } else {
            ux = ny;
            uy = -nx;
            uz = 0;
        }
        double ul = Math.sqrt(ux * ux + uy * uy + uz * uz);
        ux /= ul;
        uy /= ul;
        uz /= ul;
        double vx = ny * uz - nz * uy, vy = nz * ux - nx * uz, vz = nx * uy - ny * ux;
        double ox = xyz[0], oy = xyz[1], oz = xyz[2];
        double largest = 0;
        for (int i = 0; i < 3 * n; i++) {
            largest = Math.max(largest, Math.abs(xyz[i]));
        }
        noise = largest * 0x1p-21;
        for (int i = 0; i < n; i++) {
            double dx = xyz[3 * i] - ox, dy = xyz[3 * i + 1] - oy, dz = xyz[3 * i + 2] - oz;
            u[i] = dx * ux + dy * uy + dz * uz;
            v[i] = dx * vx + dy * vy + dz * vz;
        }
        return true;
    }

    /** Twice the signed area of triangle (a, b, c) in the plane: positive when counter-clockwise. */
    private double area2(int a, int b, int c) {
        return (u[b] - u[a]) * (v[c] - v[a]) - (v[b] - v[a]) * (u[c] - u[a]);
    }

    private double area2(int a, int b, double pu, double pv) {
        return (u[b] - u[a]) * (pv - v[a]) - (v[b] - v[a]) * (pu - u[a]);
    }

    /** The area2 a corner at distance {@link #noise} from the line a-b has: below it, "on the line". */
    private double tolerance(int a, int b) {
        return noise * Math.hypot(u[b] - u[a], v[b] - v[a]);
    }

    /**
     * Whether corner i, between p and q, can be cut off. Strict: i is convex and no reflex or flat corner lies
     * inside the triangle or on its edges. Relaxed: i may be flat, and only reflex corners strictly inside
     * count. "On" means within {@link #noise}, so that rounding does not turn collinear corners into slivers.
     * Corners at the same place as p, i or q (polygons that touch themselves there) do not count.
     */
    private boolean isEar(int p, int i, int q, boolean relaxed) {
        work++;
        double area = area2(p, i, q);
        double tpq = tolerance(p, q);
        if (relaxed ? area < -tpq : area <= tpq) {
            return false;
        }
        double tpi = tolerance(p, i);
        double tiq = tolerance(i, q);
        double minU = Math.min(u[p], Math.min(u[i], u[q])), maxU = Math.max(u[p], Math.max(u[i], u[q]));
        double minV = Math.min(v[p], Math.min(v[i], v[q])), maxV = Math.max(v[p], Math.max(v[i], v[q]));
        int lists = relaxed ? 1 : 2;
        for (int list = 0; list < lists; list++) {
            int[] corners = list == 0 ? reflex : flat;
            int count = list == 0 ? reflexCount : flatCount;
            work += count;
            for (int k = 0; k < count; k++) {
                int r = corners[k];
                double ru = u[r], rv = v[r];
                if (ru < minU - noise || ru > maxU + noise || rv < minV - noise || rv > maxV + noise
                        || r == p || r == i || r == q || same(r, p) || same(r, i) || same(r, q)) {
                    continue;
                }
                double a = area2(p, i, ru, rv);
                double b = area2(i, q, ru, rv);
                double c = area2(q, p, ru, rv);
                boolean inside = relaxed ? a > tpi && b > tiq && c > tpq : a >= -tpi && b >= -tiq && c >= -tpq;
                if (inside) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Files corner c as convex, reflex or flat by its present neighbors. */
    private void classify(int c) {
        double area = area2(prev[c], c, next[c]);
        double t = tolerance(prev[c], next[c]);
        int k = area > t ? CONVEX : area < -t ? REFLEX : FLAT;
        if (k != kind[c]) {
            unlist(c);
            kind[c] = k;
            if (k == REFLEX) {
                slot[c] = reflexCount;
                reflex[reflexCount++] = c;
            } else if (k == FLAT) {
                slot[c] = flatCount;
                flat[flatCount++] = c;
            }
        }
    }

    /** Takes corner c off its list (it was cut off, or changes kind). */
    private void unlist(int c) {
        if (kind[c] == REFLEX) {
            int last = reflex[--reflexCount];
            reflex[slot[c]] = last;
            slot[last] = slot[c];
        } else if (kind[c] == FLAT) {
            int last = flat[--flatCount];
            flat[slot[c]] = last;
            slot[last] = slot[c];
        }
        kind[c] = CONVEX;
    }

    private boolean same(int a, int b) {
        return u[a] == u[b] && v[a] == v[b];
    }
}
