// Lists a SHA-256 of every buffer a read gives, for comparing two builds' reads of the same files.
package dev.meshforge.benchmarks;

import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * {@code SceneHashes FILE...}: one line a file, the SHA-256 of its read (node and mesh names, each primitive's
 * topology and counts, every attribute's bytes, the indices, the warnings; or the refusal's type and message), then
 * its name. {@code SceneHashes --generate FOLDER FORMAT TRIANGLES} writes the generated torus the read benchmarks use
 * and prints its path. Uses only the public API, so that the same class runs against an older build's jar.
 */
public final class SceneHashes {
    private SceneHashes() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("--generate")) {
            Path folder = Files.createDirectories(Path.of(args[1]));
            System.out.println(GeneratedReadBenchmark.write(folder, args[2], Integer.parseInt(args[3])));
            return;
        }
        for (String name : args) {
            System.out.println(hash(Path.of(name)) + "  " + name);
        }
    }

    static String hash(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (Scene s = Formats.read(file)) {
            for (Node root : s.roots()) {
                node(d, root);
            }
            line(d, "warnings " + s.warnings());
        } catch (Exception e) {
            line(d, e.getClass().getName() + ": " + e.getMessage());
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** Digests {@code n}, its mesh's primitives and then its children. */
    private static void node(MessageDigest d, Node n) {
        Mesh mesh = n.mesh();
        line(d, "node " + n.name() + (mesh == null ? "" : " mesh " + mesh.name()));
        if (mesh != null) {
            for (Primitive p : mesh.primitives()) {
                line(d, "primitive " + p.topology() + " " + p.vertexCount() + " " + p.indexCount());
                p.attributes().forEach((name, v) -> {
                    line(d, "attribute " + name + " " + v.components() + " " + v.count());
                    digest(d, v.data(), 4L * v.count() * v.components());
                });
                line(d, "indices");
                digest(d, p.indices(), 4L * p.indexCount());
            }
        }
        for (Node child : n.children()) {
            node(d, child);
        }
    }

    private static void line(MessageDigest d, String s) {
        d.update((s + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Digests the first {@code size} bytes of {@code data} (less than 2 GiB: the inputs here are). */
    private static void digest(MessageDigest d, MemorySegment data, long size) {
        d.update(data.asSlice(0, size).asByteBuffer());
    }
}
