// The FBX node transform (pivots, offsets, pre/post rotation, rotation order) and the axis/unit conversion.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.scene.Transform;

import java.util.Map;

/**
 * FBX composes a model's local transform as
 * {@code T * Roff * Rp * Rpre * R * Rpost^-1 * Rp^-1 * Soff * Sp * S * Sp^-1}, where R follows the model's
 * rotation order and the pre/post rotations are always XYZ. The geometric transform applies to the model's own
 * geometry only, never to its children.
 */
final class FbxTransforms {
    private FbxTransforms() {
    }

    static Transform local(Map<String, FbxNode> p) {
        double[] t = FbxDocument.vector(p, "Lcl Translation", 0, 0, 0);
        double[] r = FbxDocument.vector(p, "Lcl Rotation", 0, 0, 0);
        double[] s = FbxDocument.vector(p, "Lcl Scaling", 1, 1, 1);
        int order = (int) FbxDocument.number(p, "RotationOrder", 0);
        // Pre/post rotations apply whatever RotationActive says, as the SDK's exporters rely on.
        double[] pre = FbxDocument.vector(p, "PreRotation", 0, 0, 0);
        double[] post = FbxDocument.vector(p, "PostRotation", 0, 0, 0);
        double[] roff = FbxDocument.vector(p, "RotationOffset", 0, 0, 0);
        double[] rp = FbxDocument.vector(p, "RotationPivot", 0, 0, 0);
        double[] soff = FbxDocument.vector(p, "ScalingOffset", 0, 0, 0);
        double[] sp = FbxDocument.vector(p, "ScalingPivot", 0, 0, 0);
        return Transform.translation(t[0], t[1], t[2])
                .then(Transform.translation(roff[0], roff[1], roff[2]))
                .then(Transform.translation(rp[0], rp[1], rp[2]))
                .then(euler(pre, 0))
                .then(euler(r, order))
                .then(inverseRotation(euler(post, 0)))
                .then(Transform.translation(-rp[0], -rp[1], -rp[2]))
                .then(Transform.translation(soff[0], soff[1], soff[2]))
                .then(Transform.translation(sp[0], sp[1], sp[2]))
                .then(Transform.scale(s[0], s[1], s[2]))
                .then(Transform.translation(-sp[0], -sp[1], -sp[2]));
    }

    /** The geometric transform (GeometricTranslation/Rotation/Scaling), identity when absent. */
    static Transform geometric(Map<String, FbxNode> p) {
        double[] t = FbxDocument.vector(p, "GeometricTranslation", 0, 0, 0);
        double[] r = FbxDocument.vector(p, "GeometricRotation", 0, 0, 0);
        double[] s = FbxDocument.vector(p, "GeometricScaling", 1, 1, 1);
        return Transform.translation(t[0], t[1], t[2]).then(euler(r, 0)).then(Transform.scale(s[0], s[1], s[2]));
    }

    /**
     * Euler angles in degrees; {@code order} is FBX's EFbxRotationOrder (0 XYZ, 1 XZY, 2 YZX, 3 YXZ, 4 ZXY,
     * 5 ZYX), naming the axes in the order they are applied.
     */
    static Transform euler(double[] deg, int order) {
        if (deg[0] == 0 && deg[1] == 0 && deg[2] == 0) {
            return Transform.IDENTITY;
        }
        Transform x = axis(0, deg[0]);
        Transform y = axis(1, deg[1]);
        Transform z = axis(2, deg[2]);
        return switch (order) {
            case 1 -> y.then(z).then(x);
            case 2 -> x.then(z).then(y);
            case 3 -> z.then(x).then(y);
            case 4 -> y.then(x).then(z);
            case 5 -> x.then(y).then(z);
            default -> z.then(y).then(x);
        };
    }

    private static Transform axis(int a, double degrees) {
        double rad = Math.toRadians(degrees);
        double c = Math.cos(rad);
        double s = Math.sin(rad);
        return switch (a) {
            case 0 -> Transform.of(1, 0, 0, 0, 0, c, s, 0, 0, -s, c, 0, 0, 0, 0, 1);
            case 1 -> Transform.of(c, 0, -s, 0, 0, 1, 0, 0, s, 0, c, 0, 0, 0, 0, 1);
            default -> Transform.of(c, s, 0, 0, -s, c, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);
        };
    }

    /** The inverse of a pure rotation: its transpose. */
    static Transform inverseRotation(Transform r) {
        double[] m = r.toArray();
        return Transform.of(m[0], m[4], m[8], 0, m[1], m[5], m[9], 0, m[2], m[6], m[10], 0, 0, 0, 0, 1);
    }

    /** The general inverse of an affine transform, or identity when it is singular. */
    static Transform inverse(Transform t) {
        double[] m = t.toArray();
        double a = m[0], b = m[4], c = m[8], d = m[1], e = m[5], f = m[9], g = m[2], h = m[6], i = m[10];
        double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        if (det == 0 || !Double.isFinite(det)) {
            return Transform.IDENTITY;
        }
        double[] r = new double[9];
        r[0] = (e * i - f * h) / det;
        r[1] = (c * h - b * i) / det;
        r[2] = (b * f - c * e) / det;
        r[3] = (f * g - d * i) / det;
        r[4] = (a * i - c * g) / det;
        r[5] = (c * d - a * f) / det;
        r[6] = (d * h - e * g) / det;
        r[7] = (b * g - a * h) / det;
        r[8] = (a * e - b * d) / det;
        double tx = -(r[0] * m[12] + r[1] * m[13] + r[2] * m[14]);
        double ty = -(r[3] * m[12] + r[4] * m[13] + r[5] * m[14]);
        double tz = -(r[6] * m[12] + r[7] * m[13] + r[8] * m[14]);
        return Transform.of(r[0], r[3], r[6], 0, r[1], r[4], r[7], 0, r[2], r[5], r[8], 0, tx, ty, tz, 1);
    }

    /** A column-major matrix from 16 FBX values (FBX stores matrices column-major too). */
    static Transform matrix(double[] v) {
        return v != null && v.length >= 16 ? Transform.of(java.util.Arrays.copyOf(v, 16)) : Transform.IDENTITY;
    }

    /**
     * The rotation that takes the file's axes (UpAxis, FrontAxis, CoordAxis and their signs) to a right-handed
     * frame with the file's up axis: Y up (X right, Z front) or, for Z-up files, Z up (X right, -Y front).
     * A left-handed file system gives a mirroring matrix.
     */
    static Transform axisConversion(Map<String, FbxNode> g, boolean zUp) {
        int up = (int) FbxDocument.number(g, "UpAxis", 1);
        int upSign = (int) FbxDocument.number(g, "UpAxisSign", 1);
        int front = (int) FbxDocument.number(g, "FrontAxis", 2);
        int frontSign = (int) FbxDocument.number(g, "FrontAxisSign", 1);
        int coord = (int) FbxDocument.number(g, "CoordAxis", 0);
        int coordSign = (int) FbxDocument.number(g, "CoordAxisSign", 1);
        if (up < 0 || up > 2 || front < 0 || front > 2 || coord < 0 || coord > 2 || up == front || up == coord
                || front == coord) {
            return Transform.IDENTITY;
        }
        double[] right = unit(coord, coordSign);
        double[] upV = unit(up, upSign);
        double[] frontV = unit(front, frontSign);
        // Rows of the matrix: which file direction becomes target X, Y, Z.
        double[][] rows = zUp ? new double[][] {right, neg(frontV), upV} : new double[][] {right, upV, frontV};
        double[] m = new double[16];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                m[c * 4 + r] = rows[r][c];
            }
        }
        m[15] = 1;
        return Transform.of(m);
    }

    private static double[] unit(int axis, int sign) {
        double[] v = new double[3];
        v[axis] = sign < 0 ? -1 : 1;
        return v;
    }

    private static double[] neg(double[] v) {
        return new double[] {-v[0], -v[1], -v[2]};
    }
}
