// An independent CPU projection of a scene's triangles: the coverage mask the renderer's silhouette must match.
package dev.meshforge.render;

import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;

/**
 * Walks the scene's placements itself (not the renderer's upload path), projects every triangle with a view's
 * world-to-clip matrix and marks the pixels whose centres it covers. Back faces of single-sided materials are left
 * out, as the renderer culls them.
 */
final class SilhouetteRaster {
    private SilhouetteRaster() {
    }

    static boolean[] mask(Scene scene, float[] viewProjection, int width, int height) {
        boolean[] mask = new boolean[width * height];
        double[] world = new double[3];
        scene.forEachPlacedMesh((mesh, t) -> {
            boolean mirrored = t.determinant3() < 0;
            for (Primitive p : mesh.primitives()) {
                if (p.topology() != Topology.TRIANGLES) {
                    continue;
                }
                boolean cull = p.material() >= 0 && p.material() < scene.materials().size()
                        && !scene.materials().get(p.material()).doubleSided();
                int n = (int) p.vertexCount();
                double[] sx = new double[n];
                double[] sy = new double[n];
                for (int v = 0; v < n; v++) {
                    t.applyToPoint(p.positions().get(v, 0), p.positions().get(v, 1), p.positions().get(v, 2), world);
                    float[] m = viewProjection;
                    double cx = m[0] * world[0] + m[4] * world[1] + m[8] * world[2] + m[12];
                    double cy = m[1] * world[0] + m[5] * world[1] + m[9] * world[2] + m[13];
                    double cw = m[3] * world[0] + m[7] * world[1] + m[11] * world[2] + m[15];
                    sx[v] = (cx / cw + 1) / 2 * width;
                    sy[v] = (1 - cy / cw) / 2 * height;
                }
                for (long i = 0; i < p.triangleCount(); i++) {
                    int a = p.index(3 * i);
                    int b = p.index(3 * i + 1);
                    int c = p.index(3 * i + 2);
                    if (a < 0 || b < 0 || c < 0 || a >= n || b >= n || c >= n) {
                        continue;
                    }
                    double area = (sx[b] - sx[a]) * (sy[c] - sy[a]) - (sx[c] - sx[a]) * (sy[b] - sy[a]);
                    // Image y runs down, so a counter-clockwise (front) triangle has negative area here.
                    boolean front = mirrored ? area > 0 : area < 0;
                    if (cull && !front) {
                        continue;
                    }
                    fill(mask, width, height, sx[a], sy[a], sx[b], sy[b], sx[c], sy[c]);
                }
            }
        });
        return mask;
    }

    private static void fill(boolean[] mask, int w, int h, double x0, double y0, double x1, double y1, double x2,
                             double y2) {
        double area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
        if (area == 0 || !Double.isFinite(area)) {
            return;
        }
        int minX = Math.max(0, (int) Math.floor(Math.min(x0, Math.min(x1, x2))));
        int maxX = Math.min(w - 1, (int) Math.ceil(Math.max(x0, Math.max(x1, x2))));
        int minY = Math.max(0, (int) Math.floor(Math.min(y0, Math.min(y1, y2))));
        int maxY = Math.min(h - 1, (int) Math.ceil(Math.max(y0, Math.max(y1, y2))));
        for (int y = minY; y <= maxY; y++) {
            double py = y + 0.5;
            for (int x = minX; x <= maxX; x++) {
                double px = x + 0.5;
                double e0 = (x1 - x0) * (py - y0) - (y1 - y0) * (px - x0);
                double e1 = (x2 - x1) * (py - y1) - (y2 - y1) * (px - x1);
                double e2 = (x0 - x2) * (py - y2) - (y0 - y2) * (px - x2);
                if (area > 0 ? (e0 >= 0 && e1 >= 0 && e2 >= 0) : (e0 <= 0 && e1 <= 0 && e2 <= 0)) {
                    mask[y * w + x] = true;
                }
            }
        }
    }

    /** Intersection over union of the mask and the image's pixels of alpha at least one half. */
    static double iou(boolean[] mask, RgbaImage image) {
        long inter = 0;
        long union = 0;
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                boolean a = image.get(x, y, 3) >= 128;
                boolean b = mask[y * image.width() + x];
                if (a && b) {
                    inter++;
                }
                if (a || b) {
                    union++;
                }
            }
        }
        return union == 0 ? 1 : inter / (double) union;
    }

}
