// A decoded base-colour texture sampled the way a glTF viewer samples it: sRGB texels to linear, wrap modes,
// nearest or bilinear filtering. Decoding is stb_image's (through LWJGL), so PNG, JPEG, BMP, TGA, GIF and PSD.
package dev.meshforge.core.ops.internal;

import dev.meshforge.core.scene.Texture;
import org.lwjgl.stb.STBImage;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * RGBA8 texels, top row first (glTF's UV origin is the image's top-left corner). Colour channels are stored as
 * the image encodes them, sRGB, and converted to linear per texel before filtering; alpha is linear already.
 */
public final class BaseColorImage {
    /** Larger images are refused rather than decoded (the RGBA copy alone would take 1 GiB). */
    static final long MAX_PIXELS = 1L << 28;

    private static final int NEAREST = 9728;
    private static final int CLAMP_TO_EDGE = 33071;
    private static final int MIRRORED_REPEAT = 33648;
    private static final float[] SRGB_TO_LINEAR = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            double c = i / 255.0;
            SRGB_TO_LINEAR[i] = (float) (c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
        }
    }

    private final int width;
    private final int height;
    private final byte[] rgba;
    private final Texture.Sampler sampler;

    BaseColorImage(int width, int height, byte[] rgba, Texture.Sampler sampler) {
        if (width < 1 || height < 1 || rgba.length < 4L * width * height) {
            throw new IllegalArgumentException(width + " x " + height + " texels do not fit " + rgba.length
                    + " bytes");
        }
        this.width = width;
        this.height = height;
        this.rgba = rgba;
        this.sampler = sampler == null ? Texture.Sampler.DEFAULT : sampler;
    }

    /** Thrown for a texture that cannot be decoded; the message says why, for a warning. */
    public static final class UndecodableException extends Exception {
        UndecodableException(String message) {
            super(message);
        }
    }

    /** Decodes the texture's encoded bytes. */
    public static BaseColorImage decode(Texture texture) throws UndecodableException {
        byte[] bytes = texture.bytes();
        if (bytes == null || bytes.length == 0) {
            throw new UndecodableException("has no image data (the file was not found or not embedded)");
        }
        int[] w = new int[1];
        int[] h = new int[1];
        int[] channels = new int[1];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment encoded = arena.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, encoded, ValueLayout.JAVA_BYTE, 0, bytes.length);
            ByteBuffer in = encoded.asByteBuffer();
            if (!STBImage.stbi_info_from_memory(in, w, h, channels)) {
                throw new UndecodableException("could not be decoded as " + describe(texture) + ": "
                        + STBImage.stbi_failure_reason());
            }
            if ((long) w[0] * h[0] > MAX_PIXELS) {
                throw new UndecodableException("is " + w[0] + " x " + h[0] + " texels, more than the "
                        + MAX_PIXELS + " repair decodes");
            }
            ByteBuffer pixels = STBImage.stbi_load_from_memory(in, w, h, channels, 4);
            if (pixels == null) {
                throw new UndecodableException("could not be decoded as " + describe(texture) + ": "
                        + STBImage.stbi_failure_reason());
            }
            try {
                byte[] rgba = new byte[4 * w[0] * h[0]];
                pixels.get(0, rgba);
                return new BaseColorImage(w[0], h[0], rgba, texture.sampler());
            } finally {
                STBImage.stbi_image_free(pixels);
            }
        }
    }

    private static String describe(Texture texture) {
        return texture.mimeType() == null || texture.mimeType().isEmpty() ? "an image" : texture.mimeType();
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The linear RGBA colour at (u, v) into {@code out}, with the sampler's wrap modes and magnification filter. */
    public void sample(double u, double v, float[] out) {
        if (!Double.isFinite(u) || !Double.isFinite(v)) {
            u = 0;
            v = 0;
        }
        if (sampler.magFilter() == NEAREST) {
            texel(wrap((long) Math.floor(u * width), width, sampler.wrapS()),
                    wrap((long) Math.floor(v * height), height, sampler.wrapT()), 1f, out, true);
            return;
        }
        double x = u * width - 0.5;
        double y = v * height - 0.5;
        long x0 = (long) Math.floor(x);
        long y0 = (long) Math.floor(y);
        float fx = (float) (x - x0);
        float fy = (float) (y - y0);
        int xa = wrap(x0, width, sampler.wrapS());
        int xb = wrap(x0 + 1, width, sampler.wrapS());
        int ya = wrap(y0, height, sampler.wrapT());
        int yb = wrap(y0 + 1, height, sampler.wrapT());
        texel(xa, ya, (1 - fx) * (1 - fy), out, true);
        texel(xb, ya, fx * (1 - fy), out, false);
        texel(xa, yb, (1 - fx) * fy, out, false);
        texel(xb, yb, fx * fy, out, false);
    }

    private void texel(int x, int y, float weight, float[] out, boolean first) {
        int at = 4 * (y * width + x);
        for (int c = 0; c < 4; c++) {
            int b = rgba[at + c] & 0xFF;
            float value = weight * (c < 3 ? SRGB_TO_LINEAR[b] : b / 255f);
            out[c] = first ? value : out[c] + value;
        }
    }

    /** A texel index in [0, n) for index i under a glTF wrap mode (REPEAT for unknown values). */
    static int wrap(long i, int n, int mode) {
        return switch (mode) {
            case CLAMP_TO_EDGE -> (int) Math.clamp(i, 0, n - 1);
            case MIRRORED_REPEAT -> {
                long m = Math.floorMod(i, 2L * n);
                yield (int) (m < n ? m : 2L * n - 1 - m);
            }
            default -> (int) Math.floorMod(i, (long) n);
        };
    }
}
