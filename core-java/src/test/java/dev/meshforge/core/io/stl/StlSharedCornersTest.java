// A binary STL exported from an indexed grid (each triangle sharing corners with the one before) welds as a map does.
package dev.meshforge.core.io.stl;

import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StlSharedCornersTest {
    @TempDir
    Path dir;

    /**
     * Quads of a grid written as two triangles each, row by row, as an exporter of an indexed mesh writes them: most
     * corners repeat one of the triangle before. Zero coordinates are written as -0 in every third triangle (so a
     * corner can repeat the one before with the other zero), and one triangle in 997 has a NaN (skipped, so the
     * triangle before the next is an earlier one). 40,000 triangles are welded in one pass, 200,000 in two halves. The
     * expected numbering comes from a map of the corners' bits (with -0 as 0) filled in file order.
     */
    @ParameterizedTest
    @ValueSource(ints = {200, 1000})
    void cornersRepeatingTheTriangleBeforeNumberAsAMapDoes(int side) throws Exception {
        int count = side * 100 * 2;
        ByteBuffer b = ByteBuffer.allocate(84 + 50 * count).order(ByteOrder.LITTLE_ENDIAN);
        b.position(80);
        b.putInt(count);
        FirstAppearance expected = new FirstAppearance();
        int t = 0;
        for (int i = 0; i < 100; i++) {
            for (int j = 0; j < side; j++) {
                int[][] quad = {{i, j}, {i + 1, j}, {i + 1, j + 1}, {i, j}, {i + 1, j + 1}, {i, j + 1}};
                for (int half = 0; half < 2; half++, t++) {
                    b.position(84 + 50 * t + 12);
                    int[] bits = new int[9];
                    boolean nan = t % 997 == 500;
                    for (int c = 0; c < 3; c++) {
                        int[] at = quad[3 * half + c];
                        float x = (at[0] - 50) * 0.5f;
                        float y = (at[1] - side / 2) * 0.25f;
                        float z = nan && c == 1 ? Float.NaN : 0f;
                        float[] xyz = {x, y, z};
                        for (int k = 0; k < 3; k++) {
                            float v = t % 3 == 0 && xyz[k] == 0 ? -0f : xyz[k];
                            bits[3 * c + k] = Float.floatToRawIntBits(v);
                            b.putFloat(v);
                        }
                    }
                    if (!nan) {
                        expected.add(bits);
                    }
                }
            }
        }
        Path file = dir.resolve("grid.stl");
        Files.write(file, b.array());
        try (Scene s = Formats.read(file)) {
            assertEquals(101 * (side + 1), expected.vertices());
            expected.check(s.roots().getFirst().mesh().primitives().getFirst());
        }
    }
}
