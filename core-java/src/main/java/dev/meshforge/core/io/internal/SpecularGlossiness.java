// Converts a material kept as KHR_materials_pbrSpecularGlossiness to metallic-roughness, for targets without it.
package dev.meshforge.core.io.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshforge.core.scene.Material;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * By the factors, as glTF-Transform's converter treats a dielectric: the diffuse colour and texture become the base
 * colour, metallic is 0 and roughness is 1 - glossiness. {@link MetallicRoughnessView} bakes a
 * specular-glossiness texture's glossiness into a roughness image ({@link GlossinessBake}).
 */
public final class SpecularGlossiness {
    public static final String EXTENSION = "KHR_materials_pbrSpecularGlossiness";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SpecularGlossiness() {
    }

    /** The material as metallic-roughness where it is specular-glossiness, else itself. */
    public static Material toMetallicRoughness(Material m) {
        JsonNode sg = extension(m);
        if (sg == null) {
            return m;
        }
        float[] base = m.baseColorFactor();
        JsonNode d = sg.path("diffuseFactor");
        if (d.isArray() && d.size() == 4) {
            base = new float[] {(float) d.get(0).asDouble(), (float) d.get(1).asDouble(), (float) d.get(2).asDouble(),
                    (float) d.get(3).asDouble()};
        }
        int texture = m.baseColorTexture();
        if (texture < 0 && sg.path("diffuseTexture").path("index").canConvertToInt()) {
            texture = sg.path("diffuseTexture").path("index").asInt();
        }
        float roughness = 1f - (float) sg.path("glossinessFactor").asDouble(1.0);
        Map<String, String> rest = new LinkedHashMap<>(m.extensions());
        rest.remove(EXTENSION);
        return new Material(m.name(), base, 0f, Math.max(0f, Math.min(1f, roughness)), texture, -1, m.normalTexture(),
                m.occlusionTexture(), m.emissiveTexture(), m.emissiveFactor(), m.doubleSided(), m.alphaMode(),
                m.alphaCutoff(), m.slots(), rest);
    }

    /** The converted material with its glossiness baked into {@code texture}: roughness comes from the image. */
    static Material withRoughnessTexture(Material m, int texture) {
        return new Material(m.name(), m.baseColorFactor(), 0f, 1f, m.baseColorTexture(), texture, m.normalTexture(),
                m.occlusionTexture(), m.emissiveTexture(), m.emissiveFactor(), m.doubleSided(), m.alphaMode(),
                m.alphaCutoff(), m.slots(), m.extensions());
    }

    static JsonNode extension(Material m) {
        String json = m.extensions().get(EXTENSION);
        if (json == null) {
            return null;
        }
        try {
            JsonNode n = MAPPER.readTree(json);
            return n.isObject() ? n : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
