// Between glTF's translation-rotation-scale and the scene's 4x4 matrices.
package dev.meshforge.core.io.gltf;

import dev.meshforge.core.scene.Transform;

/** TRS to matrix for reading; matrix to TRS (where the matrix has no shear) for writing. */
final class GltfTransforms {
    private GltfTransforms() {
    }

    /** T * R * S with a unit quaternion (x, y, z, w); a non-unit quaternion is normalized first. */
    static Transform fromTrs(double[] t, double[] q, double[] s) {
        double len = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
        double x = len > 0 ? q[0] / len : 0;
        double y = len > 0 ? q[1] / len : 0;
        double z = len > 0 ? q[2] / len : 0;
        double w = len > 0 ? q[3] / len : 1;
        double[] r = {
                1 - 2 * (y * y + z * z), 2 * (x * y + z * w), 2 * (x * z - y * w),
                2 * (x * y - z * w), 1 - 2 * (x * x + z * z), 2 * (y * z + x * w),
                2 * (x * z + y * w), 2 * (y * z - x * w), 1 - 2 * (x * x + y * y)};
        return Transform.of(
                r[0] * s[0], r[1] * s[0], r[2] * s[0], 0,
                r[3] * s[1], r[4] * s[1], r[5] * s[1], 0,
                r[6] * s[2], r[7] * s[2], r[8] * s[2], 0,
                t[0], t[1], t[2], 1);
    }

    /**
     * Splits an affine matrix into translation (3), rotation quaternion (4) and scale (3), or returns null when
     * the matrix is not affine or has shear, so that TRS would not reproduce it.
     */
    static double[][] toTrs(Transform m) {
        double[] a = m.toArray();
        if (Math.abs(a[3]) > 1e-12 || Math.abs(a[7]) > 1e-12 || Math.abs(a[11]) > 1e-12
                || Math.abs(a[15] - 1) > 1e-12) {
            return null;
        }
        double sx = Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
        double sy = Math.sqrt(a[4] * a[4] + a[5] * a[5] + a[6] * a[6]);
        double sz = Math.sqrt(a[8] * a[8] + a[9] * a[9] + a[10] * a[10]);
        if (sx == 0 || sy == 0 || sz == 0) {
            return null;
        }
        if (m.determinant3() < 0) {
            sx = -sx;
        }
        double[] r = {a[0] / sx, a[1] / sx, a[2] / sx, a[4] / sy, a[5] / sy, a[6] / sy, a[8] / sz, a[9] / sz,
                a[10] / sz};
        double[] q = quaternion(r);
        double[][] trs = {{a[12], a[13], a[14]}, q, {sx, sy, sz}};
        double[] back = fromTrs(trs[0], trs[1], trs[2]).toArray();
        double scale = Math.max(1e-30, Math.max(Math.abs(sx), Math.max(Math.abs(sy), Math.abs(sz))));
        for (int i = 0; i < 12; i++) {
            if (Math.abs(back[i] - a[i]) > 1e-6 * scale) {
                return null;
            }
        }
        return trs;
    }

    /** A unit quaternion (x, y, z, w) from a column-major rotation matrix r[col*3 + row]. */
    private static double[] quaternion(double[] r) {
        double m00 = r[0];
        double m11 = r[4];
        double m22 = r[8];
        double m21 = r[5];
        double m12 = r[7];
        double m02 = r[6];
        double m20 = r[2];
        double m10 = r[1];
        double m01 = r[3];
        double x;
        double y;
        double z;
        double w;
        double trace = m00 + m11 + m22;
        if (trace > 0) {
            double s = Math.sqrt(trace + 1) * 2;
            w = 0.25 * s;
            x = (m21 - m12) / s;
            y = (m02 - m20) / s;
            z = (m10 - m01) / s;
        } else if (m00 > m11 && m00 > m22) {
            double s = Math.sqrt(1 + m00 - m11 - m22) * 2;
            w = (m21 - m12) / s;
            x = 0.25 * s;
            y = (m01 + m10) / s;
            z = (m02 + m20) / s;
        } else if (m11 > m22) {
            double s = Math.sqrt(1 + m11 - m00 - m22) * 2;
            w = (m02 - m20) / s;
            x = (m01 + m10) / s;
            y = 0.25 * s;
            z = (m12 + m21) / s;
        } else {
            double s = Math.sqrt(1 + m22 - m00 - m11) * 2;
            w = (m10 - m01) / s;
            x = (m02 + m20) / s;
            y = (m12 + m21) / s;
            z = 0.25 * s;
        }
        double len = Math.sqrt(x * x + y * y + z * z + w * w);
        return new double[] {x / len, y / len, z / len, w / len};
    }
}
