// A PBR metallic-roughness material, the scene's common denominator of the formats' materials.
package dev.meshforge.core.scene;

/**
 * A metallic-roughness material (glTF's model). Factors multiply the textures; texture fields index
 * {@link Scene#textures()} or are -1.
 */
public record Material(String name, float[] baseColorFactor, float metallicFactor, float roughnessFactor,
                       int baseColorTexture, int metallicRoughnessTexture, int normalTexture,
                       int occlusionTexture, int emissiveTexture, float[] emissiveFactor, boolean doubleSided) {

    /** A plain material of the given linear RGBA colour, dielectric and fairly rough. */
    public static Material ofColor(String name, float r, float g, float b, float a) {
        return new Material(name, new float[] {r, g, b, a}, 0f, 0.5f, -1, -1, -1, -1, -1, new float[] {0, 0, 0},
                false);
    }
}
