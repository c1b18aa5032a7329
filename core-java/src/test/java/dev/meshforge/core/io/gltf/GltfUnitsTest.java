// A scene with a declared unit other than metres, or Z up, lands in glTF's metres and Y up.
package dev.meshforge.core.io.gltf;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.TriangleMesh;
import dev.meshforge.core.scene.UpAxis;
import dev.meshforge.core.scene.Units;
import dev.meshforge.core.testing.Fixtures;
import dev.meshforge.core.testing.GltfValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GltfUnitsTest {
    @TempDir
    Path dir;

    @Test
    void centimetresZUpAreWrittenAsMetresYUp() throws Exception {
        Path stl = dir.resolve("tri.stl");
        Files.write(stl, Fixtures.binaryStl("", 1, new float[][] {{1, 2, 3, 4, 5, 6, 7, 8, 9}}));
        Path glb = dir.resolve("tri.glb");
        try (Scene s = Formats.read(stl)) {
            s.units(new Units(0.01, UpAxis.Z, true));
            Formats.write(s, glb, Format.GLB, WriteOptions.DEFAULTS);
        }
        assertEquals(0, GltfValidator.validate(glb).errors());
        try (Scene back = Formats.read(glb); Arena a = Arena.ofConfined()) {
            TriangleMesh m = back.worldTriangles(a);
            // (1, 2, 3) cm, Z up -> (0.01, 0.03, -0.02) m, Y up
            assertEquals(0.01, m.coordinate(m.index(0), 0), 1e-9);
            assertEquals(0.03, m.coordinate(m.index(0), 1), 1e-9);
            assertEquals(-0.02, m.coordinate(m.index(0), 2), 1e-9);
        }
    }
}
