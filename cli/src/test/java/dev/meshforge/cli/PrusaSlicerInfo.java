package dev.meshforge.cli;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What PrusaSlicer, a program this project did not write, says of a model file: {@code prusa-slicer --info}'s
 * {@code key = value} lines (size_x, size_z, manifold, volume, ...). Skips where it is not installed, except under
 * CI=true, where scripts/prerequisites installs it.
 */
final class PrusaSlicerInfo {
    private static final Path PROGRAM = Path.of("/usr/bin/prusa-slicer");

    private PrusaSlicerInfo() {
    }

    static Map<String, String> of(Path model) throws IOException, InterruptedException {
        if (!Files.isExecutable(PROGRAM)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("prusa-slicer is missing under CI=true: scripts/prerequisites installs it");
            }
            Assumptions.abort("prusa-slicer is not installed (apt-get install prusa-slicer)");
        }
        Process p = new ProcessBuilder(PROGRAM.toString(), "--info", model.toString()).redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("prusa-slicer --info did not finish in 120 s");
        }
        Map<String, String> info = new HashMap<>();
        for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf(" = ");
            if (eq > 0 && !line.startsWith("[")) {
                info.put(line.substring(0, eq).strip(), line.substring(eq + 3).strip());
            }
        }
        if (!info.containsKey("size_z")) {
            throw new IllegalStateException("prusa-slicer did not load " + model + ": " + new String(out,
                    StandardCharsets.UTF_8));
        }
        return info;
    }
}
