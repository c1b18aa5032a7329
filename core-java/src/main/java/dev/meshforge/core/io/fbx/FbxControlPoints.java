// An FBX geometry's control points as its polygons and vertices read them: the file's Vertices in place, or a copy
// baked with the model's geometric transform and with its non-finite coordinates set to 0.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.scene.Transform;

import java.lang.foreign.Arena;

/** The copy, when one is needed, is native memory of the read: the heap holds none of it. */
final class FbxControlPoints {
    private final FbxValues file;
    /** The transform baked in, or null where it is the identity. */
    private final Transform geometric;
    private final Arena work;
    private final double[] out = new double[3];
    /** The copy of {@link #file} with the changes, made at the first change, or null. */
    private FbxValues changed;
    private int nonFinite;

    private FbxControlPoints(FbxValues file, Transform geometric, Arena work) {
        this.file = file;
        this.geometric = geometric;
        this.work = work;
    }

    /** The control points of {@code vertices} (x, y, z each) with {@code geometric} baked in. */
    static FbxControlPoints of(FbxValues vertices, Transform geometric, Arena work) {
        boolean baked = !geometric.isIdentity();
        FbxControlPoints points = new FbxControlPoints(vertices, baked ? geometric : null, work);
        points.changed = baked ? vertices.copy(work) : null;
        FbxBlocks.run(0, points.count(), points::bake);
        return points;
    }

    int count() {
        return file.length() / 3;
    }

    /** The coordinates, x, y, z each point. */
    FbxValues positions() {
        return changed != null ? changed : file;
    }

    /** The non-finite coordinates that were set to 0. */
    int nonFinite() {
        return nonFinite;
    }

    /** Bakes the transform into points {@code [from, to)} and sets their non-finite coordinates to 0. */
    private void bake(int from, int to) {
        FbxValues v = file;
        FbxValues changed = this.changed;
        Transform geometric = this.geometric;
        double[] out = this.out;
        int nonFinite = this.nonFinite;
        for (int i = from; i < to; i++) {
            if (geometric != null) {
                geometric.applyToPoint(v.get(i * 3), v.get(i * 3 + 1), v.get(i * 3 + 2), out);
                changed.set(i * 3, out[0]);
                changed.set(i * 3 + 1, out[1]);
                changed.set(i * 3 + 2, out[2]);
            }
            for (int k = 0; k < 3; k++) {
                if (!Double.isFinite(changed != null ? changed.get(i * 3 + k) : v.get(i * 3 + k))) {
                    if (changed == null) {
                        changed = v.copy(work);
                    }
                    changed.set(i * 3 + k, 0);
                    nonFinite++;
                }
            }
        }
        this.changed = changed;
        this.nonFinite = nonFinite;
    }
}
