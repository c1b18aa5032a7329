// The ground's contact shadow: the model's height above the ground seen from below and the darkness it casts,
// both once per scene, then a ground rectangle in each view that reads the darkness.
package dev.meshforge.render.internal;

import dev.meshforge.core.scene.UpAxis;

import java.nio.ByteBuffer;

import static org.lwjgl.opengl.GL33C.*;

/** A height map under the model and the ground rectangle it shades. */
final class ContactShadow implements AutoCloseable {
    private static final int SIZE = 512;
    private static final int OCCLUSION_SIZE = 256;
    private final int depthTexture;
    private final int occlusionTexture;
    private final float[] corners = new float[12];
    private final float heightRange;
    private final float falloff;

    ContactShadow(GpuScene scene, UpAxis upAxis, Programs programs) {
        double[][] axes = CameraRig.axes(upAxis);
        double[] up = axes[0];
        double[] right = axes[2];
        double[] back = CameraRig.scale(up, -1); // the camera looks up
        double[] camUp = CameraRig.cross(back, right);
        double[] b = scene.bounds;
        double[] center = {(b[0] + b[3]) / 2, (b[1] + b[4]) / 2, (b[2] + b[5]) / 2};
        double extent = Math.max(Math.max(b[3] - b[0], b[4] - b[1]), b[5] - b[2]);
        double groundLevel = lowest(b, up);
        double height = highest(b, up) - groundLevel;
        // A little below the lowest point, so that a model's flat underside does not fight the ground for depth.
        double below = 0.002 * extent;
        double half = 0.5 * Math.max(extentAlong(b, right), extentAlong(b, camUp)) + 0.35 * extent;
        double[] eye = CameraRig.add(projectToPlane(center, up, groundLevel), CameraRig.scale(up, -below));
        heightRange = (float) (height + below + 1e-6 * extent + 1e-30);
        falloff = (float) (0.25 * extent);
        for (int i = 0; i < 4; i++) {
            double u = (i == 1 || i == 2) ? 1 : -1;
            double v = (i >= 2) ? 1 : -1;
            double[] p = CameraRig.add(eye, CameraRig.add(CameraRig.scale(right, u * half),
                    CameraRig.scale(camUp, v * half)));
            corners[i * 3] = (float) p[0];
            corners[i * 3 + 1] = (float) p[1];
            corners[i * 3 + 2] = (float) p[2];
        }
        float[] view = Matrix4.view(eye, right, camUp, back);
        float[] projection = Matrix4.orthographic(-half, half, -half, half, 0, heightRange);
        float[] viewProjection = Matrix4.multiply(projection, view);

        depthTexture = glGenTextures();
        glBindTexture(GL_TEXTURE_2D, depthTexture);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_DEPTH_COMPONENT24, SIZE, SIZE, 0, GL_DEPTH_COMPONENT, GL_FLOAT,
                (ByteBuffer) null);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        int fbo = glGenFramebuffers();
        try {
            glBindFramebuffer(GL_FRAMEBUFFER, fbo);
            glFramebufferTexture2D(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_TEXTURE_2D, depthTexture, 0);
            glDrawBuffer(GL_NONE);
            glReadBuffer(GL_NONE);
            glViewport(0, 0, SIZE, SIZE);
            glEnable(GL_DEPTH_TEST);
            glDepthMask(true);
            glDepthFunc(GL_LESS);
            glDisable(GL_CULL_FACE);
            glDisable(GL_BLEND);
            glClear(GL_DEPTH_BUFFER_BIT);
            ShaderProgram p = programs.shadowHeight();
            p.use();
            p.setMatrix("uViewProjection", viewProjection);
            for (GpuScene.Draw d : scene.draws) {
                if (d.primitive().mode() != GL_TRIANGLES) {
                    continue;
                }
                p.setMatrix("uModel", d.model());
                glBindVertexArray(d.primitive().vao());
                glDrawElements(GL_TRIANGLES, d.primitive().count(), GL_UNSIGNED_INT, 0L);
            }
            glBindVertexArray(0);

            // The soft darkness once for the scene, so that each view's ground costs one texture read a pixel.
            occlusionTexture = glGenTextures();
            glBindTexture(GL_TEXTURE_2D, occlusionTexture);
            glTexImage2D(GL_TEXTURE_2D, 0, GL_R16F, OCCLUSION_SIZE, OCCLUSION_SIZE, 0, GL_RED, GL_FLOAT,
                    (ByteBuffer) null);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
            glFramebufferTexture2D(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_TEXTURE_2D, 0, 0);
            glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, occlusionTexture, 0);
            glDrawBuffer(GL_COLOR_ATTACHMENT0);
            glViewport(0, 0, OCCLUSION_SIZE, OCCLUSION_SIZE);
            glDisable(GL_DEPTH_TEST);
            ShaderProgram o = programs.groundOcclusion();
            o.use();
            glActiveTexture(GL_TEXTURE0);
            glBindTexture(GL_TEXTURE_2D, depthTexture);
            o.set("uHeight", 0);
            o.set("uHeightRange", heightRange);
            o.set("uFalloff", falloff);
            o.set("uTapRadius", 0.025f);
            o.set("uSize", (float) OCCLUSION_SIZE);
            int vao = glGenVertexArrays();
            glBindVertexArray(vao);
            glDrawArrays(GL_TRIANGLES, 0, 3);
            glBindVertexArray(0);
            glDeleteVertexArrays(vao);
        } finally {
            glBindFramebuffer(GL_FRAMEBUFFER, 0);
            glDeleteFramebuffers(fbo);
        }
    }

    private static double lowest(double[] b, double[] up) {
        return Math.min(up[0] * b[0], up[0] * b[3]) + Math.min(up[1] * b[1], up[1] * b[4])
                + Math.min(up[2] * b[2], up[2] * b[5]);
    }

    private static double highest(double[] b, double[] up) {
        return Math.max(up[0] * b[0], up[0] * b[3]) + Math.max(up[1] * b[1], up[1] * b[4])
                + Math.max(up[2] * b[2], up[2] * b[5]);
    }

    private static double extentAlong(double[] b, double[] axis) {
        return Math.abs(axis[0]) * (b[3] - b[0]) + Math.abs(axis[1]) * (b[4] - b[1]) + Math.abs(axis[2]) * (b[5] - b[2]);
    }

    private static double[] projectToPlane(double[] p, double[] up, double level) {
        return CameraRig.add(p, CameraRig.scale(up, level - CameraRig.dot(up, p)));
    }

    /** Draws the shadow (black with alpha) over what is in the bound target; depth-tested, not depth-written. */
    void draw(Programs programs, float[] viewProjection, int emptyVao) {
        ShaderProgram p = programs.ground();
        p.use();
        p.setMatrix("uViewProjection", viewProjection);
        for (int i = 0; i < 4; i++) {
            p.set("uCorner[" + i + "]", corners[i * 3], corners[i * 3 + 1], corners[i * 3 + 2]);
        }
        glActiveTexture(GL_TEXTURE0);
        glBindTexture(GL_TEXTURE_2D, occlusionTexture);
        p.set("uOcclusion", 0);
        p.set("uOpacity", 0.65f);
        glEnable(GL_DEPTH_TEST);
        glDepthMask(false);
        glDisable(GL_CULL_FACE);
        glEnable(GL_BLEND);
        glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
        glBindVertexArray(emptyVao);
        glDrawArrays(GL_TRIANGLES, 0, 6);
        glBindVertexArray(0);
        glDepthMask(true);
    }

    @Override
    public void close() {
        glDeleteTextures(new int[] {depthTexture, occlusionTexture});
    }
}
