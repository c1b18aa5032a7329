// Checks and repairs vertex attributes a renderer or the glTF validator would reject (non-unit normals, NaNs).
package dev.meshforge.core.io.gltf;

import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.VertexAttribute;

/**
 * Normals and tangents must be unit length and everything must be finite. Fixable defects are fixed with a
 * warning (renormalized vectors, non-finite values set to 0); normals or tangents that cannot be fixed (zero
 * length) are dropped with a warning, as renderers recompute them.
 */
final class GltfAttributes {
    /** How far a unit vector's length may be from 1 before it is renormalized. */
    private static final double UNIT_TOLERANCE = 5e-4;
    /**
     * Squared lengths whose root is surely within the tolerance of 1 (the bounds drawn in by 1e-9, far more than
     * a rounding of the root): a vector between them is left as it is, as the exact test would leave it.
     */
    private static final double UNIT_LOW = (1 - UNIT_TOLERANCE + 1e-9) * (1 - UNIT_TOLERANCE + 1e-9);
    private static final double UNIT_HIGH = (1 + UNIT_TOLERANCE - 1e-9) * (1 + UNIT_TOLERANCE - 1e-9);

    private GltfAttributes() {
    }

    private static boolean unitW(float w) {
        return w == 1f || w == -1f;
    }

    static VertexAttribute clean(GltfDocument doc, Scene scene, String name, AccessorDecoder.Floats f, String where) {
        VertexAttribute a = new VertexAttribute(name, f.components(), f.count(), f.data());
        boolean unitVectors = (name.equals("NORMAL") && f.components() == 3)
                || (name.equals("TANGENT") && f.components() == 4);
        if (!unitVectors && a.firstNonFinite() < 0) {
            return a; // all finite: nothing to fix, and the check above runs at memory speed
        }
        long fixed = 0;
        for (long v = 0; v < a.count(); v++) {
            if (unitVectors) {
                double x = a.get(v, 0);
                double y = a.get(v, 1);
                double z = a.get(v, 2);
                double squared = x * x + y * y + z * z;
                if (squared >= UNIT_LOW && squared <= UNIT_HIGH && (f.components() == 3 || unitW(a.get(v, 3)))) {
                    continue; // unit length within the tolerance below, without the square root
                }
                double len = Math.sqrt(squared);
                if (!(len > 1e-12) || !Double.isFinite(len)) {
                    scene.warn(doc.file + ": " + where + " has a zero-length or non-finite " + name + " at vertex " + v
                            + "; the " + name + " attribute was dropped");
                    return null;
                }
                if (Math.abs(len - 1) > UNIT_TOLERANCE) {
                    a.set(v, 0, (float) (x / len));
                    a.set(v, 1, (float) (y / len));
                    a.set(v, 2, (float) (z / len));
                    fixed++;
                }
                if (f.components() == 4) {
                    float w = a.get(v, 3);
                    if (!unitW(w)) {
                        a.set(v, 3, w < 0 ? -1f : 1f);
                        fixed++;
                    }
                }
            } else {
                for (int c = 0; c < a.components(); c++) {
                    if (!Float.isFinite(a.get(v, c))) {
                        a.set(v, c, 0f);
                        fixed++;
                    }
                }
            }
        }
        if (fixed > 0) {
            scene.warn(doc.file + ": " + where + " " + name + ": " + fixed + (unitVectors
                    ? " vectors were not unit length and were renormalized" : " non-finite values were set to 0"));
        }
        return a;
    }
}
