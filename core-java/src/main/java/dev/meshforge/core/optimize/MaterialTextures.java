// The textures a material uses, in its slots and inside its kept extensions, and their renumbering.
package dev.meshforge.core.optimize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshforge.core.scene.Material;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/** Extensions (KHR_materials_clearcoat, ...) hold glTF texture infos: objects under a key ending in "Texture". */
final class MaterialTextures {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MaterialTextures() {
    }

    /** Calls {@code visit} with every texture index the material refers to. */
    static void forEach(Material m, java.util.function.IntConsumer visit) {
        remap(m, i -> {
            visit.accept(i);
            return i;
        });
    }

    /** The material with every texture index {@code i} replaced by {@code map(i)} (-1 removes the reference). */
    static Material remap(Material m, IntUnaryOperator map) {
        Map<String, String> extensions = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : m.extensions().entrySet()) {
            try {
                JsonNode json = MAPPER.readTree(e.getValue());
                remapJson(json, map);
                extensions.put(e.getKey(), MAPPER.writeValueAsString(json));
            } catch (JsonProcessingException ex) {
                extensions.put(e.getKey(), e.getValue()); // not JSON: the writer leaves it out anyway
            }
        }
        return new Material(m.name(), m.baseColorFactor(), m.metallicFactor(), m.roughnessFactor(),
                index(m.baseColorTexture(), map), index(m.metallicRoughnessTexture(), map),
                index(m.normalTexture(), map), index(m.occlusionTexture(), map), index(m.emissiveTexture(), map),
                m.emissiveFactor(), m.doubleSided(), m.alphaMode(), m.alphaCutoff(), m.slots(), extensions);
    }

    private static int index(int i, IntUnaryOperator map) {
        return i < 0 ? i : map.applyAsInt(i);
    }

    private static void remapJson(JsonNode n, IntUnaryOperator map) {
        if (!(n instanceof ObjectNode o)) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            JsonNode v = e.getValue();
            if (e.getKey().endsWith("Texture") && v instanceof ObjectNode info && info.has("index")) {
                info.put("index", map.applyAsInt(info.get("index").asInt()));
            } else {
                remapJson(v, map);
            }
        }
    }
}
