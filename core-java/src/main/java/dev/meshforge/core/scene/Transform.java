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
