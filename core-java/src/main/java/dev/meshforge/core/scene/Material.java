// A PBR metallic-roughness material, the scene's common denominator of the formats' materials.
package dev.meshforge.core.scene;

import java.util.Map;

/**
 * A metallic-roughness material (glTF's model). Factors multiply the textures; texture fields index
 * {@link Scene#textures()} or are -1.
 *
 * @param alphaMode   how alpha is used; {@code alphaCutoff} applies to {@link AlphaMode#MASK}
 * @param slots       per texture slot ("baseColorTexture", "metallicRoughnessTexture", "normalTexture",
 *                    "occlusionTexture", "emissiveTexture"): UV set, scale/strength and UV transform, where they
 *                    differ from the defaults; a missing slot means the defaults
 * @param extensions  material extensions the scene does not model (KHR_materials_clearcoat, ...), by name, as
 *                    glTF JSON text; texture indices inside them refer to {@link Scene#textures()}
 */
public record Material(String name, float[] baseColorFactor, float metallicFactor, float roughnessFactor,
                       int baseColorTexture, int metallicRoughnessTexture, int normalTexture,
                       int occlusionTexture, int emissiveTexture, float[] emissiveFactor, boolean doubleSided,
                       AlphaMode alphaMode, float alphaCutoff, Map<String, TextureSlot> slots,
                       Map<String, String> extensions) {

    public Material {
        alphaMode = alphaMode == null ? AlphaMode.OPAQUE : alphaMode;
        slots = slots == null ? Map.of() : Map.copyOf(slots);
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    /** An opaque material without slot details or extensions. */
    public Material(String name, float[] baseColorFactor, float metallicFactor, float roughnessFactor,
                    int baseColorTexture, int metallicRoughnessTexture, int normalTexture,
                    int occlusionTexture, int emissiveTexture, float[] emissiveFactor, boolean doubleSided) {
        this(name, baseColorFactor, metallicFactor, roughnessFactor, baseColorTexture, metallicRoughnessTexture,
                normalTexture, occlusionTexture, emissiveTexture, emissiveFactor, doubleSided, AlphaMode.OPAQUE,
                0.5f, Map.of(), Map.of());
    }

    /** A plain material of the given linear RGBA colour, dielectric and fairly rough. */
    public static Material ofColor(String name, float r, float g, float b, float a) {
        return new Material(name, new float[] {r, g, b, a}, 0f, 0.5f, -1, -1, -1, -1, -1, new float[] {0, 0, 0},
                false);
    }

    /** The slot details of {@code slot}, or the defaults (UV set 0, scale 1, no transform). */
    public TextureSlot slot(String slot) {
        return slots.getOrDefault(slot, TextureSlot.DEFAULT);
    }
}
