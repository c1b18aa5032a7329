// A scene material resolved for drawing: factors, GL textures (or none where they failed), UV sets and transforms,
// and the extensions the renderer honours (KHR_materials_unlit, KHR_materials_emissive_strength).
package dev.meshforge.render.internal;

import dev.meshforge.core.scene.AlphaMode;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.TextureSlot;
import dev.meshforge.core.scene.Topology;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Uniform values of one material; slot order: base colour, metallic-roughness, normal, occlusion, emissive. */
record GpuMaterial(float[] baseColor, float metallic, float roughness, float[] emissive, float normalScale,
                   float occlusionStrength, AlphaMode alphaMode, float alphaCutoff, boolean doubleSided,
                   boolean unlit, boolean facesViewer, int[] textures, int[] texCoords, float[][] uvTransforms) {
    static final String[] SLOTS = {"baseColorTexture", "metallicRoughnessTexture", "normalTexture",
            "occlusionTexture", "emissiveTexture"};
    private static final Pattern STRENGTH = Pattern.compile("\"emissiveStrength\"\\s*:\\s*([-+0-9.eE]+)");
    private static final float[] IDENTITY3 = {1, 0, 0, 0, 1, 0, 0, 0, 1};

    /** Resolves each scene material once; index -1 (no material) is a light grey, double-sided dielectric. */
    static final class Library {
        private final List<Material> materials;
        private final TextureCache textures;
        private final List<String> warnings;
        private final Map<Long, GpuMaterial> resolved = new HashMap<>();

        Library(List<Material> materials, TextureCache textures, List<String> warnings) {
            this.materials = materials;
            this.textures = textures;
            this.warnings = warnings;
        }

        GpuMaterial get(int index, Topology topology) {
            boolean facesViewer = topology != Topology.TRIANGLES;
            long key = (long) index << 1 | (facesViewer ? 1 : 0);
            return resolved.computeIfAbsent(key, k -> resolve(index, facesViewer));
        }

        private GpuMaterial resolve(int index, boolean facesViewer) {
            int[] none = new int[5];
            int[] uv0 = new int[5];
            float[][] identity = {IDENTITY3, IDENTITY3, IDENTITY3, IDENTITY3, IDENTITY3};
            if (index < 0 || index >= materials.size()) {
                if (index >= materials.size()) {
                    warnings.add("a primitive refers to material " + index + ", which the scene does not have; "
                            + "rendered in the default grey");
                }
                // A file without materials (STL, PLY, bare OBJ) reads best as matte light grey from both sides;
                // glTF's own default (white metal, rough) renders nearly black under a studio.
                return new GpuMaterial(new float[] {0.8f, 0.8f, 0.8f, 1}, 0, 0.5f, new float[3], 1, 1,
                        AlphaMode.OPAQUE, 0.5f, true, false, facesViewer, none, uv0, identity);
            }
            Material m = materials.get(index);
            String use = "material " + index + (m.name() == null || m.name().isEmpty() ? "" : " (" + m.name() + ")");
            int[] tex = {
                    textures.get(m.baseColorTexture(), true, use),
                    textures.get(m.metallicRoughnessTexture(), false, use),
                    textures.get(m.normalTexture(), false, use),
                    textures.get(m.occlusionTexture(), false, use),
                    textures.get(m.emissiveTexture(), true, use)};
            int[] texCoords = new int[5];
            float[][] transforms = new float[5][];
            float normalScale = 1;
            float occlusionStrength = 1;
            for (int i = 0; i < 5; i++) {
                TextureSlot slot = m.slot(SLOTS[i]);
                texCoords[i] = slot.texCoord();
                transforms[i] = IDENTITY3;
                if (slot.transform() != null) {
                    TextureSlot.UvTransform t = slot.transform();
                    transforms[i] = uvMatrix(t);
                    if (t.texCoord() >= 0) {
                        texCoords[i] = t.texCoord();
                    }
                }
                if (texCoords[i] > 1) {
                    warnings.add(use + " samples " + SLOTS[i] + " with TEXCOORD_" + texCoords[i]
                            + "; the renderer reads sets 0 and 1 only, so it uses set 0");
                    texCoords[i] = 0;
                }
                if (i == 2) {
                    normalScale = slot.scale();
                } else if (i == 3) {
                    occlusionStrength = slot.scale();
                }
            }
            float strength = 1;
            String ext = m.extensions().get("KHR_materials_emissive_strength");
            if (ext != null) {
                Matcher x = STRENGTH.matcher(ext);
                if (x.find()) {
                    try {
                        strength = Float.parseFloat(x.group(1));
                    } catch (NumberFormatException e) {
                        warnings.add(use + " has an unreadable emissiveStrength; 1 is used");
                    }
                }
            }
            float[] e = m.emissiveFactor() == null ? new float[3] : m.emissiveFactor();
            float[] emissive = {e[0] * strength, e[1] * strength, e[2] * strength};
            float[] base = m.baseColorFactor() == null ? new float[] {1, 1, 1, 1} : m.baseColorFactor();
            return new GpuMaterial(base, m.metallicFactor(), m.roughnessFactor(), emissive, normalScale,
                    occlusionStrength, m.alphaMode(), m.alphaCutoff(), m.doubleSided(),
                    m.extensions().containsKey("KHR_materials_unlit"), facesViewer, tex, texCoords, transforms);
        }
    }

    /** KHR_texture_transform as a 3x3 column-major matrix: translation × rotation × scale. */
    static float[] uvMatrix(TextureSlot.UvTransform t) {
        double c = Math.cos(t.rotation());
        double s = Math.sin(t.rotation());
        // The extension's GLSL: rotation = mat3(c, s, 0, -s, c, 0, 0, 0, 1), column-major.
        return new float[] {
                (float) (c * t.scaleU()), (float) (s * t.scaleU()), 0,
                (float) (-s * t.scaleV()), (float) (c * t.scaleV()), 0,
                t.offsetU(), t.offsetV(), 1};
    }

    /** Sets the material.glsl uniforms and binds textures to units 0..4 ({@code white} where a slot is empty). */
    void apply(ShaderProgram p, int white) {
        p.set("uBaseColorFactor", baseColor[0], baseColor[1], baseColor[2], baseColor.length > 3 ? baseColor[3] : 1);
        p.set("uMetallicFactor", metallic);
        p.set("uRoughnessFactor", roughness);
        p.set("uEmissiveFactor", emissive[0], emissive[1], emissive[2]);
        p.set("uNormalScale", normalScale);
        p.set("uOcclusionStrength", occlusionStrength);
        p.set("uAlphaCutoff", alphaCutoff);
        p.set("uAlphaMode", alphaMode.ordinal());
        p.set("uUnlit", unlit);
        p.set("uFacesViewer", facesViewer);
        for (int i = 0; i < 5; i++) {
            p.set("uHasTexture[" + i + "]", textures[i] != 0);
            p.set("uTexCoord[" + i + "]", texCoords[i]);
            p.setMatrix("uUvTransform[" + i + "]", uvTransforms[i]);
            org.lwjgl.opengl.GL33C.glActiveTexture(org.lwjgl.opengl.GL33C.GL_TEXTURE0 + i);
            org.lwjgl.opengl.GL33C.glBindTexture(org.lwjgl.opengl.GL33C.GL_TEXTURE_2D,
                    textures[i] != 0 ? textures[i] : white);
        }
    }
}
