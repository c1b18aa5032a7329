// Decodes an image (PNG, JPEG, ...) to pixels and encodes pixels as PNG, through stb_image, for writers that
// change an image on its way to a target.
package dev.meshforge.core.io.internal;

import org.lwjgl.stb.STBIWriteCallback;
import org.lwjgl.stb.STBImage;
import org.lwjgl.stb.STBImageWrite;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;

final class PngCodec {
    private PngCodec() {
    }

    /** Pixels, {@code channels} bytes each, rows from the top. */
    record Pixels(int width, int height, int channels, byte[] data) {
    }

    /** The image's pixels with {@code channels} (1 to 4) bytes each, or null where it cannot be decoded. */
    static Pixels decode(byte[] image, int channels) {
        if (image == null || image.length == 0) {
            return null;
        }
        ByteBuffer in = MemoryUtil.memAlloc(image.length);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            in.put(image).flip();
            IntBuffer w = stack.mallocInt(1);
            IntBuffer h = stack.mallocInt(1);
            IntBuffer found = stack.mallocInt(1);
            ByteBuffer pixels = STBImage.stbi_load_from_memory(in, w, h, found, channels);
            if (pixels == null) {
                return null;
            }
            try {
                byte[] data = new byte[w.get(0) * h.get(0) * channels];
                pixels.get(0, data); // absolute: stbi_image_free frees from the buffer's position
                return new Pixels(w.get(0), h.get(0), channels, data);
            } finally {
                STBImage.stbi_image_free(pixels);
            }
        } finally {
            MemoryUtil.memFree(in);
        }
    }

    /** The pixels as a PNG, or null where stb_image_write fails. */
    static byte[] encode(Pixels p) {
        ByteBuffer in = MemoryUtil.memAlloc(Math.max(1, p.data().length));
        try {
            in.put(p.data()).flip();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (STBIWriteCallback write = STBIWriteCallback.create((context, data, size) -> {
                byte[] chunk = new byte[size];
                MemoryUtil.memByteBuffer(data, size).get(chunk);
                out.write(chunk, 0, size);
            })) {
                boolean ok = STBImageWrite.stbi_write_png_to_func(write, 0L, p.width(), p.height(), p.channels(), in,
                        p.width() * p.channels());
                return ok ? out.toByteArray() : null;
            }
        } finally {
            MemoryUtil.memFree(in);
        }
    }
}
