// The numbering an exact weld must give, kept independently of the reader: a map of the corners' bits in file order.
package dev.meshforge.core.io.stl;

import dev.meshforge.core.scene.Primitive;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Corners added triangle by triangle get the number of the first corner with their bits (-0 as 0). */
final class FirstAppearance {
    private final Map<List<Integer>, Integer> ids = new HashMap<>();
    /** Each vertex's bits as first met. */
    private final List<int[]> kept = new ArrayList<>();
    private final List<Integer> corners = new ArrayList<>();

    /** Adds a kept triangle: x, y, z bits of its three corners. */
    void add(int[] bits) {
        for (int c = 0; c < 3; c++) {
            List<Integer> key = List.of(zero(bits[3 * c]), zero(bits[3 * c + 1]), zero(bits[3 * c + 2]));
            Integer id = ids.get(key);
            if (id == null) {
                id = ids.size();
                ids.put(key, id);
                kept.add(new int[] {bits[3 * c], bits[3 * c + 1], bits[3 * c + 2]});
            }
            corners.add(id);
        }
    }

    int vertices() {
        return kept.size();
    }

    /** Asserts that {@code p} has these corners' numbers and these vertices' bits. */
    void check(Primitive p) {
        assertEquals(corners.size(), p.indexCount());
        for (int c = 0; c < corners.size(); c++) {
            assertEquals(corners.get(c), p.indices().getAtIndex(ValueLayout.JAVA_INT, c), "corner " + c);
        }
        assertEquals(kept.size(), p.vertexCount());
        for (int v = 0; v < kept.size(); v++) {
            for (int k = 0; k < 3; k++) {
                assertEquals(kept.get(v)[k], Float.floatToRawIntBits(p.positions().get(v, k)), "vertex " + v);
            }
        }
    }

    private static int zero(int bits) {
        return bits << 1 == 0 ? 0 : bits;
    }
}
