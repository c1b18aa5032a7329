// Scene textures decoded by stb_image and uploaded once per colour space; one that does not decode is left out
// with a warning, and its material renders with the factor alone.
package dev.meshforge.render.internal;

import dev.meshforge.core.scene.Texture;
import org.lwjgl.stb.STBImage;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.lwjgl.opengl.GL33C.*;

/** GL textures of a scene's images, keyed by texture index and colour space. */
final class TextureCache implements AutoCloseable {
    private final List<Texture> textures;
    private final List<String> warnings;
    private final Map<Long, Integer> uploaded = new HashMap<>();

    TextureCache(List<Texture> textures, List<String> warnings) {
        this.textures = textures;
        this.warnings = warnings;
    }

    /**
     * The GL texture of scene texture {@code index} (sRGB-decoding for colour data), or 0 where there is none or it
     * does not decode; {@code use} names the slot and material for the warning.
     */
    int get(int index, boolean srgb, String use) {
        if (index < 0) {
            return 0;
        }
        long key = (long) index << 1 | (srgb ? 1 : 0);
        Integer id = uploaded.get(key);
        if (id == null) {
            id = upload(index, srgb, use);
            uploaded.put(key, id);
        }
        return id;
    }

    private int upload(int index, boolean srgb, String use) {
        if (index >= textures.size()) {
            warnings.add(use + " refers to texture " + index + ", which the scene does not have; rendered with the "
                    + "factor alone");
            return 0;
        }
        Texture t = textures.get(index);
        String name = t.name() == null || t.name().isEmpty() ? "texture " + index : "texture " + index + " ("
                + t.name() + ")";
        if (t.bytes() == null || t.bytes().length == 0) {
            warnings.add(name + " of " + use + " has no image data (the file was not found); rendered with the "
                    + "factor alone");
            return 0;
        }
        ByteBuffer encoded = MemoryUtil.memAlloc(t.bytes().length);
        ByteBuffer pixels = null;
        try (MemoryStack stack = MemoryStack.stackPush()) {
            encoded.put(t.bytes()).flip();
            IntBuffer w = stack.mallocInt(1);
            IntBuffer h = stack.mallocInt(1);
            IntBuffer c = stack.mallocInt(1);
            pixels = STBImage.stbi_load_from_memory(encoded, w, h, c, 4);
            if (pixels == null) {
                warnings.add(name + " of " + use + " does not decode as an image (" + t.mimeType() + ": "
                        + STBImage.stbi_failure_reason() + "); rendered with the factor alone");
                return 0;
            }
            int id = glGenTextures();
            glBindTexture(GL_TEXTURE_2D, id);
            glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
            glTexImage2D(GL_TEXTURE_2D, 0, srgb ? GL_SRGB8_ALPHA8 : GL_RGBA8, w.get(0), h.get(0), 0, GL_RGBA,
                    GL_UNSIGNED_BYTE, pixels);
            glGenerateMipmap(GL_TEXTURE_2D);
            Texture.Sampler s = t.sampler();
            int mag = s.magFilter() == GL_NEAREST ? GL_NEAREST : GL_LINEAR;
            int min = switch (s.minFilter()) {
                case GL_NEAREST, GL_LINEAR, GL_NEAREST_MIPMAP_NEAREST, GL_LINEAR_MIPMAP_NEAREST,
                     GL_NEAREST_MIPMAP_LINEAR -> s.minFilter();
                default -> GL_LINEAR_MIPMAP_LINEAR;
            };
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, mag);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, min);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, wrap(s.wrapS()));
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, wrap(s.wrapT()));
            return id;
        } finally {
            MemoryUtil.memFree(encoded);
            if (pixels != null) {
                STBImage.stbi_image_free(pixels);
            }
        }
    }

    private static int wrap(int glTf) {
        return glTf == GL_CLAMP_TO_EDGE || glTf == GL_MIRRORED_REPEAT ? glTf : GL_REPEAT;
    }

    @Override
    public void close() {
        for (int id : uploaded.values()) {
            if (id != 0) {
                glDeleteTextures(id);
            }
        }
        uploaded.clear();
    }
}
