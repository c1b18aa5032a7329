// Runs the Khronos glTF validator (npm gltf-validator, under tools/validator) on a file and returns its report.
package dev.meshforge.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The validator lives in {@code tools/validator} (package.json + validate.js); its node_modules are installed
 * with {@code npm ci} on first use. Missing node or npm is a test failure with a message saying what to install.
 */
public final class GltfValidator {
    private static Path dir;

    private GltfValidator() {
    }

    /** A validator report: error count and the messages (code, pointer, text) of the errors. */
    public record Report(int errors, int warnings, List<String> errorMessages, JsonNode json) {
    }

    private static synchronized Path dir() throws IOException, InterruptedException {
        if (dir != null) {
            return dir;
        }
        Path at = Path.of("").toAbsolutePath();
        while (at != null && !Files.isRegularFile(at.resolve("tools/validator/package.json"))) {
            at = at.getParent();
        }
        if (at == null) {
            throw new IllegalStateException("tools/validator/package.json was not found above "
                    + Path.of("").toAbsolutePath());
        }
        Path d = at.resolve("tools/validator");
        if (!Files.isDirectory(d.resolve("node_modules/gltf-validator"))) {
            boolean lock = Files.isRegularFile(d.resolve("package-lock.json"));
            run(d, 300, "npm", lock ? "ci" : "install", "--no-audit", "--no-fund");
        }
        dir = d;
        return d;
    }

    private static String run(Path cwd, int seconds, String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new IllegalStateException("the glTF validator tests need '" + command[0] + "' (Node.js 18+ with "
                    + "npm) on PATH; install Node.js (Debian/Ubuntu: apt-get install nodejs npm)", e);
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in " + seconds + " s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " in " + cwd + " failed (exit "
                    + p.exitValue() + "): " + new String(err, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    public static Report validate(Path file) throws IOException, InterruptedException {
        Path d = dir();
        String out = run(d, 120, "node", d.resolve("validate.js").toString(), file.toAbsolutePath().toString());
        JsonNode report = new ObjectMapper().readTree(out);
        JsonNode issues = report.path("issues");
        List<String> errors = new ArrayList<>();
        for (JsonNode m : issues.path("messages")) {
            if (m.path("severity").asInt(-1) == 0) {
                errors.add(m.path("code").asText() + " at " + m.path("pointer").asText() + ": "
                        + m.path("message").asText());
            }
        }
        return new Report(issues.path("numErrors").asInt(), issues.path("numWarnings").asInt(), errors, report);
    }
}
