// Counts how many triangles use each edge of an indexed primitive, for tests of connectivity.
package dev.meshforge.core.testing;

import dev.meshforge.core.scene.Primitive;

import java.util.HashMap;
import java.util.Map;

public final class Edges {
    private Edges() {
    }

    /**
     * Undirected edges by vertex pair (smaller number in the high half), with the number of triangles using each.
     * Triangles that use one vertex twice are left out, as the corpus facts' checker and Blender drop them.
     */
    public static Map<Long, Integer> of(Primitive p) {
        Map<Long, Integer> edges = new HashMap<>();
        for (long t = 0; t < p.triangleCount(); t++) {
            int a0 = p.index(3 * t), a1 = p.index(3 * t + 1), a2 = p.index(3 * t + 2);
            if (a0 == a1 || a1 == a2 || a0 == a2) {
                continue;
            }
            for (int k = 0; k < 3; k++) {
                long a = p.index(3 * t + k);
                long b = p.index(3 * t + (k + 1) % 3);
                edges.merge(Math.min(a, b) << 32 | Math.max(a, b), 1, Integer::sum);
            }
        }
        return edges;
    }
}
