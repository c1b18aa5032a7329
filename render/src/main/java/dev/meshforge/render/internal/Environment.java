// The lighting of a preset on the GPU: the studio captured into a cube map, its GGX-prefiltered mip chain, its
// diffuse irradiance, and the split-sum DFG table (shared by every preset).
package dev.meshforge.render.internal;

import dev.meshforge.core.BadInputException;
import dev.meshforge.render.Lighting;
import org.lwjgl.stb.STBImage;
import org.lwjgl.system.MemoryStack;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.lwjgl.opengl.GL33C.*;

/** Cube maps for one lighting preset; made once per context and preset, freed with the renderer. */
public final class Environment implements AutoCloseable {
    static final int SOURCE_SIZE = 128;
    static final int PREFILTERED_LEVELS = 6; // 128 down to 4 texels: roughness 0, 0.2, ... 1
    static final int IRRADIANCE_SIZE = 32;
    static final int LUT_SIZE = 128;

    final int source;
    final int prefiltered;
    final int irradiance;

    private Environment(int source, int prefiltered, int irradiance) {
        this.source = source;
        this.prefiltered = prefiltered;
        this.irradiance = irradiance;
    }

    public static float prefilteredMaxLod() {
        return PREFILTERED_LEVELS - 1;
    }

    /** The lighting of a preset, or of an equirectangular Radiance HDR image where {@code panorama} is not null. */
    static Environment build(Lighting lighting, Path panorama, Programs programs) {
        int fbo = glGenFramebuffers();
        int vao = glGenVertexArrays();
        int[] saved = new int[4];
        glGetIntegerv(GL_VIEWPORT, saved);
        try {
            glBindFramebuffer(GL_FRAMEBUFFER, fbo);
            glBindVertexArray(vao);
            glDisable(GL_DEPTH_TEST);
            glDisable(GL_BLEND);
            glDisable(GL_CULL_FACE);
            int source = cube(SOURCE_SIZE, true);
            if (panorama == null) {
                ShaderProgram capture = programs.environmentCapture();
                capture.use();
                StudioPreset.of(lighting).apply(capture);
                drawFaces(capture, source, 0, SOURCE_SIZE);
            } else {
                int image = loadPanorama(panorama);
                try {
                    ShaderProgram capture = programs.equirectCapture();
                    capture.use();
                    glActiveTexture(GL_TEXTURE0);
                    glBindTexture(GL_TEXTURE_2D, image);
                    capture.set("uPanorama", 0);
                    int width = glGetTexLevelParameteri(GL_TEXTURE_2D, 0, GL_TEXTURE_WIDTH);
                    // A cube face spans a quarter of the panorama's width.
                    capture.set("uPanoramaLod", (float) Math.max(0, Math.log(width / (4.0 * SOURCE_SIZE)) / Math.log(2)));
                    drawFaces(capture, source, 0, SOURCE_SIZE);
                } finally {
                    glDeleteTextures(image);
                }
            }
            glBindTexture(GL_TEXTURE_CUBE_MAP, source);
            glGenerateMipmap(GL_TEXTURE_CUBE_MAP);

            int prefiltered = cube(SOURCE_SIZE, true);
            glTexParameteri(GL_TEXTURE_CUBE_MAP, GL_TEXTURE_MAX_LEVEL, PREFILTERED_LEVELS - 1);
            ShaderProgram prefilter = programs.prefilterSpecular();
            prefilter.use();
            bindCube(0, source);
            prefilter.set("uSource", 0);
            prefilter.set("uSourceSize", (float) SOURCE_SIZE);
            prefilter.setUnsigned("uSamples", 64);
            for (int level = 0; level < PREFILTERED_LEVELS; level++) {
                prefilter.set("uRoughness", level / (float) (PREFILTERED_LEVELS - 1));
                drawFaces(prefilter, prefiltered, level, SOURCE_SIZE >> level);
            }

            int irradiance = cube(IRRADIANCE_SIZE, false);
            ShaderProgram diffuse = programs.irradiance();
            diffuse.use();
            bindCube(0, source);
            diffuse.set("uSource", 0);
            diffuse.set("uSourceSize", (float) SOURCE_SIZE);
            diffuse.setUnsigned("uSamples", 128);
            drawFaces(diffuse, irradiance, 0, IRRADIANCE_SIZE);
            return new Environment(source, prefiltered, irradiance);
        } finally {
            glBindFramebuffer(GL_FRAMEBUFFER, 0);
            glBindVertexArray(0);
            glDeleteVertexArrays(vao);
            glDeleteFramebuffers(fbo);
            glViewport(saved[0], saved[1], saved[2], saved[3]);
        }
    }

    /** Decodes a Radiance .hdr file with stb_image into a mipmapped RGB float texture. */
    private static int loadPanorama(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file, "the environment image does not exist");
        }
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer w = stack.mallocInt(1);
            IntBuffer h = stack.mallocInt(1);
            IntBuffer c = stack.mallocInt(1);
            FloatBuffer pixels = STBImage.stbi_loadf(file.toString(), w, h, c, 3);
            if (pixels == null) {
                throw new BadInputException(file, "does not decode as an HDR environment image ("
                        + STBImage.stbi_failure_reason() + ")");
            }
            try {
                int tex = glGenTextures();
                glBindTexture(GL_TEXTURE_2D, tex);
                glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
                glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB32F, w.get(0), h.get(0), 0, GL_RGB, GL_FLOAT, pixels);
                glGenerateMipmap(GL_TEXTURE_2D);
                glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR_MIPMAP_LINEAR);
                glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
                glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_REPEAT);
                glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
                return tex;
            } finally {
                STBImage.stbi_image_free(pixels);
            }
        }
    }

    /** The DFG table: RG16F, x = n.v, y = perceptual roughness. */
    static int buildDfgLut(Programs programs) {
        int fbo = glGenFramebuffers();
        int vao = glGenVertexArrays();
        try {
            int lut = glGenTextures();
            glBindTexture(GL_TEXTURE_2D, lut);
            glTexImage2D(GL_TEXTURE_2D, 0, GL_RG16F, LUT_SIZE, LUT_SIZE, 0, GL_RG, GL_FLOAT, (java.nio.ByteBuffer) null);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
            glBindFramebuffer(GL_FRAMEBUFFER, fbo);
            glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, lut, 0);
            glBindVertexArray(vao);
            glDisable(GL_DEPTH_TEST);
            glDisable(GL_BLEND);
            glViewport(0, 0, LUT_SIZE, LUT_SIZE);
            ShaderProgram p = programs.dfgLut();
            p.use();
            p.set("uLutSize", (float) LUT_SIZE);
            p.setUnsigned("uSamples", 512);
            glDrawArrays(GL_TRIANGLES, 0, 3);
            return lut;
        } finally {
            glBindFramebuffer(GL_FRAMEBUFFER, 0);
            glBindVertexArray(0);
            glDeleteVertexArrays(vao);
            glDeleteFramebuffers(fbo);
        }
    }

    private static int cube(int size, boolean mipmapped) {
        int tex = glGenTextures();
        glBindTexture(GL_TEXTURE_CUBE_MAP, tex);
        for (int level = 0, s = size; s >= 1 && (level == 0 || mipmapped); level++, s >>= 1) {
            for (int face = 0; face < 6; face++) {
                glTexImage2D(GL_TEXTURE_CUBE_MAP_POSITIVE_X + face, level, GL_RGBA16F, s, s, 0, GL_RGBA, GL_FLOAT,
                        (java.nio.ByteBuffer) null);
            }
        }
        glTexParameteri(GL_TEXTURE_CUBE_MAP, GL_TEXTURE_MIN_FILTER, mipmapped ? GL_LINEAR_MIPMAP_LINEAR : GL_LINEAR);
        glTexParameteri(GL_TEXTURE_CUBE_MAP, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_CUBE_MAP, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_CUBE_MAP, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_CUBE_MAP, GL_TEXTURE_WRAP_R, GL_CLAMP_TO_EDGE);
        if (!mipmapped) {
            glTexParameteri(GL_TEXTURE_CUBE_MAP, GL_TEXTURE_MAX_LEVEL, 0);
        }
        return tex;
    }

    private static void drawFaces(ShaderProgram p, int cube, int level, int size) {
        glViewport(0, 0, size, size);
        p.set("uFaceSize", (float) size);
        for (int face = 0; face < 6; face++) {
            glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_CUBE_MAP_POSITIVE_X + face, cube,
                    level);
            p.set("uFace", face);
            glDrawArrays(GL_TRIANGLES, 0, 3);
        }
    }

    static void bindCube(int unit, int cube) {
        glActiveTexture(GL_TEXTURE0 + unit);
        glBindTexture(GL_TEXTURE_CUBE_MAP, cube);
    }

    @Override
    public void close() {
        glDeleteTextures(new int[] {source, prefiltered, irradiance});
    }
}
