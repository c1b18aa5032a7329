// The distance from a point to a triangle, for tests that measure results themselves.
package dev.meshforge.core.testing;

/** Point-to-triangle distance computed in the test, independent of the kernel's. */
public final class TriangleDistance {
    private TriangleDistance() {
    }

    /** The squared distance from p to triangle t (closest point by the Voronoi regions of its features). */
    public static double squared(double[] p, double[][] t) {
        double[] a = t[0];
        double[] ab = sub(t[1], a);
        double[] ac = sub(t[2], a);
        double[] ap = sub(p, a);
        double d1 = dot(ab, ap);
        double d2 = dot(ac, ap);
        if (d1 <= 0 && d2 <= 0) {
            return dot(ap, ap);
        }
        double[] bp = sub(p, t[1]);
        double d3 = dot(ab, bp);
        double d4 = dot(ac, bp);
        if (d3 >= 0 && d4 <= d3) {
            return dot(bp, bp);
        }
        double vc = d1 * d4 - d3 * d2;
        if (vc <= 0 && d1 >= 0 && d3 <= 0) {
            return squaredTo(p, a, ab, d1 / (d1 - d3));
        }
        double[] cp = sub(p, t[2]);
        double d5 = dot(ab, cp);
        double d6 = dot(ac, cp);
        if (d6 >= 0 && d5 <= d6) {
            return dot(cp, cp);
        }
        double vb = d5 * d2 - d1 * d6;
        if (vb <= 0 && d2 >= 0 && d6 <= 0) {
            return squaredTo(p, a, ac, d2 / (d2 - d6));
        }
        double va = d3 * d6 - d5 * d4;
        if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
            return squaredTo(p, t[1], sub(t[2], t[1]), (d4 - d3) / ((d4 - d3) + (d5 - d6)));
        }
        double denom = 1 / (va + vb + vc);
        double v = vb * denom;
        double w = vc * denom;
        double[] q = {a[0] + ab[0] * v + ac[0] * w, a[1] + ab[1] * v + ac[1] * w, a[2] + ab[2] * v + ac[2] * w};
        double[] d = sub(p, q);
        return dot(d, d);
    }

    private static double squaredTo(double[] p, double[] origin, double[] direction, double s) {
        double[] d = {p[0] - origin[0] - direction[0] * s, p[1] - origin[1] - direction[1] * s,
                p[2] - origin[2] - direction[2] * s};
        return dot(d, d);
    }

    private static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }
}
