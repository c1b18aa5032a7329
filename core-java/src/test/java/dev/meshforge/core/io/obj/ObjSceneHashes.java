// Lists a SHA-256 of everything an OBJ read gives, for comparing reads of the same files by two builds.
package dev.meshforge.core.io.obj;

import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.VertexAttribute;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * {@code ObjSceneHashes THREADS FILE...}: one line a file, its name and the SHA-256 of its read on that many threads
 * (materials, nodes, meshes, every attribute's bytes, float64 positions, indices, warnings; or the refusal's type
 * and message). Uses only the public API, so that the same source runs against an older build.
 */
public final class ObjSceneHashes {
    private ObjSceneHashes() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        for (int i = 1; i < args.length; i++) {
            Path file = Path.of(args[i]);
            System.out.println(hash(file, new ObjReader(null, threads)) + "  " + file);
        }
    }

    /** The hex SHA-256 of everything the read of {@code file} by {@code reader} gives. */
    static String hash(Path file, ObjReader reader) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (Scene s = reader.read(file, ReadOptions.DEFAULTS)) {
            for (Material m : s.materials()) {
                text(d, "material " + m.name() + " " + Arrays.toString(m.baseColorFactor()));
            }
            ArrayDeque<Node> todo = new ArrayDeque<>(s.roots());
            while (!todo.isEmpty()) {
                Node n = todo.poll();
                todo.addAll(n.children());
                text(d, "node " + n.name());
                Mesh mesh = n.mesh();
                if (mesh == null) {
                    continue;
                }
                text(d, "mesh " + mesh.name());
                for (Primitive p : mesh.primitives()) {
                    text(d, p.topology() + " " + p.material() + " " + p.vertexCount() + " " + p.indexCount());
                    for (Map.Entry<String, VertexAttribute> a : p.attributes().entrySet()) {
                        text(d, a.getKey());
                        VertexAttribute v = a.getValue();
                        bytes(d, v.data(), 4L * v.count() * v.components());
                    }
                    if (p.positions64() != null) {
                        text(d, "positions64");
                        bytes(d, p.positions64(), 24L * p.vertexCount());
                    }
                    text(d, "indices");
                    for (long i = 0; i < p.indexCount(); i++) {
                        int x = p.index(i);
                        d.update(new byte[] {(byte) x, (byte) (x >>> 8), (byte) (x >>> 16), (byte) (x >>> 24)});
                    }
                }
            }
            text(d, "warnings " + s.warnings());
        } catch (Exception e) {
            text(d, e.getClass().getName() + ": " + e.getMessage());
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static void text(MessageDigest d, String s) {
        d.update(s.getBytes(StandardCharsets.UTF_8));
        d.update((byte) '\n');
    }

    private static void bytes(MessageDigest d, MemorySegment data, long size) {
        byte[] block = new byte[1 << 16];
        for (long at = 0; at < size; at += block.length) {
            int n = (int) Math.min(block.length, size - at);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at, block, 0, n);
            d.update(block, 0, n);
        }
    }
}
