// Reading a generated 2M-triangle mesh written by our own writers in every format: meshforge beside assimp and a
// memory copy of the same bytes, in the same run.
package dev.meshforge.benchmarks;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Scene;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The input is {@link Torus} with {@code triangles} triangles (normals and UVs, 1000 x 1000 rings and segments
 * for the default 2M), written once per trial by meshforge's writers: OBJ, FBX binary, glTF with a .bin
 * ({@code gltf-bin}), the same glTF with its buffer moved into a base64 data URI ({@code gltf}), GLB, binary PLY
 * and binary STL. The setup prints the file's size (for MB/s) and compares both readers' triangle counts.
 * CI's smoke run passes {@code -p triangles=20000}.
 */
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
@State(Scope.Benchmark)
public class GeneratedReadBenchmark extends ReadComparison {
    @Param({"obj", "fbx", "gltf", "gltf-bin", "glb", "ply", "stl"})
    public String format;

    @Param({"2000000"})
    public int triangles;

    private Path folder;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        folder = Files.createTempDirectory("meshforge-read-bench");
        file = write(folder, format, triangles);
        try (Stream<Path> all = Files.list(folder)) {
            files = all.toList();
        }
        long ours = meshforge();
        long theirs = assimp();
        System.err.printf("%n%s: %d bytes, meshforge reads %d triangles, assimp %d%n", file.getFileName(),
                memoryCopy(), ours, theirs);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Writes the torus in the named format into folder; returns the file to read. */
    static Path write(Path folder, String format, int triangles) throws IOException {
        int side = (int) Math.round(Math.sqrt(triangles / 2.0));
        boolean dataUri = format.equals("gltf");
        Format target = switch (format) {
            case "gltf", "gltf-bin" -> Format.GLTF;
            default -> Format.valueOf(format.toUpperCase(java.util.Locale.ROOT));
        };
        Path file = folder.resolve("torus." + target.extension());
        try (Scene s = Torus.scene(side, side)) {
            Formats.write(s, file, target, WriteOptions.DEFAULTS);
        }
        if (dataUri) {
            embedBuffer(file, folder.resolve("torus.bin"));
        }
        return file;
    }

    /** Moves the .bin into the .gltf as a base64 data URI (what exporters that write one file do). */
    private static void embedBuffer(Path gltf, Path bin) throws IOException {
        String json = Files.readString(gltf, StandardCharsets.UTF_8);
        String uri = "\"" + bin.getFileName() + "\"";
        if (!json.contains(uri)) {
            throw new IllegalStateException(gltf + " does not name its buffer " + uri);
        }
        String data = "\"data:application/octet-stream;base64,"
                + Base64.getEncoder().encodeToString(Files.readAllBytes(bin)) + "\"";
        Files.writeString(gltf, json.replace(uri, data), StandardCharsets.UTF_8);
        Files.delete(bin);
    }
}
