// Drops the alpha channel of a PNG used by opaque materials only, for targets whose importers read an image's alpha
// channel as transparency (Blender's FBX importer blends any material whose diffuse image has 32 bits a pixel).
package dev.meshforge.core.io.internal;

import org.lwjgl.stb.STBIWriteCallback;
import org.lwjgl.stb.STBImage;
import org.lwjgl.stb.STBImageWrite;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;

public final class OpaquePng {
    private OpaquePng() {
    }

    /** Whether the bytes are a PNG whose colour type carries an alpha channel (grey + alpha, or RGBA). */
    public static boolean hasAlphaChannel(byte[] png) {
        return png != null && png.length > 25 && (png[0] & 0xFF) == 0x89 && png[1] == 'P' && png[2] == 'N'
                && png[3] == 'G' && (png[25] == 4 || png[25] == 6);
    }

    /**
     * The image re-encoded as an RGB PNG (the colour kept, the alpha channel dropped, as an opaque material ignores
     * it), or the bytes unchanged where they are not a PNG with an alpha channel or cannot be decoded.
     */
    public static byte[] withoutAlpha(byte[] png) {
        if (!hasAlphaChannel(png)) {
            return png;
        }
        ByteBuffer in = MemoryUtil.memAlloc(png.length);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            in.put(png).flip();
            IntBuffer w = stack.mallocInt(1);
            IntBuffer h = stack.mallocInt(1);
            IntBuffer channels = stack.mallocInt(1);
            ByteBuffer pixels = STBImage.stbi_load_from_memory(in, w, h, channels, 3);
            if (pixels == null) {
                return png;
            }
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream(png.length);
                try (STBIWriteCallback write = STBIWriteCallback.create((context, data, size) -> {
                    byte[] chunk = new byte[size];
                    MemoryUtil.memByteBuffer(data, size).get(chunk);
                    out.write(chunk, 0, size);
                })) {
                    if (!STBImageWrite.stbi_write_png_to_func(write, 0L, w.get(0), h.get(0), 3, pixels,
                            w.get(0) * 3)) {
                        return png;
                    }
                }
                return out.toByteArray();
            } finally {
                STBImage.stbi_image_free(pixels);
            }
        } finally {
            MemoryUtil.memFree(in);
        }
    }
}
