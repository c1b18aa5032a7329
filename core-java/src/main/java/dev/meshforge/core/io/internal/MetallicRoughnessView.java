// The materials and textures a writer without specular-glossiness writes: the scene's, with specular-glossiness
// materials converted to metallic-roughness and their glossiness baked into roughness images of their own.
package dev.meshforge.core.io.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Texture;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The scene is left as it is: baked images are appended to a copy of its texture list. A material's
 * specularGlossinessTexture stays connected as its specular colour ({@link #specularTexture}); where its image
 * cannot be decoded, the material is converted by its factors and a warning names the texture left out.
 */
public final class MetallicRoughnessView {
    private final List<Texture> textures;
    private final List<Material> materials = new ArrayList<>();
    private final int[] specular;
    private int[] metallic;
    private int[] roughness;

    private MetallicRoughnessView(Scene scene, String where, Consumer<String> warn) {
        this.textures = new ArrayList<>(scene.textures());
        this.specular = new int[scene.materials().size()];
        for (int i = 0; i < specular.length; i++) {
            Material m = scene.materials().get(i);
            Material converted = SpecularGlossiness.toMetallicRoughness(m);
            JsonNode sg = SpecularGlossiness.extension(m);
            int t = sg == null ? -1 : sg.path("specularGlossinessTexture").path("index").asInt(-1);
            specular[i] = t >= 0 && t < scene.textures().size() ? t : -1;
            if (specular[i] >= 0) {
                float gloss = (float) sg.path("glossinessFactor").asDouble(1.0);
                Texture baked = GlossinessBake.roughness(scene.textures().get(t), gloss);
                if (baked != null) {
                    textures.add(baked);
                    converted = SpecularGlossiness.withRoughnessTexture(converted, textures.size() - 1);
                } else {
                    String name = m.name() == null || m.name().isEmpty() ? "material " + i : "material '"
                            + m.name() + "'";
                    warn.accept(where + " has no specular-glossiness; " + name + " was converted to "
                            + "metallic-roughness by its factors, since its specularGlossinessTexture cannot be "
                            + "decoded to bake its glossiness; the texture is kept as the specular colour only");
                }
            }
            materials.add(converted);
        }
    }

    /**
     * @param where what the warnings begin with: the file and its format ("out.fbx: FBX")
     * @param warn  receives a warning a material whose glossiness could not be baked
     */
    public static MetallicRoughnessView of(Scene scene, String where, Consumer<String> warn) {
        return new MetallicRoughnessView(scene, where, warn);
    }

    /**
     * As {@link #of}, with every packed metallic-roughness texture also split into a grey metallic and a grey
     * roughness image, factors baked in ({@link ChannelImages}), appended to {@link #textures()}; a texture that
     * cannot be decoded is named in a warning and left packed.
     */
    public static MetallicRoughnessView splitting(Scene scene, String where, Consumer<String> warn) {
        MetallicRoughnessView v = new MetallicRoughnessView(scene, where, warn);
        v.split(where, warn);
        return v;
    }

    private void split(String where, Consumer<String> warn) {
        metallic = new int[materials.size()];
        roughness = new int[materials.size()];
        java.util.Map<String, Integer> made = new java.util.HashMap<>();
        for (int i = 0; i < materials.size(); i++) {
            Material m = materials.get(i);
            int t = m.metallicRoughnessTexture();
            metallic[i] = -1;
            roughness[i] = -1;
            if (t < 0 || t >= textures.size()) {
                continue;
            }
            roughness[i] = channel(t, ChannelImages.ROUGHNESS, m.roughnessFactor(), "roughness", made);
            // a metallic factor of 0 is exact without an image
            metallic[i] = m.metallicFactor() == 0f ? -1
                    : channel(t, ChannelImages.METALLIC, m.metallicFactor(), "metallic", made);
            if (roughness[i] < 0 || (m.metallicFactor() != 0f && metallic[i] < 0)) {
                metallic[i] = -1;
                roughness[i] = -1;
                String name = m.name() == null || m.name().isEmpty() ? "material " + i : "material '"
                        + m.name() + "'";
                warn.accept(where + " takes metallic and roughness as separate images; the metallicRoughnessTexture"
                        + " of " + name + " cannot be decoded to split it, so it is connected packed as roughness");
            }
        }
    }

    private int channel(int texture, int channel, float factor, String suffix, java.util.Map<String, Integer> made) {
        String key = texture + "/" + channel + "/" + Float.floatToIntBits(factor);
        Integer known = made.get(key);
        if (known != null) {
            return known;
        }
        Texture t = ChannelImages.channel(textures.get(texture), channel, factor, suffix);
        int index = -1;
        if (t != null) {
            textures.add(t);
            index = textures.size() - 1;
        }
        made.put(key, index);
        return index;
    }

    /** The grey metallic image of material {@code i} ({@link #splitting} only); -1 where none. */
    public int metallicTexture(int i) {
        return metallic == null ? -1 : metallic[i];
    }

    /** The grey roughness image of material {@code i} ({@link #splitting} only); -1 where none. */
    public int roughnessTexture(int i) {
        return roughness == null ? -1 : roughness[i];
    }

    /** The scene's textures, then the baked roughness images. */
    public List<Texture> textures() {
        return textures;
    }

    /** Material {@code i} as metallic-roughness. */
    public Material material(int i) {
        return materials.get(i);
    }

    /** The specular-glossiness texture of material {@code i}, to connect as its specular colour; -1 where none. */
    public int specularTexture(int i) {
        return specular[i];
    }
}
