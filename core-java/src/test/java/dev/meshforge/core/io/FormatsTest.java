// Rules every reader's output meets, checked through Formats.read.
package dev.meshforge.core.io;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FormatsTest {
    @TempDir
    Path dir;

    private Path ply(String name, String secondNormal, String secondPosition) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\n"
                + "property float z\nproperty float nx\nproperty float ny\nproperty float nz\nelement face 1\n"
                + "property list uchar int vertex_indices\nend_header\n0 0 0 0 0 1\n" + secondPosition + " "
                + secondNormal + "\n0 1 0 0 0 1\n3 0 1 2\n");
        return p;
    }

    @Test
    void nonFiniteAttributeValuesAreSetToZeroWithAWarning() throws IOException {
        try (Scene s = Formats.read(ply("n.ply", "nan 0 inf", "1 0 0"))) {
            Primitive p = s.roots().get(0).mesh().primitives().get(0);
            assertEquals(0f, p.attribute("NORMAL").get(1, 0));
            assertEquals(0f, p.attribute("NORMAL").get(1, 2));
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains("2 NaN or infinite NORMAL values")),
                    s.warnings().toString());
        }
    }

    @Test
    void nonFinitePositionIsRefusedNamingTheVertex() throws IOException {
        Path p = ply("p.ply", "0 0 1", "1 nan 0");
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertTrue(e.getMessage().contains("p.ply") && e.getMessage().contains("vertex 1"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
