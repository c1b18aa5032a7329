// How a material samples one of its textures: which UV set, a scale, an optional UV transform.
package dev.meshforge.core.scene;

/**
 * @param texCoord  the TEXCOORD_n set the texture is sampled with
 * @param scale     the normal map's scale or the occlusion map's strength; 1 elsewhere
 * @param transform a UV transform (glTF's KHR_texture_transform), or null
 */
public record TextureSlot(int texCoord, float scale, UvTransform transform) {
    public static final TextureSlot DEFAULT = new TextureSlot(0, 1f, null);

    /**
     * UV offset, rotation (radians, counter-clockwise) and scale, applied as scale, then rotation, then
     * offset; {@code texCoord} overrides the slot's UV set when it is not -1.
     */
    public record UvTransform(float offsetU, float offsetV, float rotation, float scaleU, float scaleV,
                              int texCoord) {
    }
}
