// The softboxes and surround of each lighting preset, as the studio environment shader's uniforms.
package dev.meshforge.render.internal;

import dev.meshforge.render.Lighting;

import java.util.List;

/**
 * A studio: surround colours (above, at the horizon, the floor) and softboxes. A box is placed by azimuth (degrees
 * from the camera toward the right) and elevation, sized by half-extents in units of its distance, with a radiance.
 * Radiances are chosen so that a mid-grey dielectric comes out mid-grey at exposure 1 under PBR Neutral.
 */
record StudioPreset(float[] skyTop, float[] skyHorizon, float[] floor, List<Box> boxes) {
    record Box(double azimuth, double elevation, double halfWidth, double halfHeight, float radiance) {
    }

    static StudioPreset of(Lighting lighting) {
        return switch (lighting) {
            case STUDIO -> new StudioPreset(grey(0.22f), grey(0.16f), grey(0.04f), List.of(
                    new Box(-45, 35, 0.55, 0.4, 6.0f),     // key, high front left
                    new Box(70, 10, 0.3, 0.5, 1.5f),       // fill, right
                    new Box(165, 30, 0.12, 0.7, 6.0f),     // rim strip behind
                    new Box(0, 90, 0.4, 0.4, 1.2f)));      // overhead
            case SOFT -> new StudioPreset(grey(0.5f), grey(0.42f), grey(0.15f), List.of(
                    new Box(0, 25, 0.9, 0.6, 1.6f),
                    new Box(0, 90, 0.8, 0.8, 1.5f),
                    new Box(-90, 10, 0.6, 0.6, 0.8f),
                    new Box(90, 10, 0.6, 0.6, 0.8f)));
            case DRAMATIC -> new StudioPreset(grey(0.05f), grey(0.03f), grey(0.015f), List.of(
                    new Box(-80, 25, 0.3, 0.45, 14.0f),
                    new Box(150, 25, 0.08, 0.8, 10.0f)));
            case UNIFORM -> new StudioPreset(grey(1f), grey(1f), grey(1f), List.of());
        };
    }

    private static float[] grey(float v) {
        return new float[] {v, v, v};
    }

    /** Sets the studio_environment.glsl uniforms on the bound program. */
    void apply(ShaderProgram p) {
        p.set("uSkyTop", skyTop[0], skyTop[1], skyTop[2]);
        p.set("uSkyHorizon", skyHorizon[0], skyHorizon[1], skyHorizon[2]);
        p.set("uFloor", floor[0], floor[1], floor[2]);
        p.set("uBoxCount", boxes.size());
        for (int i = 0; i < boxes.size(); i++) {
            Box b = boxes.get(i);
            double az = Math.toRadians(b.azimuth());
            double el = Math.toRadians(b.elevation());
            double[] c = {Math.sin(az) * Math.cos(el), Math.sin(el), Math.cos(az) * Math.cos(el)};
            double[] helper = Math.abs(c[1]) > 0.99 ? new double[] {0, 0, -1} : new double[] {0, 1, 0};
            double[] right = CameraRig.normalize(CameraRig.cross(helper, c));
            double[] up = CameraRig.cross(c, right);
            p.set("uBoxCenter[" + i + "]", (float) c[0], (float) c[1], (float) c[2]);
            p.set("uBoxRight[" + i + "]", (float) right[0], (float) right[1], (float) right[2]);
            p.set("uBoxUp[" + i + "]", (float) up[0], (float) up[1], (float) up[2]);
            p.set("uBoxHalfSize[" + i + "]", (float) b.halfWidth(), (float) b.halfHeight());
            p.set("uBoxRadiance[" + i + "]", b.radiance(), b.radiance(), b.radiance());
        }
    }
}
