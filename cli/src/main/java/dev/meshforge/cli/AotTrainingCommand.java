// The training run of the launcher's ahead-of-time cache: the common commands once each, on a model of its own.
package dev.meshforge.cli;

import dev.meshforge.core.io.Format;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Runs inspect, convert to every output format, repair, scale and optimize (the web preset) on a small cube it
 * writes itself, and inspect and convert (OBJ, GLB, STL, FBX) on a torus of 32,000 triangles, with their output
 * discarded, so that a JVM started with {@code -XX:AOTCacheOutput} records the classes those commands use (JDK 25,
 * JEP 483/514; the launcher records no method profiles, see there). Every class it loads is loaded by every later
 * command before main, so it runs nothing more than that. The launcher runs it once after each build; it is hidden from the help.
 */
@Command(name = "aot-training", addMethodSubcommands = false,
        hidden = true, description = "Run the common commands once (the AOT cache's training).")
final class AotTrainingCommand implements Callable<Integer> {
    /** A unit cube with UVs and a normal, in OBJ: the model of the training run and of the daemon's warm-up. */
    static final String CUBE = """
            v 0 0 0
            v 1 0 0
            v 1 1 0
            v 0 1 0
            v 0 0 1
            v 1 0 1
            v 1 1 1
            v 0 1 1
            vt 0 0
            vt 1 0
            vt 1 1
            vn 0 0 1
            f 1/1/1 3/3/1 2/2/1
            f 1/1/1 4/3/1 3/2/1
            f 5/1/1 6/2/1 7/3/1
            f 5/1/1 7/3/1 8/2/1
            f 1/1/1 2/2/1 6/3/1
            f 1/1/1 6/3/1 5/2/1
            f 2/1/1 3/2/1 7/3/1
            f 2/1/1 7/3/1 6/2/1
            f 3/1/1 4/2/1 8/3/1
            f 3/1/1 8/3/1 7/2/1
            f 4/1/1 1/2/1 5/3/1
            f 4/1/1 5/3/1 8/2/1
            """;

    @Override
    public Integer call() throws IOException {
        Path dir = Files.createTempDirectory("meshforge-aot");
        PrintStream out = System.out;
        PrintStream err = System.err;
        int failed = 0;
        try (PrintStream sink = new PrintStream(PrintStream.nullOutputStream())) {
            System.setOut(sink);
            System.setErr(sink);
            Path cube = Files.writeString(dir.resolve("cube.obj"), CUBE);
            List<List<String>> runs = new java.util.ArrayList<>(List.of(
                    List.of("inspect", cube.toString(), "--json"),
                    List.of("inspect", cube.toString()),
                    List.of("repair", cube.toString(), dir.resolve("repaired.stl").toString(), "--json"),
                    List.of("scale", cube.toString(), dir.resolve("scaled.3mf").toString(), "--height", "20mm"),
                    List.of("optimize", cube.toString(), dir.resolve("optimized.glb").toString(), "--preset", "web")));
            for (String format : Format.outputNames()) {
                Path to = dir.resolve("cube-" + format + "." + Format.parseOutput(format).extension());
                runs.add(List.of("convert", cube.toString(), to.toString(), "--to", format, "--quiet"));
                runs.add(List.of("inspect", to.toString(), "--no-intersections"));
            }
            // A model of some size too (a torus of 2 * 160 * 100 = 32,000 triangles with normals and UVs), read and
            // written in the formats people send most: the paths only a larger model takes (the OBJ reader's slices
            // on helper threads among them) are then in the cache too.
            Path torus = Files.writeString(dir.resolve("torus.obj"), torus(160, 100));
            runs.add(List.of("inspect", torus.toString()));
            for (String format : List.of("glb", "stl", "fbx")) {
                Path to = dir.resolve("torus." + format);
                runs.add(List.of("convert", torus.toString(), to.toString(), "--quiet"));
                runs.add(List.of("inspect", to.toString()));
            }
            for (List<String> run : runs) {
                String[] argv = run.toArray(String[]::new);
                failed += Main.commandLine(argv).execute(argv) == 0 ? 0 : 1;
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
            deleteTree(dir);
        }
        if (failed > 0) {
            err.println("meshforge: " + failed + " of the training commands failed");
        }
        return failed == 0 ? 0 : 1;
    }

    /** A torus as OBJ text: {@code rings * segments} quads split in two, each corner with its normal and UV. */
    static String torus(int rings, int segments) {
        StringBuilder obj = new StringBuilder(rings * segments * 160);
        double major = 2;
        double minor = 0.6;
        for (int i = 0; i < rings; i++) {
            double u = 2 * Math.PI * i / rings;
            for (int j = 0; j < segments; j++) {
                double v = 2 * Math.PI * j / segments;
                double nx = Math.cos(v) * Math.cos(u);
                double ny = Math.cos(v) * Math.sin(u);
                double nz = Math.sin(v);
                double r = major + minor * Math.cos(v);
                obj.append("v ").append(r * Math.cos(u)).append(' ').append(r * Math.sin(u)).append(' ')
                        .append(minor * nz).append("\nvn ").append(nx).append(' ').append(ny).append(' ').append(nz)
                        .append("\nvt ").append((double) i / rings).append(' ').append((double) j / segments)
                        .append('\n');
            }
        }
        for (int i = 0; i < rings; i++) {
            for (int j = 0; j < segments; j++) {
                int a = i * segments + j + 1;
                int b = (i + 1) % rings * segments + j + 1;
                int c = (i + 1) % rings * segments + (j + 1) % segments + 1;
                int d = i * segments + (j + 1) % segments + 1;
                obj.append("f ").append(a).append('/').append(a).append('/').append(a).append(' ')
                        .append(b).append('/').append(b).append('/').append(b).append(' ')
                        .append(c).append('/').append(c).append('/').append(c).append('\n');
                obj.append("f ").append(a).append('/').append(a).append('/').append(a).append(' ')
                        .append(c).append('/').append(c).append('/').append(c).append(' ')
                        .append(d).append('/').append(d).append('/').append(d).append('\n');
            }
        }
        return obj.toString();
    }

    /** Deletes {@code dir} and everything in it (the training's folder, the daemon's warm-up folder). */
    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
