// Which UV sets the glTF writer quantizes onto a per-material grid, undone by the material's KHR_texture_transform.
package dev.meshforge.core.io.gltf;

import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.VertexAttribute;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A UV set gets a grid (see {@link VertexQuantizer.UvGrid}) when a material's textures read it and nothing else
 * could: every texture the material reads through that set is one of the five core slots without a texture
 * transform of its own, and the material has no extension textures. The grid spans that set's UVs in every
 * primitive written with the material, so one transform on the material serves them all. Other UV sets keep the
 * plain [0, 1] quantization (or float, outside it).
 */
final class TexCoordGrids {
    static final String[] SLOTS = {"baseColorTexture", "metallicRoughnessTexture", "normalTexture",
            "occlusionTexture", "emissiveTexture"};

    private TexCoordGrids() {
    }

    /** Material index -> UV set -> grid, over the primitives of {@code meshes}. */
    static Map<Integer, Map<Integer, VertexQuantizer.UvGrid>> of(List<Material> materials, int textures,
                                                                 Iterable<Mesh> meshes, int bits) {
        Map<Integer, Map<Integer, VertexQuantizer.UvGrid>> grids = new HashMap<>();
        if (bits <= 0 || bits > 16) {
            return grids;
        }
        Map<Integer, Map<Integer, List<VertexAttribute>>> sets = new HashMap<>();
        Set<Mesh> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Mesh mesh : meshes) {
            if (!seen.add(mesh)) {
                continue;
            }
            for (Primitive p : mesh.primitives()) {
                int i = p.material();
                if (i < 0 || i >= materials.size() || lacksTexCoords(p, materials.get(i), textures)) {
                    continue;
                }
                for (int set : readSets(materials.get(i), textures)) {
                    VertexAttribute uv = p.attribute("TEXCOORD_" + set);
                    if (uv != null && uv.components() == 2) {
                        sets.computeIfAbsent(i, k -> new HashMap<>()).computeIfAbsent(set, k -> new ArrayList<>())
                                .add(uv);
                    }
                }
            }
        }
        sets.forEach((material, bySet) -> bySet.forEach((set, uvs) -> {
            VertexQuantizer.UvGrid g = VertexQuantizer.uvGrid(uvs, bits);
            if (g != null) {
                grids.computeIfAbsent(material, k -> new HashMap<>()).put(set, g);
            }
        }));
        return grids;
    }

    /** The UV sets a material's textures read, or none when some texture could not take a grid's transform. */
    private static Set<Integer> readSets(Material m, int textures) {
        Set<Integer> sets = new HashSet<>();
        for (String ext : m.extensions().values()) {
            if (ext.contains("Texture\"")) {
                return Set.of();
            }
        }
        for (String slot : SLOTS) {
            if (texture(m, slot) >= 0 && texture(m, slot) < textures) {
                if (m.slot(slot).transform() != null) {
                    return Set.of();
                }
                sets.add(m.slot(slot).texCoord());
            }
        }
        return sets;
    }

    static int texture(Material m, String slot) {
        return switch (slot) {
            case "baseColorTexture" -> m.baseColorTexture();
            case "metallicRoughnessTexture" -> m.metallicRoughnessTexture();
            case "normalTexture" -> m.normalTexture();
            case "occlusionTexture" -> m.occlusionTexture();
            case "emissiveTexture" -> m.emissiveTexture();
            default -> -1;
        };
    }

    /**
     * Whether a primitive lacks a UV set its material's textures read (glTF forbids that; the writer gives it a copy
     * of the material without textures).
     */
    static boolean lacksTexCoords(Primitive p, Material m, int textures) {
        for (String slot : SLOTS) {
            int t = texture(m, slot);
            if (t >= 0 && t < textures && p.attribute("TEXCOORD_" + m.slot(slot).texCoord()) == null) {
                return true;
            }
        }
        if (p.attribute("TEXCOORD_0") == null) {
            for (String ext : m.extensions().values()) {
                if (ext.contains("Texture\"")) {
                    return true;
                }
            }
        }
        return false;
    }
}
