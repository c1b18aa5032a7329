// From the scene's 4x4 matrices to glTF's translation-rotation-scale, where that is exact.
package dev.meshforge.core.io.gltf;

import dev.meshforge.core.scene.Transform;

/** Matrix to TRS (where the matrix has no shear) for writing; reading uses Transform.fromTrs. */
final class GltfTransforms {
    private GltfTransforms() {
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
        double[] d = m.toTrs();
        if (d[7] == 0 || d[8] == 0 || d[9] == 0) {
            return null;
        }
        double[][] trs = {{d[0], d[1], d[2]}, {d[3], d[4], d[5], d[6]}, {d[7], d[8], d[9]}};
        double[] back = Transform.fromTrs(trs[0], trs[1], trs[2]).toArray();
        double scale = Math.max(1e-30, Math.max(Math.abs(d[7]), Math.max(Math.abs(d[8]), Math.abs(d[9]))));
        for (int i = 0; i < 12; i++) {
            if (Math.abs(back[i] - a[i]) > 1e-6 * scale) {
                return null;
            }
        }
        return trs;
    }
}
