// A machine without libEGL: the renderer says in one sentence what is missing and which packages provide it.
package dev.meshforge.render;

import dev.meshforge.core.UnsupportedFeatureException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LWJGL loads libEGL once per JVM, so the missing library is staged in a JVM of its own, which LWJGL is told to
 * look for libEGL where there is none ({@code org.lwjgl.egl.libname}).
 */
class NoEglTest {
    /** Opens a renderer; prints the refusal's message and exits 3, or exits 0 if a context opened. */
    public static void main(String[] args) {
        try {
            StudioRenderer.open().close();
            System.exit(0);
        } catch (UnsupportedFeatureException e) {
            System.out.print(e.getMessage());
            System.exit(3);
        }
    }

    @Test
    void withoutLibEglTheRefusalNamesWhatIsMissingAndThePackages() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-Dorg.lwjgl.egl.libname=/nonexistent/libEGL.so.1", "-cp", System.getProperty("java.class.path"),
                NoEglTest.class.getName()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(3, p.exitValue(), out);
        assertTrue(out.startsWith("rendering needs EGL, but libEGL.so.1 could not be loaded ("), out);
        assertTrue(out.endsWith("(Debian/Ubuntu: apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri)."), out);
        assertEquals(1, out.lines().count(), out);
    }
}
