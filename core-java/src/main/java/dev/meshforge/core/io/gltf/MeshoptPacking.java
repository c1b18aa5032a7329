// EXT_meshopt_compression for the writer: buffer views re-encoded with meshoptimizer's codecs.
package dev.meshforge.core.io.gltf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lwjgl.util.meshoptimizer.MeshOptimizer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a finished document so that its vertex, index, skin and animation views are compressed: the compressed
 * bytes go in buffer 0, and each compressed view points into buffer 1, a fallback buffer without data that only
 * describes the decoded layout (so the extension is required). Views the codecs cannot take (images, single-byte
 * indices, strides not a multiple of 4) and those that would not shrink are kept as they were, in buffer 0. The
 * vertex codec is written as version 0, the one the extension specifies.
 */
final class MeshoptPacking {
    static final String EXTENSION = "EXT_meshopt_compression";

    private MeshoptPacking() {
    }

    /**
     * Returns the new buffer 0; {@code root}'s views and buffers are rewritten to match (a second, fallback buffer
     * only where some view was compressed).
     */
    static BinaryChunk compress(ObjectNode root, BinaryChunk written) {
        if (root.path("bufferViews").isEmpty() || written.size() == 0) {
            return written;
        }
        BinaryChunk bin = mergeViews(root, written);
        ArrayNode views = (ArrayNode) root.get("bufferViews");
        Map<Integer, JsonNode> accessorOf = new HashMap<>();
        for (JsonNode a : root.path("accessors")) {
            if (a.has("bufferView")) {
                accessorOf.putIfAbsent(a.get("bufferView").asInt(), a);
            }
        }
        Set<Integer> triangleIndices = new HashSet<>();
        for (int a : triangleIndexAccessors(root)) {
            triangleIndices.add(root.path("accessors").get(a).path("bufferView").asInt(-1));
        }
        MeshOptimizer.meshopt_encodeVertexVersion(0);
        MeshOptimizer.meshopt_encodeIndexVersion(1);
        BinaryChunk out = new BinaryChunk();
        boolean any = false;
        try (Arena arena = Arena.ofConfined()) {
            for (int i = 0; i < views.size(); i++) {
                ObjectNode v = (ObjectNode) views.get(i);
                int offset = v.path("byteOffset").asInt(0);
                int length = v.get("byteLength").asInt();
                JsonNode accessor = accessorOf.get(i);
                byte[] encoded = null;
                String mode = null;
                int stride = 0;
                if (accessor != null && v.path("target").asInt(0) == 34963) {
                    stride = AccessorDecoder.componentSize(accessor.get("componentType").asInt());
                    if (stride == 2 || stride == 4) {
                        mode = triangleIndices.contains(i) ? "TRIANGLES" : "INDICES";
                        encoded = indices(arena, bin.array(), offset, length, stride, mode.equals("TRIANGLES"));
                    }
                } else if (accessor != null) {
                    stride = v.has("byteStride") ? v.get("byteStride").asInt()
                            : AccessorDecoder.componentSize(accessor.get("componentType").asInt())
                            * AccessorDecoder.components(accessor.get("type").asText());
                    if (stride > 0 && stride % 4 == 0 && stride <= 256 && length % stride == 0) {
                        mode = "ATTRIBUTES";
                        encoded = vertices(arena, bin.array(), offset, length, stride);
                    }
                }
                int at = out.align4();
                String filter = filter(v);
                if (!filter.equals("NONE") && (encoded == null || !mode.equals("ATTRIBUTES"))) {
                    throw new IllegalStateException("a view the writer filtered (" + filter + ") did not encode");
                }
                // a filtered view holds only the filter's encoding: it is stored compressed whatever its size
                if (encoded != null && (encoded.length < length || !filter.equals("NONE"))) {
                    out.put(encoded);
                    v.put("buffer", 1);
                    ObjectNode ext = v.putObject("extensions").putObject(EXTENSION).put("buffer", 0)
                            .put("byteOffset", at).put("byteLength", encoded.length).put("byteStride", stride)
                            .put("count", length / stride).put("mode", mode);
                    if (!filter.equals("NONE")) {
                        ext.put("filter", filter);
                    }
                    any = true;
                } else {
                    out.put(slice(bin, v));
                    v.put("byteOffset", at);
                }
            }
        }
        out.align4();
        ArrayNode buffers = root.putArray("buffers");
        buffers.addObject().put("byteLength", out.size());
        if (any) {
            buffers.addObject().put("byteLength", bin.size()).putObject("extensions").putObject(EXTENSION)
                    .put("fallback", true);
        }
        return out;
    }

    /**
     * The meshopt filter the writer applied to a view's data (it marks the view's extension object with it
     * before compression), or NONE.
     */
    static String filter(JsonNode view) {
        return view.path("extensions").path(EXTENSION).path("filter").asText("NONE");
    }

    /** The accessors that primitives drawing triangles use as indices. */
    private static Set<Integer> triangleIndexAccessors(ObjectNode root) {
        Set<Integer> out = new HashSet<>();
        for (JsonNode m : root.path("meshes")) {
            for (JsonNode p : m.path("primitives")) {
                if (p.path("mode").asInt(4) == 4 && p.has("indices")) {
                    out.add(p.get("indices").asInt());
                }
            }
        }
        return out;
    }

    /**
     * The vertex views of one stride become one view (its byteStride set, each accessor at its offset in it), and
     * the index views of one index size and kind (triangle lists, or other indices) one view, so that a stream
     * compresses as a whole and the JSON lists a few views rather than one an accessor (a triangle list of
     * triangle lists is still one); the other views are copied as they are. Returns the buffer in the new layout;
     * accessors and images are re-pointed.
     */
    private static BinaryChunk mergeViews(ObjectNode root, BinaryChunk bin) {
        ArrayNode views = (ArrayNode) root.get("bufferViews");
        Set<Integer> triangles = triangleIndexAccessors(root);
        // group key: vertex views by stride (positive), index views by -(size * 2 + 1 for triangle lists)
        Map<Integer, Integer> groupOf = new HashMap<>();
        Set<Integer> sharedViews = new HashSet<>();
        int accessorIndex = -1;
        for (JsonNode a : root.path("accessors")) {
            accessorIndex++;
            int v = a.path("bufferView").asInt(-1);
            if (v < 0) {
                continue;
            }
            if (!sharedViews.add(v)) {
                continue;
            }
            JsonNode view = views.get(v);
            int target = view.path("target").asInt(0);
            int size = AccessorDecoder.componentSize(a.get("componentType").asInt());
            if (target == 34962) {
                int stride = view.has("byteStride") ? view.get("byteStride").asInt()
                        : size * AccessorDecoder.components(a.get("type").asText());
                if (stride > 0 && stride % 4 == 0 && stride <= 256 && view.get("byteLength").asInt() % stride == 0) {
                    // filtered views merge only with views of the same filter (a view has one filter)
                    groupOf.put(v, filter(view).equals("OCTAHEDRAL") ? 1000 + stride : stride);
                }
            } else if (target == 34963 && (size == 2 || size == 4)) {
                groupOf.put(v, -(size * 2 + (triangles.contains(accessorIndex) ? 1 : 0)));
            }
        }
        Map<Integer, List<Integer>> groups = new java.util.TreeMap<>();
        groupOf.forEach((v, key) -> groups.computeIfAbsent(key, k -> new ArrayList<>()).add(v));
        BinaryChunk out = new BinaryChunk(bin.size() + 4 * views.size());
        ArrayNode merged = root.arrayNode();
        int[] newIndex = new int[views.size()];
        int[] shift = new int[views.size()];
        for (Map.Entry<Integer, List<Integer>> g : groups.entrySet()) {
            int start = out.align4();
            List<Integer> members = new ArrayList<>(g.getValue());
            java.util.Collections.sort(members);
            for (int v : members) {
                shift[v] = out.size() - start;
                newIndex[v] = merged.size();
                out.put(slice(bin, views.get(v)));
            }
            ObjectNode view = merged.addObject().put("buffer", 0).put("byteOffset", start)
                    .put("byteLength", out.size() - start);
            if (g.getKey() > 1000) {
                view.put("byteStride", g.getKey() - 1000).put("target", 34962);
                view.putObject("extensions").putObject(EXTENSION).put("filter", "OCTAHEDRAL");
            } else if (g.getKey() > 0) {
                view.put("byteStride", g.getKey()).put("target", 34962);
            } else {
                view.put("target", 34963);
            }
        }
        for (int i = 0; i < views.size(); i++) {
            if (!groupOf.containsKey(i)) {
                int start = out.align4();
                out.put(slice(bin, views.get(i)));
                newIndex[i] = merged.size();
                merged.add(((ObjectNode) views.get(i)).deepCopy().put("byteOffset", start));
            }
        }
        for (JsonNode a : root.path("accessors")) {
            if (a.has("bufferView")) {
                int v = a.get("bufferView").asInt();
                ((ObjectNode) a).put("bufferView", newIndex[v]);
                if (shift[v] != 0) {
                    ((ObjectNode) a).put("byteOffset", a.path("byteOffset").asInt(0) + shift[v]);
                }
            }
        }
        for (JsonNode image : root.path("images")) {
            if (image.has("bufferView")) {
                ((ObjectNode) image).put("bufferView", newIndex[image.get("bufferView").asInt()]);
            }
        }
        root.set("bufferViews", merged);
        return out;
    }

    private static byte[] slice(BinaryChunk bin, JsonNode view) {
        int offset = view.path("byteOffset").asInt(0);
        return java.util.Arrays.copyOfRange(bin.array(), offset, offset + view.get("byteLength").asInt());
    }

    private static byte[] vertices(Arena arena, byte[] bin, int offset, int length, int stride) {
        long count = length / stride;
        MemorySegment src = arena.allocate(length, 16);
        MemorySegment.copy(bin, offset, src, ValueLayout.JAVA_BYTE, 0, length);
        long bound = MeshOptimizer.meshopt_encodeVertexBufferBound(count, stride);
        MemorySegment dst = arena.allocate(bound, 16);
        long n = MeshOptimizer.meshopt_encodeVertexBuffer(dst.asByteBuffer(), src.asByteBuffer(), count, stride);
        return n == 0 ? null : dst.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    }

    private static byte[] indices(Arena arena, byte[] bin, int offset, int length, int size, boolean triangles) {
        int count = length / size;
        if (triangles && count % 3 != 0) {
            return null;
        }
        ByteBuffer raw = ByteBuffer.wrap(bin, offset, length).order(ByteOrder.LITTLE_ENDIAN);
        MemorySegment ints = arena.allocate(ValueLayout.JAVA_INT, Math.max(1, count));
        long vertices = 0;
        for (int i = 0; i < count; i++) {
            int v = size == 2 ? Short.toUnsignedInt(raw.getShort(offset + i * 2)) : raw.getInt(offset + i * 4);
            ints.setAtIndex(ValueLayout.JAVA_INT, i, v);
            vertices = Math.max(vertices, Integer.toUnsignedLong(v) + 1);
        }
        IntBuffer in = ints.asByteBuffer().order(ByteOrder.nativeOrder()).asIntBuffer().limit(count);
        long bound = triangles ? MeshOptimizer.meshopt_encodeIndexBufferBound(count, vertices)
                : MeshOptimizer.meshopt_encodeIndexSequenceBound(count, vertices);
        MemorySegment dst = arena.allocate(bound, 16);
        long n = triangles ? MeshOptimizer.meshopt_encodeIndexBuffer(dst.asByteBuffer(), in)
                : MeshOptimizer.meshopt_encodeIndexSequence(dst.asByteBuffer(), in);
        return n == 0 ? null : dst.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    }
}
