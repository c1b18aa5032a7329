// Builds small glTF and GLB files for tests: a JSON tree plus one binary buffer, written as .gltf+.bin or .glb.
package dev.meshforge.core.io.gltf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A glTF under construction: add views and accessors over bytes, meshes and nodes, then write it. */
final class GltfFixture {
    static final ObjectMapper MAPPER = new ObjectMapper();

    final ObjectNode root = MAPPER.createObjectNode();
    private final ByteArrayOutputStream bin = new ByteArrayOutputStream();

    GltfFixture() {
        root.putObject("asset").put("version", "2.0");
    }

    ArrayNode array(String name) {
        return root.withArray(name);
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    static byte[] shorts(int... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putShort((short) x);
        }
        return b.array();
    }

    static byte[] ints(int... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putInt(x);
        }
        return b.array();
    }

    /** A buffer view over {@code bytes} (4-byte aligned), with an optional byteStride; returns its index. */
    int view(byte[] bytes, int stride) {
        while (bin.size() % 4 != 0) {
            bin.write(0);
        }
        ObjectNode v = array("bufferViews").addObject().put("buffer", 0).put("byteOffset", bin.size())
                .put("byteLength", bytes.length);
        if (stride > 0) {
            v.put("byteStride", stride);
        }
        bin.writeBytes(bytes);
        return array("bufferViews").size() - 1;
    }

    /** An accessor; {@code view} -1 for none. Returns its index. */
    int accessor(int view, int componentType, int count, String type, boolean normalized) {
        ObjectNode a = array("accessors").addObject();
        if (view >= 0) {
            a.put("bufferView", view);
        }
        a.put("componentType", componentType).put("count", count).put("type", type);
        if (normalized) {
            a.put("normalized", true);
        }
        return array("accessors").size() - 1;
    }

    int positions(float... xyz) {
        return accessor(view(floats(xyz), 0), 5126, xyz.length / 3, "VEC3", false);
    }

    /** A mesh of one primitive with POSITION and optional indices; returns the primitive object. */
    ObjectNode mesh(int position, int indices, int mode) {
        ObjectNode p = array("meshes").addObject().putArray("primitives").addObject();
        p.putObject("attributes").put("POSITION", position);
        if (indices >= 0) {
            p.put("indices", indices);
        }
        p.put("mode", mode);
        return p;
    }

    /** A node placing mesh {@code mesh}, listed in scene 0. */
    ObjectNode node(int mesh) {
        ObjectNode n = array("nodes").addObject().put("mesh", mesh);
        if (!root.has("scenes")) {
            root.put("scene", 0);
            array("scenes").addObject().putArray("nodes");
        }
        ((ArrayNode) root.get("scenes").get(0).get("nodes")).add(array("nodes").size() - 1);
        return n;
    }

    Path writeGltf(Path dir, String name) throws IOException {
        if (bin.size() > 0) {
            array("buffers").addObject().put("byteLength", bin.size()).put("uri", name + ".bin");
            Files.write(dir.resolve(name + ".bin"), bin.toByteArray());
        }
        Path p = dir.resolve(name + ".gltf");
        Files.write(p, MAPPER.writeValueAsBytes(root));
        return p;
    }

    byte[] glbBytes() throws IOException {
        if (bin.size() > 0) {
            array("buffers").addObject().put("byteLength", bin.size());
        }
        byte[] json = MAPPER.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        int jp = (json.length + 3) & ~3;
        int bp = (bin.size() + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + jp + (bin.size() > 0 ? 8 + bp : 0)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46546C67).putInt(2).putInt(b.capacity()).putInt(jp).putInt(0x4E4F534A).put(json);
        while (b.position() < 20 + jp) {
            b.put((byte) ' ');
        }
        if (bin.size() > 0) {
            b.putInt(bp).putInt(0x004E4942).put(bin.toByteArray());
        }
        return b.array();
    }
}
