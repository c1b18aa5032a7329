// The framebuffers one tile is drawn into: multisampled HDR colour and depth, a single-sample HDR texture the
// samples resolve into, and the 8-bit image the resolve pass writes and the CPU reads back.
package dev.meshforge.render.internal;

import dev.meshforge.core.LimitExceededException;
import org.lwjgl.system.MemoryUtil;

import java.nio.ByteBuffer;

import static org.lwjgl.opengl.GL33C.*;

/** Render targets of one tile size; large images are drawn tile by tile so that GPU memory stays bounded. */
final class FrameTarget implements AutoCloseable {
    /** The largest tile: 1024² at 8 samples of RGBA16F and depth is 96 MiB, whatever the image size. */
    static final int MAX_TILE = 1024;

    final int width;
    final int height;
    final int samples;
    private final int msaaFbo;
    private final int msaaColor;
    private final int msaaDepth;
    private final int hdrFbo;
    final int hdrTexture;
    private final int outFbo;
    private final int outTexture;
    private final ByteBuffer readback;

    FrameTarget(int width, int height, int requestedSamples) {
        this.width = width;
        this.height = height;
        this.samples = Math.max(1, Math.min(requestedSamples, glGetInteger(GL_MAX_SAMPLES)));
        try {
            msaaFbo = glGenFramebuffers();
            msaaColor = glGenRenderbuffers();
            msaaDepth = glGenRenderbuffers();
            // One sample asks for plain storage: a multisample request of 1 may be rounded up to the next count the
            // driver has (4 on llvmpipe), which would blur what should be pixel-centre sampling.
            int storageSamples = samples == 1 ? 0 : samples;
            glBindRenderbuffer(GL_RENDERBUFFER, msaaColor);
            glRenderbufferStorageMultisample(GL_RENDERBUFFER, storageSamples, GL_RGBA16F, width, height);
            glBindRenderbuffer(GL_RENDERBUFFER, msaaDepth);
            glRenderbufferStorageMultisample(GL_RENDERBUFFER, storageSamples, GL_DEPTH_COMPONENT24, width, height);
            glBindFramebuffer(GL_FRAMEBUFFER, msaaFbo);
            glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, msaaColor);
            glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, msaaDepth);
            check("multisampled");

            hdrFbo = glGenFramebuffers();
            hdrTexture = texture(GL_RGBA16F, GL_RGBA, GL_FLOAT);
            glBindFramebuffer(GL_FRAMEBUFFER, hdrFbo);
            glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, hdrTexture, 0);
            check("resolve");

            outFbo = glGenFramebuffers();
            outTexture = texture(GL_RGBA8, GL_RGBA, GL_UNSIGNED_BYTE);
            glBindFramebuffer(GL_FRAMEBUFFER, outFbo);
            glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, outTexture, 0);
            check("output");
            glBindFramebuffer(GL_FRAMEBUFFER, 0);
            readback = MemoryUtil.memAlloc(width * height * 4);
        } catch (RuntimeException | Error e) {
            // the framebuffers made before the failure are freed here: the caller never gets the object
            close();
            throw e;
        }
    }

    private int texture(int internal, int format, int type) {
        int t = glGenTextures();
        glBindTexture(GL_TEXTURE_2D, t);
        glTexImage2D(GL_TEXTURE_2D, 0, internal, width, height, 0, format, type, (ByteBuffer) null);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        return t;
    }

    private void check(String which) {
        int status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
        if (status != GL_FRAMEBUFFER_COMPLETE) {
            int error = glGetError();
            if (error == GL_OUT_OF_MEMORY) {
                throw new LimitExceededException("the GPU has no memory for a " + width + " x " + height + " "
                        + which + " render target");
            }
            throw new IllegalStateException("the " + which + " framebuffer of " + width + " x " + height
                    + " is incomplete (0x" + Integer.toHexString(status) + ")");
        }
    }

    /** Binds the multisampled target for drawing a tile of {@code w} x {@code h} (at most the target's size). */
    void bindForDrawing(int w, int h) {
        glBindFramebuffer(GL_FRAMEBUFFER, msaaFbo);
        glViewport(0, 0, w, h);
    }

    /** Averages the samples into {@link #hdrTexture}. */
    void resolveSamples(int w, int h) {
        glBindFramebuffer(GL_READ_FRAMEBUFFER, msaaFbo);
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, hdrFbo);
        glBlitFramebuffer(0, 0, w, h, 0, 0, w, h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    }

    /** Binds the 8-bit output for the resolve pass. */
    void bindOutput(int w, int h) {
        glBindFramebuffer(GL_FRAMEBUFFER, outFbo);
        glViewport(0, 0, w, h);
    }

    /** Copies the output tile into {@code image} (RGBA, rows from the top) at pixel (x0, y0 from the top). */
    void readInto(byte[] image, int imageWidth, int x0, int y0, int w, int h) {
        glBindFramebuffer(GL_READ_FRAMEBUFFER, outFbo);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        readback.clear();
        glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, readback);
        // GL's rows run from the bottom.
        for (int row = 0; row < h; row++) {
            readback.position(row * w * 4);
            readback.get(image, ((y0 + h - 1 - row) * imageWidth + x0) * 4, w * 4);
        }
        readback.clear();
    }

    @Override
    public void close() {
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        glDeleteFramebuffers(new int[] {msaaFbo, hdrFbo, outFbo});
        glDeleteRenderbuffers(new int[] {msaaColor, msaaDepth});
        glDeleteTextures(new int[] {hdrTexture, outTexture});
        MemoryUtil.memFree(readback);
    }
}
