// meshforge optimize beside gltfpack and glTF-Transform on the same inputs, in one run: bytes, time and the
// geometric error each output has against its input.
package dev.meshforge.benchmarks;

import dev.meshforge.core.io.Formats;
import dev.meshforge.core.kernel.Kernel;
import dev.meshforge.core.scene.Scene;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs each tool as a process (start-up included for all three), best wall time of {@code runs} and the CPU time
 * (user and system, from /usr/bin/time) of the same run, which a machine shared with other work disturbs less; the
 * error is the
 * kernel's sampled Hausdorff distance (mf_hausdorff, 200 000 samples) from input to output and back, after our
 * reader decodes the output, as a share of the input's diagonal. Settings compared: gltfpack {@code -c} (its
 * default quantization, meshopt compression, no simplification), glTF-Transform {@code optimize --compress meshopt
 * --simplify false --texture-compress false --instance false} (its default texture size limit of 2048;
 * without instancing, as our reader does not read EXT_mesh_gpu_instancing) and meshforge
 * {@code optimize --preset web} (gltfpack's quantization, meshopt compression, textures at most 2048).
 * Usage: {@code OptimizeVsPeers PEERS_DIR MESHFORGE_LAUNCHER WORK_DIR RUNS INPUT...}, where an input named
 * {@code torus1m} is a generated textured torus of 1 000 000 triangles.
 */
public final class OptimizeVsPeers {
    private OptimizeVsPeers() {
    }

    public static void main(String[] args) throws Exception {
        Path peers = Path.of(args[0]).toAbsolutePath();
        Path meshforge = Path.of(args[1]).toAbsolutePath();
        Path work = Path.of(args[2]).toAbsolutePath();
        int runs = Integer.parseInt(args[3]);
        Files.createDirectories(work);
        System.out.println("| input | triangles | input bytes | tool | output bytes | seconds | CPU seconds | "
                + "error in->out | error out->in |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int i = 4; i < args.length; i++) {
            Path in = args[i].equals("torus1m") ? work.resolve("torus1m.glb") : Path.of(args[i]).toAbsolutePath();
            if (args[i].equals("torus1m") && !Files.exists(in)) {
                TexturedTorusGlb.write(in, 1000, 500);
            }
            String stem = in.getFileName().toString().replaceAll("\\.(glb|gltf)$", "");
            List<Tool> tools = List.of(
                    new Tool("meshforge", List.of(meshforge.toString(), "optimize", in.toString(), "OUT", "--quiet")),
                    new Tool("gltfpack", List.of(peers.resolve("node_modules/.bin/gltfpack").toString(), "-i",
                            in.toString(), "-o", "OUT", "-c")),
                    new Tool("gltf-transform", List.of(peers.resolve("node_modules/.bin/gltf-transform").toString(),
                            "optimize", in.toString(), "OUT", "--compress", "meshopt", "--simplify", "false",
                            "--texture-compress", "false", "--instance", "false")));
            try (Scene input = Formats.read(in)) {
                for (Tool t : tools) {
                    Path out = work.resolve(stem + "." + t.name() + ".glb");
                    double best = Double.MAX_VALUE;
                    double cpu = Double.NaN;
                    String failure = null;
                    for (int r = 0; r < runs && failure == null; r++) {
                        Files.deleteIfExists(out);
                        long start = System.nanoTime();
                        failure = t.run(out);
                        double wall = (System.nanoTime() - start) / 1e9;
                        if (wall < best) {
                            best = wall;
                            cpu = cpuSeconds(out);
                        }
                    }
                    if (failure != null) {
                        System.out.printf(Locale.ROOT, "| %s | %d | %d | %s | failed: %s | | | | |%n", stem,
                                input.triangleCount(), Files.size(in), t.name(), failure);
                        continue;
                    }
                    double[] error = error(input, out);
                    System.out.printf(Locale.ROOT, "| %s | %d | %d | %s | %d | %.2f | %.2f | %.2e | %.2e |%n",
                            stem, input.triangleCount(), Files.size(in), t.name(), Files.size(out), best, cpu,
                            error[0], error[1]);
                }
            }
        }
    }

    /** User plus system seconds of the last run writing {@code out}, as /usr/bin/time recorded them; NaN without. */
    private static double cpuSeconds(Path out) {
        try {
            String[] f = Files.readString(timeFile(out)).trim().split("\\s+");
            return Double.parseDouble(f[f.length - 2]) + Double.parseDouble(f[f.length - 1]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static Path timeFile(Path out) {
        return out.resolveSibling(out.getFileName() + ".time");
    }

    /** {input to output, output to input} Hausdorff distances as shares of the input's diagonal. */
    private static double[] error(Scene input, Path out) {
        try (Scene output = Formats.read(out);
             Arena arena = Arena.ofConfined()) {
            double[] h = Kernel.hausdorff(input.worldTriangles(arena), output.worldTriangles(arena), 200_000);
            return new double[] {h[0] / h[2], h[1] / h[2]};
        } catch (RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    private record Tool(String name, List<String> command) {
        /** Runs the tool writing {@code out}; null on success, else the reason. */
        String run(Path out) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/time"))) {
                cmd.addAll(List.of("/usr/bin/time", "-f", "%U %S", "-o", timeFile(out).toString()));
            }
            for (String c : command) {
                cmd.add(c.equals("OUT") ? out.toString() : c);
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile()).start();
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return "over 20 minutes";
            }
            return p.exitValue() == 0 && Files.exists(out) ? null : "exit " + p.exitValue() + " (see "
                    + out.getFileName() + ".log)";
        }
    }
}
