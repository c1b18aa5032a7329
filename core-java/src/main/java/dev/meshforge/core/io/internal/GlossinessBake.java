// Bakes a specular-glossiness texture's glossiness into a metallic-roughness image, pixel by pixel, for writers
// whose target has no specular-glossiness.
package dev.meshforge.core.io.internal;

import dev.meshforge.core.scene.Texture;

/**
 * As glTF-Transform's metalRough converter does: roughness is one minus the glossiness (the texture's alpha times
 * the glossiness factor), metallic is 0. The image holds roughness in red and green (glTF reads green; importers
 * that take a colour as a value, such as Blender's FBX importer, see nearly the same grey) and 0 in blue.
 */
final class GlossinessBake {
    private GlossinessBake() {
    }

    /**
     * A PNG metallic-roughness texture for {@code specularGlossiness} at {@code glossinessFactor}, or null where its
     * image cannot be decoded (KTX2, say).
     */
    static Texture roughness(Texture specularGlossiness, float glossinessFactor) {
        PngCodec.Pixels sg = PngCodec.decode(specularGlossiness.bytes(), 4);
        if (sg == null) {
            return null;
        }
        int n = sg.width() * sg.height();
        byte[] rgb = new byte[n * 3];
        for (int i = 0; i < n; i++) {
            float gloss = glossinessFactor * (sg.data()[4 * i + 3] & 0xFF) / 255f;
            byte rough = (byte) Math.round(255f * Math.max(0f, Math.min(1f, 1f - gloss)));
            rgb[3 * i] = rough;
            rgb[3 * i + 1] = rough;
        }
        byte[] png = PngCodec.encode(new PngCodec.Pixels(sg.width(), sg.height(), 3, rgb));
        String name = (specularGlossiness.name() == null ? "texture" : specularGlossiness.name()) + "_roughness";
        return png == null ? null : new Texture(name, "image/png", png, specularGlossiness.sampler());
    }
}
