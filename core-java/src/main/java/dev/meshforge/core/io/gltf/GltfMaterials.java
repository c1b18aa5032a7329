// Reads glTF images, samplers, textures and materials into the scene's Texture and Material lists.
package dev.meshforge.core.io.gltf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshforge.core.io.internal.CompanionFolder;
import dev.meshforge.core.scene.AlphaMode;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Texture;
import dev.meshforge.core.scene.TextureSlot;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * glTF textures map one to one onto {@link Scene#textures()} (so texture indices inside kept material extensions
 * stay valid); textures that share an image share its byte array. Image bytes are never decoded or changed.
 */
final class GltfMaterials {
    private static final String[] IMAGE_EXTENSIONS = {"KHR_texture_basisu", "EXT_texture_webp", "EXT_texture_avif"};

    private final GltfDocument doc;
    private final GltfJson json;
    private final Scene scene;
    private final Map<Integer, byte[]> imageBytes = new HashMap<>();
    private final Map<Integer, String> imageMime = new HashMap<>();
    private final Map<Integer, String> imageName = new HashMap<>();

    GltfMaterials(GltfDocument doc, Scene scene) {
        this.doc = doc;
        this.json = doc.json;
        this.scene = scene;
    }

    void read() {
        JsonNode textures = json.array(doc.root, "textures", "");
        JsonNode images = json.array(doc.root, "images", "");
        JsonNode samplers = json.array(doc.root, "samplers", "");
        for (int t = 0; t < textures.size(); t++) {
            String where = "textures[" + t + "]";
            JsonNode tex = json.element(textures, t, where);
            int source = json.index(tex, "source", images.size(), "image", where);
            JsonNode ext = json.object(tex, "extensions", where);
            for (String name : IMAGE_EXTENSIONS) {
                if (ext.has(name)) {
                    int s = json.index(json.object(ext, name, where), "source", images.size(), "image",
                            where + ".extensions." + name);
                    if (s >= 0) {
                        source = s;
                    }
                }
            }
            Texture.Sampler sampler = Texture.Sampler.DEFAULT;
            int si = json.index(tex, "sampler", samplers.size(), "sampler", where);
            if (si >= 0) {
                String sw = "samplers[" + si + "]";
                JsonNode s = json.element(samplers, si, sw);
                sampler = new Texture.Sampler((int) json.integer(s, "magFilter", 0, sw),
                        (int) json.integer(s, "minFilter", 0, sw), (int) json.integer(s, "wrapS", 10497, sw),
                        (int) json.integer(s, "wrapT", 10497, sw));
            }
            if (source < 0) {
                scene.warn(doc.file + ": " + where + " has no image; kept as an empty texture");
                scene.textures().add(new Texture(json.string(tex, "name", "texture" + t, where), "image/png",
                        new byte[0], sampler));
                continue;
            }
            image(images, source);
            scene.textures().add(new Texture(imageName.get(source), imageMime.get(source), imageBytes.get(source),
                    sampler));
        }
        int unused = 0;
        for (int i = 0; i < images.size(); i++) {
            unused += imageBytes.containsKey(i) ? 0 : 1;
        }
        if (unused > 0) {
            scene.warn(doc.file + ": " + unused + " image(s) no texture uses were not kept");
        }
        JsonNode materials = json.array(doc.root, "materials", "");
        for (int m = 0; m < materials.size(); m++) {
            scene.materials().add(material(json.element(materials, m, "materials[" + m + "]"), m));
        }
    }

    private void image(JsonNode images, int i) {
        if (imageBytes.containsKey(i)) {
            return;
        }
        String where = "images[" + i + "]";
        JsonNode img = json.element(images, i, where);
        String uri = json.string(img, "uri", null, where);
        String mime = json.string(img, "mimeType", null, where);
        String name = json.string(img, "name", null, where);
        byte[] bytes;
        if (uri != null && uri.startsWith("data:")) {
            bytes = doc.decodeDataUri(uri, where);
            mime = mime != null ? mime : GltfDocument.dataUriMime(uri);
        } else if (uri != null) {
            CompanionFolder.Found found = doc.companion(uri);
            byte[] read = new byte[0];
            if (found.file() == null) {
                scene.warn(doc.file + ": " + where + ": the image file '" + uri + "' " + found.failure()
                        + "; the texture is kept without image data");
            } else {
                name = found.file().getFileName().toString();
                try {
                    read = doc.mapExternal(uri, where, "image").toArray(ValueLayout.JAVA_BYTE);
                } catch (dev.meshforge.core.BadInputException e) {
                    scene.warn(e.getMessage() + "; the texture is kept without image data");
                }
            }
            bytes = read;
        } else {
            int view = json.index(img, "bufferView", doc.viewCount(), "buffer view", where);
            if (view < 0) {
                throw json.bad(where, "has neither a uri nor a bufferView");
            }
            MemorySegment seg = doc.viewBytes(view);
            if (seg.byteSize() > Integer.MAX_VALUE - 16) {
                throw json.bad(where, "is larger than 2 GiB");
            }
            bytes = seg.toArray(ValueLayout.JAVA_BYTE);
        }
        String sniffed = sniff(bytes);
        if (sniffed != null) {
            mime = sniffed;
        } else if (mime == null) {
            mime = uri == null ? "application/octet-stream" : byExtension(uri);
        }
        if (name == null || name.isBlank()) {
            name = "image" + i;
        }
        String ext = extensionFor(mime);
        if (!name.toLowerCase(Locale.ROOT).endsWith("." + ext) && !(ext.equals("jpg")
                && name.toLowerCase(Locale.ROOT).endsWith(".jpeg"))) {
            name = name + "." + ext;
        }
        imageBytes.put(i, bytes);
        imageMime.put(i, mime);
        imageName.put(i, name.replaceAll("[\\\\/:*?\"<>|]", "_"));
    }

    static String sniff(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return "image/jpeg";
        }
        if (b.length >= 12 && (b[0] & 0xFF) == 0xAB && b[1] == 'K' && b[2] == 'T' && b[3] == 'X' && b[5] == '2') {
            return "image/ktx2";
        }
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W'
                && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return "image/webp";
        }
        return null;
    }

    private static String byExtension(String uri) {
        String u = uri.toLowerCase(Locale.ROOT);
        if (u.endsWith(".jpg") || u.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (u.endsWith(".ktx2")) {
            return "image/ktx2";
        }
        if (u.endsWith(".webp")) {
            return "image/webp";
        }
        return "image/png";
    }

    static String extensionFor(String mime) {
        return switch (mime) {
            case "image/jpeg" -> "jpg";
            case "image/ktx2" -> "ktx2";
            case "image/webp" -> "webp";
            case "image/avif" -> "avif";
            default -> "png";
        };
    }

    private Material material(JsonNode m, int index) {
        String where = "materials[" + index + "]";
        JsonNode pbr = json.object(m, "pbrMetallicRoughness", where);
        String pw = where + ".pbrMetallicRoughness";
        Map<String, TextureSlot> slots = new LinkedHashMap<>();
        int base = texture(pbr, "baseColorTexture", pw, slots);
        int mr = texture(pbr, "metallicRoughnessTexture", pw, slots);
        int normal = texture(m, "normalTexture", where, slots);
        int occlusion = texture(m, "occlusionTexture", where, slots);
        int emissive = texture(m, "emissiveTexture", where, slots);
        String alpha = json.string(m, "alphaMode", "OPAQUE", where);
        AlphaMode mode;
        try {
            mode = AlphaMode.valueOf(alpha);
        } catch (IllegalArgumentException e) {
            throw json.bad(where, "alphaMode '" + alpha + "' is not one of OPAQUE, MASK, BLEND");
        }
        Map<String, String> extensions = new LinkedHashMap<>();
        JsonNode ext = json.object(m, "extensions", where);
        for (Iterator<Map.Entry<String, JsonNode>> it = ext.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            checkTextureIndices(e.getValue(), where + ".extensions." + e.getKey());
            extensions.put(e.getKey(), e.getValue().toString());
        }
        return new Material(json.string(m, "name", "material" + index, where),
                json.floats(pbr, "baseColorFactor", 4, new float[] {1, 1, 1, 1}, pw),
                (float) json.number(pbr, "metallicFactor", 1, pw), (float) json.number(pbr, "roughnessFactor", 1, pw),
                base, mr, normal, occlusion, emissive,
                json.floats(m, "emissiveFactor", 3, new float[] {0, 0, 0}, where),
                json.bool(m, "doubleSided", false, where), mode, (float) json.number(m, "alphaCutoff", 0.5, where),
                slots, extensions);
    }

    /** Texture references inside kept extensions must be valid, as the writer passes them through. */
    private void checkTextureIndices(JsonNode n, String where) {
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().endsWith("Texture") && e.getValue().isObject()) {
                    json.index(e.getValue(), "index", scene.textures().size(), "texture", where + "." + e.getKey());
                }
                checkTextureIndices(e.getValue(), where + "." + e.getKey());
            }
        }
    }

    private int texture(JsonNode parent, String field, String where, Map<String, TextureSlot> slots) {
        if (!json.has(parent, field)) {
            return -1;
        }
        String w = where + "." + field;
        JsonNode info = json.object(parent, field, where);
        int index = json.index(info, "index", scene.textures().size(), "texture", w);
        if (index < 0) {
            throw json.bad(w, "the required field 'index' is missing");
        }
        int texCoord = (int) json.nonNegative(info, "texCoord", 0, w);
        float scale = (float) (field.equals("occlusionTexture") ? json.number(info, "strength", 1, w)
                : json.number(info, "scale", 1, w));
        TextureSlot.UvTransform transform = null;
        JsonNode ext = json.object(info, "extensions", w);
        if (ext.has("KHR_texture_transform")) {
            String tw = w + ".extensions.KHR_texture_transform";
            JsonNode t = json.object(ext, "KHR_texture_transform", w);
            float[] offset = json.floats(t, "offset", 2, new float[] {0, 0}, tw);
            float[] s = json.floats(t, "scale", 2, new float[] {1, 1}, tw);
            transform = new TextureSlot.UvTransform(offset[0], offset[1], (float) json.number(t, "rotation", 0, tw),
                    s[0], s[1], (int) json.integer(t, "texCoord", -1, tw));
        }
        TextureSlot slot = new TextureSlot(texCoord, scale, transform);
        if (!slot.equals(TextureSlot.DEFAULT)) {
            slots.put(field, slot);
        }
        return index;
    }
}
