// Column-major 4x4 float matrices for the camera and placements (OpenGL's layout and clip conventions).
package dev.meshforge.render.internal;

/** Static operations on {@code float[16]} column-major matrices; no hidden allocation beyond the results. */
public final class Matrix4 {
    private Matrix4() {
    }

    public static float[] identity() {
        return new float[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    }

    /** a × b: b is applied first. */
    public static float[] multiply(float[] a, float[] b) {
        float[] r = new float[16];
        for (int c = 0; c < 4; c++) {
            for (int row = 0; row < 4; row++) {
                double s = 0;
                for (int k = 0; k < 4; k++) {
                    s += (double) a[k * 4 + row] * b[c * 4 + k];
                }
                r[c * 4 + row] = (float) s;
            }
        }
        return r;
    }

    /** Right-handed perspective: vertical field of view in radians, near and far distances, OpenGL clip z. */
    public static float[] perspective(double fovY, double aspect, double near, double far) {
        double f = 1 / Math.tan(fovY / 2);
        float[] m = new float[16];
        m[0] = (float) (f / aspect);
        m[5] = (float) f;
        m[10] = (float) ((far + near) / (near - far));
        m[11] = -1;
        m[14] = (float) (2 * far * near / (near - far));
        return m;
    }

    public static float[] orthographic(double left, double right, double bottom, double top, double near,
                                       double far) {
        float[] m = new float[16];
        m[0] = (float) (2 / (right - left));
        m[5] = (float) (2 / (top - bottom));
        m[10] = (float) (-2 / (far - near));
        m[12] = (float) (-(right + left) / (right - left));
        m[13] = (float) (-(top + bottom) / (top - bottom));
        m[14] = (float) (-(far + near) / (far - near));
        m[15] = 1;
        return m;
    }

    /** The view matrix of an eye with orthonormal right, up and back (from target toward eye) axes. */
    public static float[] view(double[] eye, double[] right, double[] up, double[] back) {
        float[] m = new float[16];
        for (int i = 0; i < 3; i++) {
            m[i * 4] = (float) right[i];
            m[i * 4 + 1] = (float) up[i];
            m[i * 4 + 2] = (float) back[i];
        }
        m[12] = (float) -dot(right, eye);
        m[13] = (float) -dot(up, eye);
        m[14] = (float) -dot(back, eye);
        m[15] = 1;
        return m;
    }

    /** Scales and shifts clip-space x and y: an image-plane pan and zoom (lens shift), exact for any projection. */
    public static float[] imagePlane(double scaleX, double scaleY, double offsetX, double offsetY) {
        float[] m = identity();
        m[0] = (float) scaleX;
        m[5] = (float) scaleY;
        m[12] = (float) offsetX;
        m[13] = (float) offsetY;
        return m;
    }

    public static float[] fromDoubles(double[] columnMajor) {
        float[] m = new float[16];
        for (int i = 0; i < 16; i++) {
            m[i] = (float) columnMajor[i];
        }
        return m;
    }

    /** The inverse of a general 4x4 matrix (cofactors), or null when singular. */
    public static float[] invert(float[] m) {
        double[] inv = new double[16];
        inv[0] = m[5] * m[10] * m[15] - m[5] * m[11] * m[14] - m[9] * m[6] * m[15] + m[9] * m[7] * m[14]
                + m[13] * m[6] * m[11] - m[13] * m[7] * m[10];
        inv[4] = -m[4] * m[10] * m[15] + m[4] * m[11] * m[14] + m[8] * m[6] * m[15] - m[8] * m[7] * m[14]
                - m[12] * m[6] * m[11] + m[12] * m[7] * m[10];
        inv[8] = m[4] * m[9] * m[15] - m[4] * m[11] * m[13] - m[8] * m[5] * m[15] + m[8] * m[7] * m[13]
                + m[12] * m[5] * m[11] - m[12] * m[7] * m[9];
        inv[12] = -m[4] * m[9] * m[14] + m[4] * m[10] * m[13] + m[8] * m[5] * m[14] - m[8] * m[6] * m[13]
                - m[12] * m[5] * m[10] + m[12] * m[6] * m[9];
        inv[1] = -m[1] * m[10] * m[15] + m[1] * m[11] * m[14] + m[9] * m[2] * m[15] - m[9] * m[3] * m[14]
                - m[13] * m[2] * m[11] + m[13] * m[3] * m[10];
        inv[5] = m[0] * m[10] * m[15] - m[0] * m[11] * m[14] - m[8] * m[2] * m[15] + m[8] * m[3] * m[14]
                + m[12] * m[2] * m[11] - m[12] * m[3] * m[10];
        inv[9] = -m[0] * m[9] * m[15] + m[0] * m[11] * m[13] + m[8] * m[1] * m[15] - m[8] * m[3] * m[13]
                - m[12] * m[1] * m[11] + m[12] * m[3] * m[9];
        inv[13] = m[0] * m[9] * m[14] - m[0] * m[10] * m[13] - m[8] * m[1] * m[14] + m[8] * m[2] * m[13]
                + m[12] * m[1] * m[10] - m[12] * m[2] * m[9];
        inv[2] = m[1] * m[6] * m[15] - m[1] * m[7] * m[14] - m[5] * m[2] * m[15] + m[5] * m[3] * m[14]
                + m[13] * m[2] * m[7] - m[13] * m[3] * m[6];
        inv[6] = -m[0] * m[6] * m[15] + m[0] * m[7] * m[14] + m[4] * m[2] * m[15] - m[4] * m[3] * m[14]
                - m[12] * m[2] * m[7] + m[12] * m[3] * m[6];
        inv[10] = m[0] * m[5] * m[15] - m[0] * m[7] * m[13] - m[4] * m[1] * m[15] + m[4] * m[3] * m[13]
                + m[12] * m[1] * m[7] - m[12] * m[3] * m[5];
        inv[14] = -m[0] * m[5] * m[14] + m[0] * m[6] * m[13] + m[4] * m[1] * m[14] - m[4] * m[2] * m[13]
                - m[12] * m[1] * m[6] + m[12] * m[2] * m[5];
        inv[3] = -m[1] * m[6] * m[11] + m[1] * m[7] * m[10] + m[5] * m[2] * m[11] - m[5] * m[3] * m[10]
                - m[9] * m[2] * m[7] + m[9] * m[3] * m[6];
        inv[7] = m[0] * m[6] * m[11] - m[0] * m[7] * m[10] - m[4] * m[2] * m[11] + m[4] * m[3] * m[10]
                + m[8] * m[2] * m[7] - m[8] * m[3] * m[6];
        inv[11] = -m[0] * m[5] * m[11] + m[0] * m[7] * m[9] + m[4] * m[1] * m[11] - m[4] * m[3] * m[9]
                - m[8] * m[1] * m[7] + m[8] * m[3] * m[5];
        inv[15] = m[0] * m[5] * m[10] - m[0] * m[6] * m[9] - m[4] * m[1] * m[10] + m[4] * m[2] * m[9]
                + m[8] * m[1] * m[6] - m[8] * m[2] * m[5];
        double det = m[0] * inv[0] + m[1] * inv[4] + m[2] * inv[8] + m[3] * inv[12];
        if (det == 0 || !Double.isFinite(det)) {
            return null;
        }
        float[] r = new float[16];
        for (int i = 0; i < 16; i++) {
            r[i] = (float) (inv[i] / det);
        }
        return r;
    }

    /** The upper 3x3 of the inverse transpose, column-major, for normals under non-uniform scale. */
    public static float[] normalMatrix(float[] model) {
        float[] inv = invert(model);
        if (inv == null) {
            return new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
        }
        // (M^-1)^T: element (r, c) of the result is inv(c, r).
        return new float[] {inv[0], inv[4], inv[8], inv[1], inv[5], inv[9], inv[2], inv[6], inv[10]};
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }
}
