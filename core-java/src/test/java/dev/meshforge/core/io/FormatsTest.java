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

    @Test
    void everyFormatPackageIsRegistered() {
        java.util.Set<Format> readable = java.util.EnumSet.noneOf(Format.class);
        java.util.Set<Format> writable = java.util.EnumSet.noneOf(Format.class);
        for (Format f : Format.values()) {
            try {
                Formats.reader(f);
                readable.add(f);
            } catch (dev.meshforge.core.UnsupportedFeatureException e) {
                assertTrue(e.getMessage().contains("reading " + f.id()), e.getMessage());
            }
            try {
                Formats.writer(f);
                writable.add(f);
            } catch (dev.meshforge.core.UnsupportedFeatureException e) {
                assertTrue(e.getMessage().contains("writing " + f.id()), e.getMessage());
            }
        }
        assertEquals(java.util.EnumSet.of(Format.STL, Format.GLB, Format.GLTF, Format.OBJ, Format.PLY, Format.FBX,
                Format.ZIP, Format.THREE_MF), readable);
        assertEquals(java.util.EnumSet.complementOf(java.util.EnumSet.of(Format.ZIP)), writable);
    }

    @Test
    void threeMfIsAZipToldByItsExtensionAndNamedByUsersAs3mf() throws IOException {
        assertEquals(Format.THREE_MF, Format.parseOutput("3mf"));
        assertEquals(Format.THREE_MF, Format.forOutput(Path.of("part.3MF")));
        assertTrue(Format.outputNames().contains("3mf"), Format.outputNames().toString());
        Path cube = dev.meshforge.core.testing.TestData.file("cube.obj");
        Path out = dir.resolve("cube.3mf");
        try (Scene s = Formats.read(cube)) {
            Formats.write(s, out, Format.forOutput(out), WriteOptions.DEFAULTS);
        }
        assertEquals(Format.THREE_MF, Formats.detect(out));
        Path zip = dir.resolve("cube.zip");
        Files.copy(out, zip);
        assertEquals(Format.ZIP, Formats.detect(zip));
        try (Scene s = Formats.read(out)) {
            assertEquals(12, s.triangleCount());
        }
    }

    @Test
    void aFileOfNoKnownFormatNamesTheExtensionsThatAreRead() throws IOException {
        Path p = dir.resolve("model.xyz");
        Files.writeString(p, "1 2 3\n");
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertTrue(e.getMessage().contains("stl, glb, gltf, obj, ply, fbx, zip, 3mf"), e.getMessage());
    }
}
