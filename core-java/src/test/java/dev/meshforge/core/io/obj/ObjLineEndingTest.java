// OBJ and MTL text from any platform: LF, CR LF and classic Mac OS CR-only line endings read the same.
package dev.meshforge.core.io.obj;

import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjLineEndingTest {
    @TempDir
    Path dir;

    static final String OBJ = "# quad\nmtllib q.mtl\nv 0 0 0\nv 2 0 0\nv 2 3 0\nv 0 3 0\nvt 0 0\nvt 1 0\nvt 1 1\nvt 0 1\n"
            + "g quad\nusemtl red\nf 1/1 2/2 3/3 4/4\n";
    static final String MTL = "newmtl red\nKd 1 0 0\n";

    @Test
    void crOnlyAndCrLfReadAsLf() throws Exception {
        for (String eol : new String[] {"\n", "\r\n", "\r"}) {
            Path sub = Files.createDirectories(dir.resolve("eol" + eol.length() + eol.charAt(0)));
            Files.writeString(sub.resolve("q.mtl"), MTL.replace("\n", eol));
            Path p = sub.resolve("q.obj");
            Files.writeString(p, OBJ.replace("\n", eol));
            try (Scene s = Formats.read(p)) {
                String what = "line ending " + eol.replace("\r", "CR").replace("\n", "LF");
                assertTrue(s.warnings().isEmpty(), what + ": " + s.warnings());
                assertEquals(2, s.triangleCount(), what);
                assertEquals("quad", s.roots().get(0).mesh().name(), what);
                Primitive q = s.roots().get(0).mesh().primitives().get(0);
                assertEquals(4, q.vertexCount(), what);
                assertArrayEquals(new float[] {2, 3, 0}, new float[] {q.positions().get(2, 0), q.positions().get(2, 1),
                        q.positions().get(2, 2)}, what);
                assertArrayEquals(new float[] {1, 0, 0, 1}, s.materials().get(0).baseColorFactor(), what);
            }
        }
    }
}
