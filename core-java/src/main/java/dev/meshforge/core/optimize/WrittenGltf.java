// What a written glTF holds, read back from its JSON: buffers, view bytes, attributes and extensions used.
package dev.meshforge.core.optimize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * @param buffers          byte length of each buffer (with EXT_meshopt_compression, buffer 1 is the fallback that
 *                         describes the decoded layout)
 * @param dataBytes        the non-image views as decoded (quantized, uncompressed)
 * @param storedBytes      the same views as stored (compressed where they are)
 * @param attributes       every vertex attribute name the meshes use
 * @param extensions       extensionsUsed
 */
public record WrittenGltf(long[] buffers, long dataBytes, long storedBytes, Set<String> attributes,
                          Set<String> extensions) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static WrittenGltf read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        JsonNode root;
        if (bytes.length >= 20 && bytes[0] == 'g' && bytes[1] == 'l' && bytes[2] == 'T' && bytes[3] == 'F') {
            int jsonLength = ByteBuffer.wrap(bytes, 12, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            root = MAPPER.readTree(new String(bytes, 20, jsonLength, StandardCharsets.UTF_8));
        } else {
            root = MAPPER.readTree(bytes);
        }
        long[] buffers = new long[root.path("buffers").size()];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = root.path("buffers").get(i).path("byteLength").asLong();
        }
        Set<Integer> imageViews = new HashSet<>();
        root.path("images").forEach(i -> {
            if (i.has("bufferView")) {
                imageViews.add(i.get("bufferView").asInt());
            }
        });
        long data = 0;
        long stored = 0;
        JsonNode views = root.path("bufferViews");
        for (int i = 0; i < views.size(); i++) {
            if (imageViews.contains(i)) {
                continue;
            }
            JsonNode v = views.get(i);
            data += v.path("byteLength").asLong();
            JsonNode ext = v.path("extensions").path("EXT_meshopt_compression");
            stored += ext.isObject() ? ext.path("byteLength").asLong() : v.path("byteLength").asLong();
        }
        Set<String> attributes = new TreeSet<>();
        root.path("meshes").forEach(m -> m.path("primitives")
                .forEach(p -> p.path("attributes").fieldNames().forEachRemaining(attributes::add)));
        Set<String> extensions = new TreeSet<>();
        root.path("extensionsUsed").forEach(e -> extensions.add(e.asText()));
        return new WrittenGltf(buffers, data, stored, attributes, extensions);
    }
}
