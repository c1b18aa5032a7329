// Turns the MTL definitions an OBJ uses into scene materials, loading each referenced texture file once.
package dev.meshforge.core.io.obj;

import dev.meshforge.core.io.internal.ChannelImages;
import dev.meshforge.core.io.internal.CompanionFolder;
import dev.meshforge.core.scene.AlphaMode;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Texture;
import dev.meshforge.core.scene.TextureSlot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The mapping from MTL to the metallic-roughness model: Kd and map_Kd give the base colour, d (or 1 - Tr) its
 * alpha (BLEND below 1), Pm/Pr metallic and roughness (roughness from Ns as sqrt(2 / (Ns + 2)) where Pr is
 * absent), Ke/map_Ke emission (KHR_materials_emissive_strength above 1), norm/map_Bump/bump the normal map with
 * -bm as its scale, map_Pr + map_Pm naming one file (or map_RMA/map_ORM) the metallic-roughness texture, separate
 * grey map_Pr / map_Pm images (each replacing its value) packed into one, Pc/Pcr KHR_materials_clearcoat; -s and -o
 * become a UV transform, -clamp on clamps. Textures are loaded as bytes, decoded only to pack separate grey images;
 * the MIME type comes from the first bytes. What cannot be expressed is named in a warning.
 */
final class ObjMaterials {
    private final Scene scene;
    private final CompanionFolder companions;
    private final Map<Path, Integer> textureByFile = new HashMap<>();
    private final Map<String, Integer> missingByName = new HashMap<>();

    /** @param companions the folder texture files must lie in */
    ObjMaterials(Scene scene, CompanionFolder companions) {
        this.scene = scene;
        this.companions = companions;
    }

    /** A placeholder for a name used by usemtl that no MTL defines: a plain grey material of that name. */
    static Material placeholder(String name) {
        return Material.ofColor(name, 0.8f, 0.8f, 0.8f, 1f);
    }

    Material convert(MtlLibrary.Def d) {
        List<String> lost = new ArrayList<>();
        Map<String, TextureSlot> slots = new LinkedHashMap<>();
        Map<String, String> ext = new LinkedHashMap<>();
        MtlLibrary.MapRef kdMap = d.maps.get("map_kd");
        int base = texture(d, kdMap, "baseColorTexture", slots);
        float[] kd = d.kd != null ? d.kd : base >= 0 ? new float[] {1, 1, 1} : new float[] {0.8f, 0.8f, 0.8f};
        float alpha = 1f;
        if (!Float.isNaN(d.d)) {
            alpha = d.d;
        } else if (!Float.isNaN(d.tr)) {
            if (d.tr >= 1f) {
                // Some exporters (MeshLab among them) write "Tr 1" for opaque; an invisible material is never meant.
                scene.warn(d.source + ": material '" + d.name + "' has Tr " + d.tr + " and no d; read as opaque");
            } else {
                alpha = 1f - d.tr;
            }
        }
        alpha = clamp01(alpha);
        MtlLibrary.MapRef dMap = d.maps.get("map_d");
        if (dMap != null && (kdMap == null || !samePath(dMap, kdMap))) {
            lost.add("map_d (a separate opacity texture; glTF takes alpha from the base colour texture)");
        }
        AlphaMode mode = alpha < 1f || dMap != null ? AlphaMode.BLEND : AlphaMode.OPAQUE;
        float metallic = Float.isNaN(d.pm) ? 0f : clamp01(d.pm);
        float roughness = !Float.isNaN(d.pr) ? clamp01(d.pr)
                : Float.isNaN(d.ns) ? 1f : clamp01((float) Math.sqrt(2.0 / (Math.max(0f, d.ns) + 2.0)));
        MtlLibrary.MapRef normalMap = d.maps.containsKey("norm") ? d.maps.get("norm") : d.maps.get("map_bump");
        int normal = texture(d, normalMap, "normalTexture", slots);
        int emissive = texture(d, d.maps.get("map_ke"), "emissiveTexture", slots);
        float[] ke = d.ke != null ? d.ke.clone() : emissive >= 0 ? new float[] {1, 1, 1} : new float[] {0, 0, 0};
        float strongest = Math.max(ke[0], Math.max(ke[1], ke[2]));
        if (strongest > 1f) {
            for (int i = 0; i < 3; i++) {
                ke[i] /= strongest;
            }
            ext.put("KHR_materials_emissive_strength", "{\"emissiveStrength\":" + strongest + "}");
        }
        int mr = -1;
        boolean baked = false;
        int occlusion = -1;
        MtlLibrary.MapRef orm = d.maps.containsKey("map_orm") ? d.maps.get("map_orm") : d.maps.get("map_rma");
        MtlLibrary.MapRef pr = d.maps.get("map_pr");
        MtlLibrary.MapRef pm = d.maps.get("map_pm");
        if (orm != null) {
            mr = texture(d, orm, "metallicRoughnessTexture", slots);
            if (d.maps.containsKey("map_orm")) {
                occlusion = mr;
            }
        } else if (pr != null && pm != null && samePath(pr, pm)) {
            mr = texture(d, pr, "metallicRoughnessTexture", slots);
        } else if (pr != null || pm != null) {
            // separate grey images, each replacing its value (as Blender and meshforge write them): packed as glTF
            // packs them; the grey images are read only for the
            // packs, so that they do not become scene textures no material uses
            Texture packed = ChannelImages.pack(loose(d, pr), roughness, loose(d, pm), metallic);
            if (packed != null) {
                scene.textures().add(packed);
                mr = scene.textures().size() - 1;
                baked = true;
                TextureSlot s = slotOf(pr != null ? pr : pm, "metallicRoughnessTexture");
                if (s != null) {
                    slots.put("metallicRoughnessTexture", s);
                }
            } else {
                lost.add((pr != null ? "map_Pr" : "") + (pr != null && pm != null ? " and " : "")
                        + (pm != null ? "map_Pm" : "") + " (separate roughness/metallic images that cannot be "
                        + "decoded to pack them in one texture as glTF needs)");
            }
        }
        if (occlusion < 0 && d.maps.containsKey("map_ao")) {
            occlusion = texture(d, d.maps.get("map_ao"), "occlusionTexture", slots);
        }
        if (baked) {
            // the packed image holds the values
            metallic = 1f;
            roughness = 1f;
        } else if (mr >= 0) {
            metallic = Float.isNaN(d.pm) ? 1f : metallic;
            roughness = Float.isNaN(d.pr) ? 1f : roughness;
        }
        if (!Float.isNaN(d.pc) && d.pc > 0) {
            ext.put("KHR_materials_clearcoat", "{\"clearcoatFactor\":" + clamp01(d.pc)
                    + ",\"clearcoatRoughnessFactor\":" + (Float.isNaN(d.pcr) ? 0f : clamp01(d.pcr)) + "}");
        }
        for (String k : List.of("map_ka", "map_ks", "map_ns", "map_ps", "disp", "decal", "refl")) {
            if (d.maps.containsKey(k)) {
                lost.add(k);
            }
        }
        if (!lost.isEmpty()) {
            scene.warn(d.source + ": material '" + d.name + "': not expressible in a metallic-roughness material, "
                    + "left out: " + String.join(", ", lost));
        }
        return new Material(d.name, new float[] {clamp01(kd[0]), clamp01(kd[1]), clamp01(kd[2]), alpha}, metallic,
                roughness, base, mr, normal, occlusion, emissive, ke, false, mode, 0.5f, slots, ext);
    }

    private static float clamp01(float v) {
        return Float.isNaN(v) ? 0f : Math.max(0f, Math.min(1f, v));
    }

    private static boolean samePath(MtlLibrary.MapRef a, MtlLibrary.MapRef b) {
        return a.path().replace('\\', '/').equalsIgnoreCase(b.path().replace('\\', '/'));
    }

    /** Adds (or reuses) the texture of a map statement and records its slot options; -1 when there is none. */
    private int texture(MtlLibrary.Def d, MtlLibrary.MapRef ref, String slot, Map<String, TextureSlot> slots) {
        if (ref == null) {
            return -1;
        }
        String written = ref.path().replace('\\', '/');
        String name = written.substring(written.lastIndexOf('/') + 1);
        CompanionFolder.Found found = companions.find(ref.baseDir(), written);
        Path file = found.file();
        int index;
        if (file == null) {
            Integer known = missingByName.get(written);
            if (known == null) {
                scene.warn(d.source + ": texture '" + ref.path() + "' of material '" + d.name + "' "
                        + found.failure() + "; the material keeps its name only");
                scene.textures().add(new Texture(name, mimeByName(name), null,
                        ref.clamp() ? CLAMP : Texture.Sampler.DEFAULT));
                known = scene.textures().size() - 1;
                missingByName.put(written, known);
            }
            index = known;
        } else {
            Integer known = textureByFile.get(file);
            if (known == null) {
                scene.textures().add(load(d, ref, file, name));
                known = scene.textures().size() - 1;
                textureByFile.put(file, known);
            }
            index = known;
        }
        TextureSlot options = slotOf(ref, slot);
        if (options != null) {
            slots.put(slot, options);
        }
        return index;
    }

    /** A map statement's options (-bm on a normal map, -s, -o) as a slot; null where it has none. */
    private static TextureSlot slotOf(MtlLibrary.MapRef ref, String slot) {
        float scale = slot.equals("normalTexture") ? ref.bumpMultiplier() : 1f;
        TextureSlot.UvTransform uv = null;
        if (ref.scale() != null || ref.offset() != null) {
            float su = ref.scale() == null ? 1f : ref.scale()[0];
            float sv = ref.scale() == null ? 1f : ref.scale()[1];
            float ou = ref.offset() == null ? 0f : ref.offset()[0];
            float ov = ref.offset() == null ? 0f : ref.offset()[1];
            // OBJ transforms (u, v) with v up; the scene's v points down: v' = 1 - ((1 - v) sv + ov).
            uv = new TextureSlot.UvTransform(ou, 1f - sv - ov, 0f, su, sv, -1);
        }
        return scale != 1f || uv != null ? new TextureSlot(0, scale, uv) : null;
    }

    /** The map's image read from its file, with the sampler its options give (bytes null where it cannot be read). */
    private Texture load(MtlLibrary.Def d, MtlLibrary.MapRef ref, Path file, String written) {
        byte[] bytes;
        try {
            bytes = CompanionFolder.read(file);
        } catch (IOException e) {
            scene.warn(d.source + ": texture " + file + " could not be read (" + e.getMessage() + ")");
            bytes = null;
        }
        String mime = bytes == null ? mimeByName(written) : mime(bytes, written);
        return new Texture(file.getFileName().toString(), mime, bytes, ref.clamp() ? CLAMP : Texture.Sampler.DEFAULT);
    }

    /**
     * The image of a map statement read for this material alone (not added to the scene's textures); null where
     * there is no statement or its file cannot be found (named in a warning).
     */
    private Texture loose(MtlLibrary.Def d, MtlLibrary.MapRef ref) {
        if (ref == null) {
            return null;
        }
        String written = ref.path().replace('\\', '/');
        CompanionFolder.Found found = companions.find(ref.baseDir(), written);
        if (found.file() == null) {
            scene.warn(d.source + ": texture '" + ref.path() + "' of material '" + d.name + "' " + found.failure());
            return null;
        }
        return load(d, ref, found.file(), written.substring(written.lastIndexOf('/') + 1));
    }

    private static final Texture.Sampler CLAMP = new Texture.Sampler(0, 0, 33071, 33071);

    /** The image type the bytes announce; the file extension where they announce none. */
    static String mime(byte[] b, String name) {
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return "image/jpeg";
        }
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E'
                && b[10] == 'B' && b[11] == 'P') {
            return "image/webp";
        }
        if (b.length >= 12 && (b[0] & 0xFF) == 0xAB && b[1] == 'K' && b[2] == 'T' && b[3] == 'X' && b[5] == '2') {
            return "image/ktx2";
        }
        if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
            return "image/gif";
        }
        if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
            return "image/bmp";
        }
        if (b.length >= 4 && b[0] == 'D' && b[1] == 'D' && b[2] == 'S' && b[3] == ' ') {
            return "image/vnd-ms.dds";
        }
        return mimeByName(name);
    }

    static String mimeByName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".png")) {
            return "image/png";
        } else if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
            return "image/jpeg";
        } else if (n.endsWith(".webp")) {
            return "image/webp";
        } else if (n.endsWith(".ktx2")) {
            return "image/ktx2";
        } else if (n.endsWith(".tga")) {
            return "image/x-tga";
        } else if (n.endsWith(".bmp")) {
            return "image/bmp";
        } else if (n.endsWith(".gif")) {
            return "image/gif";
        } else if (n.endsWith(".dds")) {
            return "image/vnd-ms.dds";
        }
        return "application/octet-stream";
    }
}
