// Places the camera of a view: direction from azimuth and elevation in the scene's own axes, then frames every
// vertex of the scene with the requested margin by panning and zooming the image plane.
package dev.meshforge.render.internal;

import dev.meshforge.core.scene.UpAxis;
import dev.meshforge.render.Projection;
import dev.meshforge.render.View;

/**
 * A view's camera.
 *
 * @param view           world to eye
 * @param projection     eye to clip, including the framing's pan and zoom
 * @param eye            camera position in world space
 * @param environment    3x3 row-major rotation from world directions to the studio environment's frame, in which
 *                       the camera at elevation 0 sits on +Z with +Y up: the lights follow the camera around
 * @param elevation      the view's elevation, degrees
 */
public record CameraRig(float[] view, float[] projection, double[] eye, float[] environment, double elevation) {

    /** World to clip. */
    public float[] viewProjection() {
        return Matrix4.multiply(projection, view);
    }

    /** The scene's up, front (toward the viewer of the front view) and right axes. */
    static double[][] axes(UpAxis up) {
        return up == UpAxis.Z
                ? new double[][] {{0, 0, 1}, {0, -1, 0}, {1, 0, 0}}
                : new double[][] {{0, 1, 0}, {0, 0, 1}, {1, 0, 0}};
    }

    /**
     * @param points      world-space xyz of everything to frame (at least one point)
     * @param count       number of points
     * @param bounds      min xyz, max xyz of the points
     * @param aspect      width / height of the image
     * @param fovDegrees  vertical field of view of a perspective camera
     * @param margin      free fraction of the image on each side
     */
    public static CameraRig frame(View v, UpAxis upAxis, float[] points, int count, double[] bounds, double aspect,
                                  Projection projection, double fovDegrees, double margin) {
        double[][] axes = axes(upAxis);
        double[] up = axes[0];
        double[] front = axes[1];
        double[] right = axes[2];
        double az = Math.toRadians(v.azimuth());
        double el = Math.toRadians(v.elevation());
        double[] horizontal = add(scale(front, Math.cos(az)), scale(right, Math.sin(az)));
        double[] back = normalize(add(scale(horizontal, Math.cos(el)), scale(up, Math.sin(el))));
        // Straight down (or up) the camera's up cannot be the scene's up: take the horizontal direction away from
        // the camera's azimuth, so that the top view shows the front at the bottom of the image.
        double[] cameraUp = Math.abs(v.elevation()) > 89.9
                ? scale(horizontal, -Math.signum(v.elevation())) : up;
        double[] camRight = normalize(cross(cameraUp, back));
        double[] camUp = cross(back, camRight);

        double[] center = {(bounds[0] + bounds[3]) / 2, (bounds[1] + bounds[4]) / 2, (bounds[2] + bounds[5]) / 2};
        double radius = Math.max(1e-9, 0.5 * Math.sqrt(sq(bounds[3] - bounds[0]) + sq(bounds[4] - bounds[1])
                + sq(bounds[5] - bounds[2])));
        boolean ortho = projection == Projection.ORTHOGRAPHIC || v.orthographic();
        double tanY = Math.tan(Math.toRadians(fovDegrees) / 2);
        double tanX = tanY * aspect;
        double distance;
        if (ortho) {
            distance = 3 * radius;
        } else {
            // The nearest distance at which every point lies inside the frustum.
            distance = 0;
            for (int i = 0; i < count; i++) {
                double x = points[i * 3] - center[0];
                double y = points[i * 3 + 1] - center[1];
                double z = points[i * 3 + 2] - center[2];
                double ex = x * camRight[0] + y * camRight[1] + z * camRight[2];
                double ey = x * camUp[0] + y * camUp[1] + z * camUp[2];
                double ez = x * back[0] + y * back[1] + z * back[2];
                distance = Math.max(distance, Math.max(ez + Math.abs(ex) / tanX, ez + Math.abs(ey) / tanY));
            }
            distance = Math.max(distance, 0.05 * radius) + 0.01 * radius;
        }
        double[] eye = add(center, scale(back, distance));
        float[] view = Matrix4.view(eye, camRight, camUp, back);
        double near = ortho ? radius * 0.01 : Math.max(distance - 2.2 * radius, distance * 1e-3);
        double far = distance + 2.2 * radius + radius * 2; // the ground plane reaches beyond the model
        float[] base = ortho ? Matrix4.orthographic(-radius * aspect, radius * aspect, -radius, radius, near, far)
                : Matrix4.perspective(Math.toRadians(fovDegrees), aspect, near, far);
        float[] viewProjection = Matrix4.multiply(base, view);
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            float px = points[i * 3];
            float py = points[i * 3 + 1];
            float pz = points[i * 3 + 2];
            double cw = viewProjection[3] * px + viewProjection[7] * py + viewProjection[11] * pz + viewProjection[15];
            double cx = (viewProjection[0] * px + viewProjection[4] * py + viewProjection[8] * pz + viewProjection[12])
                    / cw;
            double cy = (viewProjection[1] * px + viewProjection[5] * py + viewProjection[9] * pz + viewProjection[13])
                    / cw;
            minX = Math.min(minX, cx);
            maxX = Math.max(maxX, cx);
            minY = Math.min(minY, cy);
            maxY = Math.max(maxY, cy);
        }
        double half = Math.max(Math.max(maxX - minX, maxY - minY) / 2, 1e-12);
        double zoom = Math.min((1 - 2 * margin) / Math.max((maxX - minX) / 2, 1e-12),
                (1 - 2 * margin) / Math.max((maxY - minY) / 2, 1e-12));
        if (!Double.isFinite(zoom) || half < 1e-9) {
            zoom = 1;
        }
        float[] pan = Matrix4.imagePlane(zoom, zoom, -zoom * (minX + maxX) / 2, -zoom * (minY + maxY) / 2);
        float[] proj = Matrix4.multiply(pan, base);

        double[] envRight = {Math.cos(az) * right[0] - Math.sin(az) * front[0],
                Math.cos(az) * right[1] - Math.sin(az) * front[1], Math.cos(az) * right[2] - Math.sin(az) * front[2]};
        float[] environment = new float[9];
        for (int i = 0; i < 3; i++) {
            environment[i] = (float) envRight[i];
            environment[3 + i] = (float) up[i];
            environment[6 + i] = (float) horizontal[i];
        }
        return new CameraRig(view, proj, eye, environment, v.elevation());
    }

    static double[] add(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }

    static double[] scale(double[] a, double s) {
        return new double[] {a[0] * s, a[1] * s, a[2] * s};
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    static double[] normalize(double[] a) {
        double l = Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
        return new double[] {a[0] / l, a[1] / l, a[2] / l};
    }

    private static double sq(double v) {
        return v * v;
    }
}
