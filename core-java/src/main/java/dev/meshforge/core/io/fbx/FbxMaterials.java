// FBX materials (Lambert/Phong, 3ds Max PBR and Physical, Maya Stingray/aiStandardSurface) and textures.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.io.internal.ChannelImages;
import dev.meshforge.core.io.internal.CompanionFolder;
import dev.meshforge.core.scene.AlphaMode;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Texture;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps every {@code Material} object to a metallic-roughness material and every {@code Texture} object to a
 * scene texture. Classic materials give base colour = diffuse colour x factor, roughness from the Phong
 * shininess, alpha from the transparency factor or opacity; PBR materials (3ds Max "3dsMax|...", Maya
 * "Maya|...") give their base colour, metalness and roughness directly. Textures connect to a material
 * property and land in the slot that property names. Images come from the {@code Video} object's embedded
 * {@code Content}, else from {@code RelativeFilename} or the stored {@code FileName} (Windows separators
 * allowed), else from a file with the same base name beside the FBX or in its {@code textures} folder; only files
 * inside the model's folder are opened ({@link CompanionFolder}), so an absolute {@code FileName}, the author's
 * machine's path, is found by its base name or not at all.
 */
final class FbxMaterials {
    private final FbxDocument doc;
    private final Scene scene;
    private final Map<Object, Integer> materialIndex = new HashMap<>();
    private final Map<Object, Integer> textureIndex = new HashMap<>();
    private final Map<Path, byte[]> images = new HashMap<>();
    private final CompanionFolder companions;

    FbxMaterials(FbxDocument doc, Scene scene, CompanionFolder companions) {
        this.doc = doc;
        this.scene = scene;
        this.companions = companions;
    }

    void readAll() {
        for (Map.Entry<Object, FbxNode> e : doc.objects.entrySet()) {
            if (e.getValue().name.equals("Texture")) {
                textureIndex.put(e.getKey(), scene.textures().size());
                scene.textures().add(texture(e.getKey(), e.getValue()));
            }
        }
        for (Map.Entry<Object, FbxNode> e : doc.objects.entrySet()) {
            if (e.getValue().name.equals("Material")) {
                materialIndex.put(e.getKey(), scene.materials().size());
                scene.materials().add(material(e.getKey(), e.getValue()));
            }
        }
    }

    /** Scene material index per material slot of a model (its connected materials, in connection order). */
    int[] slotsOf(Object model) {
        List<Object> mats = doc.childObjects(model, "Material");
        int[] out = new int[mats.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = materialIndex.getOrDefault(mats.get(i), -1);
        }
        if (out.length == 0) {
            // Legacy files may connect only a texture to the model; give it a material of its own.
            List<Object> tex = doc.childObjects(model, "Texture");
            if (!tex.isEmpty() && textureIndex.containsKey(tex.get(0))) {
                Material m = new Material(doc.nameOf(doc.objects.get(model)), new float[] {1, 1, 1, 1}, 0f, 1f,
                        textureIndex.get(tex.get(0)), -1, -1, -1, -1, new float[] {0, 0, 0}, false);
                scene.materials().add(m);
                return new int[] {scene.materials().size() - 1};
            }
        }
        return out;
    }

    private Material material(Object id, FbxNode node) {
        Map<String, FbxNode> p = doc.properties(node);
        String name = doc.nameOf(node);
        float[] base = {0.8f, 0.8f, 0.8f, 1f};
        float metallic = 0f;
        float roughness = 0.5f;
        float[] emissive = {0, 0, 0};
        String pbr = null;
        for (String key : p.keySet()) {
            if (key.startsWith("3dsMax|") || key.startsWith("Maya|")) {
                pbr = key.substring(0, key.indexOf('|') + 1);
                break;
            }
        }
        String baseKey = find(p, "basecolor", "base_color", "baseColor");
        if (pbr != null && baseKey != null) {
            double[] c = FbxDocument.vector(p, baseKey, 0.8, 0.8, 0.8, 1);
            if (p.get(baseKey).props.size() - FbxDocument.valueStart(p.get(baseKey)) < 4 && p.containsKey("Opacity")) {
                // a colour without alpha (Maya's Stingray PBS): the classic opacity stands in
                c[3] = FbxDocument.number(p, "Opacity", 1);
            }
            double w = FbxDocument.number(p, nonNull(find(p, "base_weight"), ""), 1);
            base = new float[] {(float) (c[0] * w), (float) (c[1] * w), (float) (c[2] * w), (float) c[3]};
            String m = find(p, "metalness", "metallic");
            metallic = (float) FbxDocument.number(p, nonNull(m, ""), 0);
            String r = find(p, "roughness", "specularRoughness");
            roughness = (float) FbxDocument.number(p, nonNull(r, ""), 0.5);
            String inv = find(p, "roughness_inv");
            if (inv != null && FbxDocument.number(p, inv, 0) != 0) {
                roughness = 1 - roughness;
            }
            String em = find(p, "emit_color", "emissive", "emission_color", "emissionColor");
            if (em != null) {
                double[] ec = FbxDocument.vector(p, em, 0, 0, 0);
                double ew = FbxDocument.number(p, nonNull(find(p, "emission", "emissive_intensity"), ""), 1);
                emissive = new float[] {(float) (ec[0] * ew), (float) (ec[1] * ew), (float) (ec[2] * ew)};
            }
        } else {
            double[] d = FbxDocument.vector(p, p.containsKey("DiffuseColor") ? "DiffuseColor" : "Diffuse",
                    0.8, 0.8, 0.8);
            double f = FbxDocument.number(p, "DiffuseFactor", 1);
            double alpha = 1;
            if (p.containsKey("Opacity")) {
                alpha = FbxDocument.number(p, "Opacity", 1);
            } else if (p.containsKey("TransparencyFactor")) {
                double[] tc = FbxDocument.vector(p, "TransparentColor", 1, 1, 1);
                alpha = 1 - FbxDocument.number(p, "TransparencyFactor", 0) * (tc[0] + tc[1] + tc[2]) / 3;
            }
            base = new float[] {clamp(d[0] * f), clamp(d[1] * f), clamp(d[2] * f), clamp(alpha)};
            double[] e = FbxDocument.vector(p, p.containsKey("EmissiveColor") ? "EmissiveColor" : "Emissive",
                    0, 0, 0);
            double ef = FbxDocument.number(p, "EmissiveFactor", 1);
            emissive = new float[] {clamp(e[0] * ef), clamp(e[1] * ef), clamp(e[2] * ef)};
            if (p.containsKey("Shininess") || p.containsKey("ShininessExponent")) {
                double s = FbxDocument.number(p, p.containsKey("ShininessExponent") ? "ShininessExponent"
                        : "Shininess", 20);
                roughness = (float) Math.sqrt(2.0 / (Math.max(0, s) + 2.0));
            } else {
                roughness = 0.9f;
            }
        }
        int baseTex = -1;
        int mrTex = -1;
        int roughTex = -1;
        int metalTex = -1;
        int normalTex = -1;
        int occlusionTex = -1;
        int emissiveTex = -1;
        boolean alphaTex = false;
        for (FbxDocument.Connection c : doc.children(id)) {
            Integer t = textureIndex.get(c.child());
            if (t == null) {
                // A LayeredTexture or other node between: take its first texture.
                FbxNode mid = doc.objects.get(c.child());
                if (mid == null || !mid.name.equals("LayeredTexture")) {
                    continue;
                }
                List<Object> under = doc.childObjects(c.child(), "Texture");
                if (under.isEmpty()) {
                    continue;
                }
                t = textureIndex.get(under.get(0));
            }
            String prop = c.property().toLowerCase(Locale.ROOT);
            String last = prop.substring(prop.lastIndexOf('|') + 1);
            if (last.startsWith("tex_")) {
                last = last.substring(4); // Maya's Stingray PBS: TEX_color_map, TEX_ao_map, ...
            }
            if (last.contains("normal") || last.contains("bump") || last.startsWith("norm")) {
                normalTex = normalTex < 0 ? t : normalTex;
            } else if (last.contains("emissi") || last.contains("emit")) {
                emissiveTex = emissiveTex < 0 ? t : emissiveTex;
            } else if (last.contains("metal") || last.equals("reflectionfactor")) {
                metalTex = metalTex < 0 ? t : metalTex;
            } else if (last.contains("rough") || last.equals("shininessexponent")) {
                roughTex = roughTex < 0 ? t : roughTex;
            } else if (last.contains("gloss")) {
                mrTex = mrTex < 0 ? t : mrTex;
            } else if (last.contains("specular")) {
                continue; // a specular colour or factor: metallic-roughness has none
            } else if (last.startsWith("ao") || last.contains("occlusion")) {
                occlusionTex = occlusionTex < 0 ? t : occlusionTex;
            } else if (last.contains("transparen") || last.contains("opacity") || last.contains("cutout")) {
                alphaTex = true;
            } else if (last.contains("diffuse") || last.contains("base") || last.contains("color")
                    || last.isEmpty()) {
                baseTex = baseTex < 0 ? t : baseTex;
            }
        }
        if (roughTex >= 0 && roughTex == metalTex) {
            mrTex = roughTex; // one image for both: packed already
        } else if (roughTex >= 0 || metalTex >= 0) {
            // separate grey images (3ds Max, Maya, Blender), each replacing its value: packed as glTF packs them
            Texture packed = ChannelImages.pack(roughTex < 0 ? null : scene.textures().get(roughTex), roughness,
                    metalTex < 0 ? null : scene.textures().get(metalTex), metallic);
            if (packed != null) {
                scene.textures().add(packed);
                mrTex = scene.textures().size() - 1;
                roughness = roughTex >= 0 ? 1f : roughness;
                metallic = metalTex >= 0 ? 1f : metallic;
            } else if (mrTex < 0) {
                mrTex = metalTex >= 0 ? metalTex : roughTex;
                scene.warn(doc.file + ": material '" + name + "': its separate metallic and roughness images cannot"
                        + " be decoded to pack them; the " + (metalTex >= 0 ? "metallic" : "roughness")
                        + " image is kept as its metallic-roughness texture as it is");
            }
        }
        if (baseTex >= 0 && pbr == null) {
            // The texture replaces the diffuse colour in most exporters' eyes; keep only alpha.
            base = new float[] {1, 1, 1, base[3]};
        }
        if (emissiveTex >= 0 && emissive[0] == 0 && emissive[1] == 0 && emissive[2] == 0) {
            emissive = new float[] {1, 1, 1};
        }
        AlphaMode mode = base[3] < 1 || alphaTex ? AlphaMode.BLEND : AlphaMode.OPAQUE;
        return new Material(name, base, clamp(metallic), clamp(roughness), baseTex, mrTex, normalTex, occlusionTex,
                emissiveTex, emissive, false, mode, 0.5f, Map.of(), Map.of());
    }

    private static String nonNull(String s, String fallback) {
        return s == null ? fallback : s;
    }

    /** The first property whose last '|' segment equals one of {@code names} and has a value. */
    private static String find(Map<String, FbxNode> p, String... names) {
        for (String n : names) {
            for (Map.Entry<String, FbxNode> e : p.entrySet()) {
                String k = e.getKey();
                if ((k.startsWith("3dsMax|") || k.startsWith("Maya|")) && k.substring(k.lastIndexOf('|') + 1)
                        .equals(n) && e.getValue().props.size() > FbxDocument.valueStart(e.getValue())) {
                    return k;
                }
            }
        }
        return null;
    }

    private static float clamp(double v) {
        return Double.isFinite(v) ? (float) Math.max(0, Math.min(1, v)) : 0f;
    }

    private Texture texture(Object id, FbxNode node) {
        String stored = node.childString("FileName", "");
        if (stored.isEmpty()) {
            stored = node.childString("Filename", "");
        }
        String relative = node.childString("RelativeFilename", "");
        byte[] bytes = null;
        for (Object v : doc.childObjects(id, "Video")) {
            FbxNode video = doc.objects.get(v);
            bytes = content(video);
            if (stored.isEmpty()) {
                stored = video.childString("Filename", video.childString("FileName", ""));
            }
            if (relative.isEmpty()) {
                relative = video.childString("RelativeFilename", "");
            }
            if (bytes != null) {
                break;
            }
        }
        if (bytes == null) {
            String[] refusal = new String[1];
            bytes = external(stored, relative, refusal);
            if (bytes == null) {
                scene.warn(doc.file + ": texture '" + doc.nameOf(node) + "': image '"
                        + (stored.isEmpty() ? relative : stored) + "' is not embedded and was not found beside the file"
                        + (refusal[0] == null ? "" : "; " + refusal[0]));
            }
        }
        String base = baseName(stored.isEmpty() ? relative : stored);
        if (base.isEmpty()) {
            base = doc.nameOf(node);
        }
        return new Texture(base, mime(bytes, base), bytes);
    }

    /** A Video's embedded bytes: binary raw data, or ASCII base64 (possibly split over several strings). */
    private static byte[] content(FbxNode video) {
        FbxNode c = video.child("Content");
        if (c == null) {
            return null;
        }
        for (Object o : c.props) {
            if (o instanceof byte[] b && b.length > 0) {
                return b;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (Object o : c.props) {
            if (o instanceof String s) {
                sb.append(s);
            }
        }
        if (sb.isEmpty()) {
            return null;
        }
        try {
            return Base64.getMimeDecoder().decode(sb.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The image a texture names outside the file, looked for inside the model's folder only; {@code refusal[0]}
     * receives why a path as written was not opened, where that is worth a warning (an absolute FileName is the
     * norm, so its refusal is not).
     */
    private byte[] external(String stored, String relative, String[] refusal) {
        Path dir = doc.file.toAbsolutePath().normalize().getParent();
        List<CompanionFolder.Found> tries = new ArrayList<>();
        for (String s : new String[] {relative, stored}) {
            if (s.isEmpty()) {
                continue;
            }
            CompanionFolder.Found f = companions.exact(dir, s);
            tries.add(f);
            if (refusal[0] == null && f.refusal() != null && !f.refusal().startsWith("it is an absolute path")) {
                refusal[0] = "'" + s + "' " + f.failure();
            }
        }
        String base = baseName(stored.isEmpty() ? relative : stored);
        if (!base.isEmpty()) {
            tries.add(companions.find(dir, base));
            tries.add(companions.find(dir, "textures/" + base));
        }
        for (CompanionFolder.Found f : tries) {
            Path p = f.file();
            if (p == null) {
                continue;
            }
            if (images.containsKey(p)) {
                return images.get(p);
            }
            try {
                byte[] b = CompanionFolder.read(p);
                images.put(p, b);
                return b;
            } catch (IOException | SecurityException ignored) {
                // Unreadable: try the next place.
            }
        }
        return null;
    }

    static String baseName(String path) {
        String unix = path.replace('\\', '/');
        return unix.substring(unix.lastIndexOf('/') + 1);
    }

    static String mime(byte[] b, String name) {
        if (b != null && b.length >= 4) {
            if ((b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
                return "image/png";
            }
            if ((b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8) {
                return "image/jpeg";
            }
            if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[8] == 'W' && b[9] == 'E') {
                return "image/webp";
            }
        }
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".png")) {
            return "image/png";
        }
        if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (n.endsWith(".tga")) {
            return "image/x-tga";
        }
        if (n.endsWith(".bmp")) {
            return "image/bmp";
        }
        if (n.endsWith(".dds")) {
            return "image/vnd-ms.dds";
        }
        return "application/octet-stream";
    }
}
