// A binary STL large enough to be welded in two halves at once reads as one weld of the whole would number it.
package dev.meshforge.core.io.stl;

import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StlHalvesTest {
    @TempDir
    Path dir;

    /**
     * 200,000 triangles (over the size welded in halves) whose corners are drawn from a small grid, so that most
     * vertices are met in both halves and some only in the second; zeros of either sign, and triangles with a NaN
     * or an infinity in the second half and, where {@code firstHalfSkips}, a NaN in the first, so that the second
     * half's corners move down (else they are renumbered where they are, on two threads). The expected numbering
     * comes from a map of the corners' bits (with -0 as 0) filled in file order.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aFileWeldedInTwoHalvesNumbersVerticesInFirstAppearanceOrderAsAMapDoes(boolean firstHalfSkips)
            throws Exception {
        int count = 200_000;
        Random random = new Random(17);
        ByteBuffer b = ByteBuffer.allocate(84 + 50 * count).order(ByteOrder.LITTLE_ENDIAN);
        b.position(80);
        b.putInt(count);
        FirstAppearance expected = new FirstAppearance();
        long skipped = 0;
        long firstSkipped = -1;
        for (int t = 0; t < count; t++) {
            b.position(84 + 50 * t + 12);
            boolean finite = true;
            int[] bits = new int[9];
            for (int k = 0; k < 9; k++) {
                // The second half draws from a wider grid: vertices it alone has.
                float v = (random.nextInt(t < count / 2 ? 40 : 48) - 20) * 0.25f;
                if (v == 0 && random.nextBoolean()) {
                    v = -0f;
                }
                if ((t == 1234 && firstHalfSkips || t == 150_000) && k == 4) {
                    v = t == 1234 ? Float.NaN : Float.NEGATIVE_INFINITY;
                }
                finite &= Float.isFinite(v);
                bits[k] = Float.floatToRawIntBits(v);
                b.putFloat(v);
            }
            if (!finite) {
                skipped++;
                firstSkipped = firstSkipped < 0 ? t : firstSkipped;
                continue;
            }
            expected.add(bits);
        }
        assertEquals(firstHalfSkips ? 2 : 1, skipped);
        Path file = dir.resolve("halves.stl");
        Files.write(file, b.array());
        try (Scene s = Formats.read(file)) {
            expected.check(s.roots().getFirst().mesh().primitives().getFirst());
            String warning = "skipped " + skipped + " triangles with NaN or infinite coordinates (the first is "
                    + "triangle " + firstSkipped + ")";
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains(warning)), s.warnings().toString());
        }
    }
}
