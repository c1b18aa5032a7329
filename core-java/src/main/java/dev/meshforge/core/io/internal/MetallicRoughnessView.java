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
