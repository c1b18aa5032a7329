// Decodes an image (PNG, JPEG, ...) to pixels and encodes pixels as PNG, through stb_image, for writers and optimize
// steps that change an image on its way to a target.
package dev.meshforge.core.io.internal;

import org.lwjgl.stb.STBIWriteCallback;
import org.lwjgl.stb.STBImage;
import org.lwjgl.stb.STBImageWrite;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;

public final class PngCodec {
    private PngCodec() {
    }

    /** Pixels, {@code channels} bytes each, rows from the top. */
    public record Pixels(int width, int height, int channels, byte[] data) {
    }

    /** What is done with an encoded image copied into native memory, given three ints for stb to fill. */
    public interface InMemory<T> {
        T apply(ByteBuffer image, IntBuffer width, IntBuffer height, IntBuffer channels);
    }

    /**
     * {@code use} applied to the image copied into native memory (freed afterwards) with three ints on the stack for
     * stb_image's width, height and channels; {@code none} for a null or empty image.
     */
    public static <T> T inMemory(byte[] image, T none, InMemory<T> use) {
        if (image == null || image.length == 0) {
            return none;
        }
        ByteBuffer in = MemoryUtil.memAlloc(image.length);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            in.put(image).flip();
            return use.apply(in, stack.mallocInt(1), stack.mallocInt(1), stack.mallocInt(1));
        } finally {
            MemoryUtil.memFree(in);
        }
    }

    /** The channels the image holds (1 grey, 2 grey and alpha, 3 RGB, 4 RGBA), or 0 where it cannot be decoded. */
    public static int channels(byte[] image) {
        return inMemory(image, 0, (in, w, h, found) -> STBImage.stbi_info_from_memory(in, w, h, found)
                ? found.get(0) : 0);
    }

    /** The image's pixels with {@code channels} (1 to 4) bytes each, or null where it cannot be decoded. */
    public static Pixels decode(byte[] image, int channels) {
        return inMemory(image, null, (in, w, h, found) -> {
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
        });
    }

    /** The pixels as a PNG, or null where stb_image_write fails. */
    public static byte[] encode(Pixels p) {
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
