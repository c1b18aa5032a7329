// Column-major 4x4 affine matrices for node placement; small, allocation-light helpers.
package dev.meshforge.core.scene;

import java.util.Arrays;

/** An immutable 4x4 matrix in column-major order (glTF's layout). */
public final class Transform {
    public static final Transform IDENTITY = new Transform(new double[] {
            1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1});

    private final double[] m;

    private Transform(double[] m) {
        this.m = m;
    }

    /** A transform from 16 column-major values; the array is copied. */
    public static Transform of(double... columnMajor) {
        if (columnMajor.length != 16) {
            throw new IllegalArgumentException("a 4x4 matrix needs 16 values, got " + columnMajor.length);
        }
        return new Transform(columnMajor.clone());
    }

    public static Transform translation(double x, double y, double z) {
        return of(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, x, y, z, 1);
    }

    public static Transform scale(double x, double y, double z) {
        return of(x, 0, 0, 0, 0, y, 0, 0, 0, 0, z, 0, 0, 0, 0, 1);
    }

    /** T * R * S from a translation, a rotation quaternion (x, y, z, w; normalized here) and a scale. */
    public static Transform fromTrs(double[] t, double[] q, double[] s) {
        double len = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
        double x = len > 0 ? q[0] / len : 0;
        double y = len > 0 ? q[1] / len : 0;
        double z = len > 0 ? q[2] / len : 0;
        double w = len > 0 ? q[3] / len : 1;
        double[] r = {
                1 - 2 * (y * y + z * z), 2 * (x * y + z * w), 2 * (x * z - y * w),
                2 * (x * y - z * w), 1 - 2 * (x * x + z * z), 2 * (y * z + x * w),
                2 * (x * z + y * w), 2 * (y * z - x * w), 1 - 2 * (x * x + y * y)};
        return of(
                r[0] * s[0], r[1] * s[0], r[2] * s[0], 0,
                r[3] * s[1], r[4] * s[1], r[5] * s[1], 0,
                r[6] * s[2], r[7] * s[2], r[8] * s[2], 0,
                t[0], t[1], t[2], 1);
    }

    /**
     * Translation (3 values), unit rotation quaternion x, y, z, w (4) and scale (3) of the affine part, with
     * the x scale negated when the matrix mirrors. Exact for matrices without shear (check by rebuilding
     * with {@link #fromTrs}); an axis of zero scale keeps an identity rotation column.
     */
    public double[] toTrs() {
        double sx = Math.sqrt(m[0] * m[0] + m[1] * m[1] + m[2] * m[2]);
        double sy = Math.sqrt(m[4] * m[4] + m[5] * m[5] + m[6] * m[6]);
        double sz = Math.sqrt(m[8] * m[8] + m[9] * m[9] + m[10] * m[10]);
        if (determinant3() < 0) {
            sx = -sx;
        }
        double r00 = sx == 0 ? 1 : m[0] / sx;
        double r10 = sx == 0 ? 0 : m[1] / sx;
        double r20 = sx == 0 ? 0 : m[2] / sx;
        double r01 = sy == 0 ? 0 : m[4] / sy;
        double r11 = sy == 0 ? 1 : m[5] / sy;
        double r21 = sy == 0 ? 0 : m[6] / sy;
        double r02 = sz == 0 ? 0 : m[8] / sz;
        double r12 = sz == 0 ? 0 : m[9] / sz;
        double r22 = sz == 0 ? 1 : m[10] / sz;
        double x;
        double y;
        double z;
        double w;
        double trace = r00 + r11 + r22;
        if (trace > 0) {
            double s = Math.sqrt(trace + 1.0) * 2;
            w = 0.25 * s;
            x = (r21 - r12) / s;
            y = (r02 - r20) / s;
            z = (r10 - r01) / s;
        } else if (r00 > r11 && r00 > r22) {
            double s = Math.sqrt(1.0 + r00 - r11 - r22) * 2;
            w = (r21 - r12) / s;
            x = 0.25 * s;
            y = (r01 + r10) / s;
            z = (r02 + r20) / s;
        } else if (r11 > r22) {
            double s = Math.sqrt(1.0 + r11 - r00 - r22) * 2;
            w = (r02 - r20) / s;
            x = (r01 + r10) / s;
            y = 0.25 * s;
            z = (r12 + r21) / s;
        } else {
            double s = Math.sqrt(1.0 + r22 - r00 - r11) * 2;
            w = (r10 - r01) / s;
            x = (r02 + r20) / s;
            y = (r12 + r21) / s;
            z = 0.25 * s;
        }
        double len = Math.sqrt(x * x + y * y + z * z + w * w);
        if (!(len > 0)) {
            x = 0;
            y = 0;
            z = 0;
            w = 1;
            len = 1;
        }
        return new double[] {m[12], m[13], m[14], x / len, y / len, z / len, w / len, sx, sy, sz};
    }

    /** Value at row r, column c. */
    public double get(int r, int c) {
        return m[c * 4 + r];
    }

    public double[] toArray() {
        return m.clone();
    }

    public boolean isIdentity() {
        return Arrays.equals(m, IDENTITY.m);
    }

    /** this × other: other is applied first. */
    public Transform then(Transform other) {
        double[] r = new double[16];
        for (int c = 0; c < 4; c++) {
            for (int row = 0; row < 4; row++) {
                double s = 0;
                for (int k = 0; k < 4; k++) {
                    s += m[k * 4 + row] * other.m[c * 4 + k];
                }
                r[c * 4 + row] = s;
            }
        }
        return new Transform(r);
    }

    /** Transforms the point (x, y, z) into out[0..2]. */
    public void applyToPoint(double x, double y, double z, double[] out) {
        out[0] = m[0] * x + m[4] * y + m[8] * z + m[12];
        out[1] = m[1] * x + m[5] * y + m[9] * z + m[13];
        out[2] = m[2] * x + m[6] * y + m[10] * z + m[14];
    }

    /** Sign of the 3x3 part's determinant: negative when the transform mirrors (and flips winding). */
    public double determinant3() {
        return m[0] * (m[5] * m[10] - m[9] * m[6])
                - m[4] * (m[1] * m[10] - m[9] * m[2])
                + m[8] * (m[1] * m[6] - m[5] * m[2]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transform t && Arrays.equals(m, t.m);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(m);
    }

    @Override
    public String toString() {
        return "Transform" + Arrays.toString(m);
    }
}
