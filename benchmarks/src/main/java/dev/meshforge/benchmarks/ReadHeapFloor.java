// The least Java heap each reader needs for the generated 2M-triangle inputs, found by reading in child JVMs.
package dev.meshforge.benchmarks;

import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.VertexAttribute;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * For every format of {@link GeneratedReadBenchmark}: writes the torus once, then bisects the smallest
 * {@code -Xmx} (to 8 MiB) under which a fresh JVM (serial GC) reads it; that is the reader's peak live heap plus
 * the JVM's own few MiB. The scene's vertex data lives off the heap (the scene's arena), so the heap holds what a
 * reader keeps besides it: the file's bytes where it reads them whole, and its working arrays. Prints a line a
 * format: the input's size, the heap floor and their ratio, and the bytes of the read scene's vertex and index
 * segments (off the heap), so that what a reader holds can be set against the file plus the scene.
 *   java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *       dev.meshforge.benchmarks.ReadHeapFloor [TRIANGLES [FORMAT...]]
 */
public final class ReadHeapFloor {
    private ReadHeapFloor() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--read")) {
            try (Scene s = Formats.read(Path.of(args[1]))) {
                System.exit(s.triangleCount() > 0 ? 0 : 3);
            }
        }
        int triangles = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        List<String> formats = args.length > 1 ? List.of(args).subList(1, args.length)
                : List.of("obj", "fbx", "gltf", "gltf-bin", "glb", "ply", "stl");
        for (String format : formats) {
            Path folder = Files.createTempDirectory("meshforge-heap-floor");
            try {
                Path file = GeneratedReadBenchmark.write(folder, format, triangles);
                long bytes = 0;
                try (var all = Files.list(folder)) {
                    for (Path p : all.toList()) {
                        bytes += Files.size(p);
                    }
                }
                int low = 8;
                int high = 16384;
                if (!reads(file, high)) {
                    System.out.printf("%s: not readable in %d MiB%n", format, high);
                    continue;
                }
                while (high - low > 8) {
                    int mid = (low + high) / 2;
                    if (reads(file, mid)) {
                        high = mid;
                    } else {
                        low = mid;
                    }
                }
                double mib = bytes / 1048576.0;
                double sceneMib;
                try (Scene s = Formats.read(file)) {
                    sceneMib = sceneBytes(s) / 1048576.0;
                }
                System.out.printf(Locale.ROOT, "%-8s input %7.1f MiB  heap floor %5d MiB  (%.2f x the input)  "
                        + "scene off the heap %6.1f MiB%n", format, mib, high, high / mib, sceneMib);
            } finally {
                try (var all = Files.walk(folder)) {
                    for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    /** The bytes of every segment the scene's primitives hold (vertex attributes and indices). */
    private static long sceneBytes(Scene s) {
        long total = 0;
        java.util.ArrayDeque<Node> todo = new java.util.ArrayDeque<>(s.roots());
        java.util.Set<Primitive> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!todo.isEmpty()) {
            Node n = todo.poll();
            todo.addAll(n.children());
            if (n.mesh() == null) {
                continue;
            }
            for (Primitive p : n.mesh().primitives()) {
                if (!seen.add(p)) {
                    continue;
                }
                total += p.indices().byteSize();
                for (VertexAttribute a : p.attributes().values()) {
                    total += a.data().byteSize();
                }
            }
        }
        return total;
    }

    private static boolean reads(Path file, int heapMiB) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heapMiB + "m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ReadHeapFloor.class.getName(), "--read",
                file.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor() == 0;
    }
}
