// Runs Blender headless on files, to see a model the way a user's Blender imports it.
package dev.meshforge.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Finds {@code blender} on the PATH; where it is absent a test is skipped with the reason, except under CI
 * ({@code CI=true}), where scripts/prerequisites installs it and its absence is a failure.
 */
public final class Blender {
    private Blender() {
    }

    /** The blender executable. */
    public static Path executable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path b = Path.of(dir, "blender");
            if (Files.isExecutable(b)) {
                return b;
            }
        }
        String why = "Blender is not installed (no 'blender' on PATH; apt-get install blender python3-numpy)";
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(why + ", which scripts/prerequisites installs under CI");
        }
        Assumptions.abort(why);
        return null;
    }

    /** Runs {@code blender -b --factory-startup --python script -- args} and returns its output (stdout and stderr). */
    public static String run(Path script, List<String> args, long seconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable().toString(), "-b", "--factory-startup",
                "--python", script.toString(), "--"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("Blender did not finish in " + seconds + " s");
        }
        return output;
    }

    /**
     * What Blender imports from each file (describe.py's JSON: meshes, vertices, triangles, open_edges, bones,
     * actions, shape_keys, images, blend, names; or error), by the path given; {@code seconds} bounds each of
     * the Blender processes the files are shared among.
     */
    public static Map<String, JsonNode> describe(Path workDir, List<Path> files, long seconds)
            throws IOException, InterruptedException {
        Path script = workDir.resolve("describe.py");
        try (InputStream in = Blender.class.getResourceAsStream("/blender/describe.py")) {
            Files.write(script, in.readAllBytes());
        }
        // One Blender a core (at most 4), each importing every k-th file: a long list takes a fraction of the time
        int k = Math.max(1, Math.min(Math.min(4, Runtime.getRuntime().availableProcessors()), files.size() / 8));
        List<java.util.concurrent.Future<String>> runs = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(k)) {
            for (int i = 0; i < k; i++) {
                List<String> share = new ArrayList<>();
                for (int f = i; f < files.size(); f += k) {
                    share.add(files.get(f).toString());
                }
                runs.add(pool.submit(() -> run(script, share, seconds)));
            }
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        ObjectMapper mapper = new ObjectMapper();
        for (var r : runs) {
            String output;
            try {
                output = r.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IllegalStateException(e.getCause());
            }
            for (String line : output.split("\n")) {
                if (line.startsWith("MFSCENE ")) {
                    JsonNode j = mapper.readTree(line.substring(8));
                    out.put(j.path("file").asText(), j);
                }
            }
        }
        return out;
    }
}
