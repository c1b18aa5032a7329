// The textures a material uses, in its slots and inside its kept extensions, and their renumbering.
package dev.meshforge.core.optimize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.TextureSlot;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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

    /**
     * The UV sets ({@code TEXCOORD_n}) the material's textures read: each slot's set (or its texture transform's
     * override), and each extension texture info's {@code texCoord}. Texture indices of {@code textures} or more
     * refer to nothing and read nothing.
     */
    static Set<Integer> texCoordSets(Material m, int textures) {
        Set<Integer> sets = new TreeSet<>();
        String[] slots = {"baseColorTexture", "metallicRoughnessTexture", "normalTexture", "occlusionTexture",
                "emissiveTexture"};
        int[] indices = {m.baseColorTexture(), m.metallicRoughnessTexture(), m.normalTexture(),
                m.occlusionTexture(), m.emissiveTexture()};
        for (int k = 0; k < slots.length; k++) {
            if (indices[k] >= 0 && indices[k] < textures) {
                TextureSlot slot = m.slot(slots[k]);
                sets.add(slot.transform() != null && slot.transform().texCoord() >= 0 ? slot.transform().texCoord()
                        : slot.texCoord());
            }
        }
        for (String e : m.extensions().values()) {
            try {
                extensionTexCoords(MAPPER.readTree(e), textures, sets);
            } catch (JsonProcessingException ex) {
                // not JSON: the writer leaves it out, it reads nothing
            }
        }
        return sets;
    }

    private static void extensionTexCoords(JsonNode n, int textures, Set<Integer> sets) {
        if (!(n instanceof ObjectNode o)) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            JsonNode v = e.getValue();
            if (e.getKey().endsWith("Texture") && v instanceof ObjectNode info && info.has("index")) {
                int t = info.get("index").asInt(-1);
                if (t >= 0 && t < textures) {
                    JsonNode override = info.path("extensions").path("KHR_texture_transform").path("texCoord");
                    sets.add(override.isInt() ? override.asInt() : info.path("texCoord").asInt(0));
                }
            } else {
                extensionTexCoords(v, textures, sets);
            }
        }
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
