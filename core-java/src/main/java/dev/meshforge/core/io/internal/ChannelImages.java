// Splits a packed metallic-roughness image into one grey image per channel, for targets whose materials take
// metallic and roughness as separate images, and packs such images back into one for the scene.
package dev.meshforge.core.io.internal;

import dev.meshforge.core.scene.Texture;

/**
 * glTF packs roughness in the green and metallic in the blue channel of one image, each multiplied by the
 * material's factor; FBX (Blender, 3ds Max, Maya) and most DCC materials take a grey image per value, which replaces
 * the value. Pixels are baked one by one: a split image holds channel x factor, a packed image holds each grey
 * image's value in its channel (red is left at 255).
 */
public final class ChannelImages {
    /** glTF's channels: green roughness, blue metallic. */
    public static final int ROUGHNESS = 1;
    public static final int METALLIC = 2;

    private ChannelImages() {
    }

    /**
     * A grey PNG of {@code packed}'s {@code channel} times {@code factor}, named after it with {@code suffix}, or
     * null where its image cannot be decoded (KTX2, say).
     */
    public static Texture channel(Texture packed, int channel, float factor, String suffix) {
        PngCodec.Pixels p = PngCodec.decode(packed.bytes(), 4);
        if (p == null) {
            return null;
        }
        int n = p.width() * p.height();
        byte[] grey = new byte[n];
        float f = Math.max(0f, Math.min(1f, factor));
        for (int i = 0; i < n; i++) {
            grey[i] = (byte) Math.round((p.data()[4 * i + channel] & 0xFF) * f);
        }
        byte[] png = PngCodec.encode(new PngCodec.Pixels(p.width(), p.height(), 1, grey));
        return png == null ? null : new Texture(stem(packed.name()) + "_" + suffix, "image/png", png,
                packed.sampler());
    }

    /**
     * One metallic-roughness PNG: green from {@code roughness}'s grey value (or {@code roughnessValue} where it is
     * null), blue from {@code metallic}'s (or {@code metallicValue}); the larger image's size, the other sampled at
     * the nearest pixel. Null where a given image cannot be decoded or neither is given.
     */
    public static Texture pack(Texture roughness, float roughnessValue, Texture metallic, float metallicValue) {
        PngCodec.Pixels r = roughness == null ? null : PngCodec.decode(roughness.bytes(), 1);
        PngCodec.Pixels m = metallic == null ? null : PngCodec.decode(metallic.bytes(), 1);
        if ((roughness != null && r == null) || (metallic != null && m == null) || (r == null && m == null)) {
            return null;
        }
        int w = Math.max(r == null ? 0 : r.width(), m == null ? 0 : m.width());
        int h = Math.max(r == null ? 0 : r.height(), m == null ? 0 : m.height());
        byte rv = (byte) Math.round(255f * Math.max(0f, Math.min(1f, roughnessValue)));
        byte mv = (byte) Math.round(255f * Math.max(0f, Math.min(1f, metallicValue)));
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = 3 * (y * w + x);
                rgb[i] = (byte) 255;
                rgb[i + 1] = r == null ? rv : sample(r, x, y, w, h);
                rgb[i + 2] = m == null ? mv : sample(m, x, y, w, h);
            }
        }
        byte[] png = PngCodec.encode(new PngCodec.Pixels(w, h, 3, rgb));
        Texture named = roughness != null ? roughness : metallic;
        return png == null ? null : new Texture(stem(named.name()) + "_metallicRoughness", "image/png", png,
                named.sampler());
    }

    private static byte sample(PngCodec.Pixels p, int x, int y, int w, int h) {
        int sx = Math.min(p.width() - 1, x * p.width() / w);
        int sy = Math.min(p.height() - 1, y * p.height() / h);
        return p.data()[sy * p.width() + sx];
    }

    /** The name without its folder and image extension; "texture" where there is none. */
    private static String stem(String name) {
        if (name == null || name.isEmpty()) {
            return "texture";
        }
        String base = name.substring(name.replace('\\', '/').lastIndexOf('/') + 1);
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }
}
