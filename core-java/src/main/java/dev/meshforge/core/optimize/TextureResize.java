// Optimize step: textures larger than a maximum size are scaled down and re-encoded (PNG or JPEG, with stb).
package dev.meshforge.core.optimize;

import dev.meshforge.core.io.internal.PngCodec;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Texture;
import org.lwjgl.stb.STBIWriteCallback;
import org.lwjgl.stb.STBImage;
import org.lwjgl.stb.STBImageResize;
import org.lwjgl.stb.STBImageWrite;
import org.lwjgl.system.MemoryUtil;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A PNG or JPEG whose larger side exceeds the maximum is decoded (stb_image), scaled to fit with its aspect ratio
 * (stb_image_resize2; colour textures in sRGB, the others linear) and encoded again in its own format (stb_image_write:
 * PNG, or JPEG at the given quality). An image that does not decode, that is in another format (KTX2, WebP) or
 * that cannot be encoded is kept as it was, with a warning; so is one whose new encoding would be larger.
 */
public final class TextureResize {
    /** One texture's image before and after. */
    public record Result(String texture, String mimeType, int width, int height, int newWidth, int newHeight,
                         long bytes, long newBytes) {
    }

    private TextureResize() {
    }

    /**
     * @param maxSize     the largest side kept, in pixels (0: no resizing)
     * @param jpegQuality 1 to 100
     * @param srgb        per texture of the scene, whether it holds colour (base colour, emissive)
     * @param warnings    receives one sentence for each image kept as it was because it could not be handled
     */
    public static List<Result> run(Scene scene, int maxSize, int jpegQuality, boolean[] srgb, List<String> warnings) {
        List<Result> results = new ArrayList<>();
        Map<byte[], byte[]> done = new IdentityHashMap<>();
        List<Texture> textures = scene.textures();
        for (int i = 0; i < textures.size(); i++) {
            Texture t = textures.get(i);
            String name = Dedup.name(t.name(), i);
            String mime = t.mimeType() == null ? "" : t.mimeType().toLowerCase(Locale.ROOT);
            if (maxSize <= 0 || t.bytes() == null || t.bytes().length == 0) {
                continue;
            }
            if (!mime.equals("image/png") && !mime.equals("image/jpeg")) {
                warnings.add("texture " + name + " (" + (mime.isEmpty() ? "no type" : mime)
                        + ") was kept as it was: only PNG and JPEG are resized");
                continue;
            }
            byte[] out = done.get(t.bytes());
            int[] size = new int[4];
            if (out == null) {
                try {
                    out = resize(t.bytes(), mime.equals("image/png"), maxSize, jpegQuality, i < srgb.length && srgb[i],
                            size);
                } catch (IllegalStateException e) {
                    warnings.add("texture " + name + " was kept as it was: " + e.getMessage());
                    continue;
                }
                done.put(t.bytes(), out);
                results.add(new Result(name, mime, size[0], size[1], size[2], size[3], t.bytes().length, out.length));
            }
            textures.set(i, new Texture(t.name(), t.mimeType(), out, t.sampler()));
        }
        return results;
    }

    /** The image scaled to fit {@code maxSize} and re-encoded, or the bytes themselves when already small enough. */
    private static byte[] resize(byte[] image, boolean png, int maxSize, int quality, boolean srgb, int[] size) {
        return PngCodec.inMemory(image, image, (in, w, h, channels) -> {
            if (!STBImage.stbi_info_from_memory(in, w, h, channels)) {
                throw new IllegalStateException("it does not decode (" + STBImage.stbi_failure_reason() + ")");
            }
            int width = w.get(0);
            int height = h.get(0);
            size[0] = size[2] = width;
            size[1] = size[3] = height;
            if (Math.max(width, height) <= maxSize) {
                return image;
            }
            int comp = channels.get(0);
            ByteBuffer pixels = STBImage.stbi_load_from_memory(in, w, h, channels, comp);
            if (pixels == null) {
                throw new IllegalStateException("it does not decode (" + STBImage.stbi_failure_reason() + ")");
            }
            double k = (double) maxSize / Math.max(width, height);
            int nw = Math.max(1, (int) Math.round(width * k));
            int nh = Math.max(1, (int) Math.round(height * k));
            ByteBuffer scaled = MemoryUtil.memAlloc(nw * nh * comp);
            try {
                // Layouts 1..4 are stb's STBIR_1CHANNEL, 2CHANNEL, RGB and RGBA.
                ByteBuffer r = srgb
                        ? STBImageResize.stbir_resize_uint8_srgb(pixels, width, height, 0, scaled, nw, nh, 0, comp)
                        : STBImageResize.stbir_resize_uint8_linear(pixels, width, height, 0, scaled, nw, nh, 0, comp);
                if (r == null) {
                    throw new IllegalStateException("it could not be resized");
                }
                size[2] = nw;
                size[3] = nh;
                byte[] encoded = encode(scaled, nw, nh, comp, png, quality);
                if (encoded == null) {
                    throw new IllegalStateException("it could not be encoded again as " + (png ? "PNG" : "JPEG"));
                }
                if (encoded.length >= image.length) {
                    size[2] = width;
                    size[3] = height;
                    return image;
                }
                return encoded;
            } finally {
                MemoryUtil.memFree(scaled);
                STBImage.stbi_image_free(pixels);
            }
        });
    }

    private static byte[] encode(ByteBuffer pixels, int w, int h, int comp, boolean png, int quality) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (STBIWriteCallback write = STBIWriteCallback.create((context, data, length) ->
                sink.writeBytes(copy(STBIWriteCallback.getData(data, length))))) {
            boolean ok = png ? STBImageWrite.stbi_write_png_to_func(write, 0L, w, h, comp, pixels, w * comp)
                    : STBImageWrite.stbi_write_jpg_to_func(write, 0L, w, h, comp, pixels, quality) != 0;
            return ok ? sink.toByteArray() : null;
        }
    }

    private static byte[] copy(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }
}
