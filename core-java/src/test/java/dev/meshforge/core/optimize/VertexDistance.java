package dev.meshforge.core.optimize;

import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.TriangleMesh;

import java.lang.foreign.Arena;
import java.util.HashMap;
import java.util.Map;

/** World-space vertex sets compared: the farthest any vertex of one lies from the nearest vertex of the other. */
final class VertexDistance {
    private VertexDistance() {
    }

    /** {out -> in, in -> out}: the largest nearest-vertex distance each way over the placed triangles' vertices. */
    static double[] bothWays(Scene input, Scene output) {
        try (Arena arena = Arena.ofConfined()) {
            double[] a = usedPositions(input.worldTriangles(arena));
            double[] b = usedPositions(output.worldTriangles(arena));
            double cell = diagonal(input) / 4096 + 1e-12;
            return new double[] {farthest(b, a, cell), farthest(a, b, cell)};
        }
    }

    static double diagonal(Scene s) {
        try (Arena arena = Arena.ofConfined()) {
            double[] p = usedPositions(s.worldTriangles(arena));
            double[] min = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            double[] max = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
            for (int i = 0; i < p.length; i++) {
                min[i % 3] = Math.min(min[i % 3], p[i]);
                max[i % 3] = Math.max(max[i % 3], p[i]);
            }
            return Math.sqrt(Math.pow(max[0] - min[0], 2) + Math.pow(max[1] - min[1], 2)
                    + Math.pow(max[2] - min[2], 2));
        }
    }

    private static double[] usedPositions(TriangleMesh m) {
        double[] p = new double[(int) m.triangleCount() * 9];
        for (long t = 0; t < m.triangleCount() * 3; t++) {
            long v = m.index(t);
            for (int c = 0; c < 3; c++) {
                p[(int) (t * 3 + c)] = m.coordinate(v, c);
            }
        }
        return p;
    }

    /** The largest distance from a point of {@code from} to its nearest point of {@code to}, by a hash grid. */
    private static double farthest(double[] from, double[] to, double cell) {
        Map<Long, java.util.List<Integer>> grid = new HashMap<>();
        for (int i = 0; i < to.length / 3; i++) {
            grid.computeIfAbsent(key(to, i, cell, 0, 0, 0), k -> new java.util.ArrayList<>()).add(i);
        }
        double worst = 0;
        for (int i = 0; i < from.length / 3; i++) {
            double best = Double.MAX_VALUE;
            for (int dx = -1; dx <= 1; dx++) {
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dz = -1; dz <= 1; dz++) {
                        for (int j : grid.getOrDefault(key(from, i, cell, dx, dy, dz), java.util.List.of())) {
                            double d = Math.pow(from[3 * i] - to[3 * j], 2) + Math.pow(from[3 * i + 1] - to[3 * j + 1], 2)
                                    + Math.pow(from[3 * i + 2] - to[3 * j + 2], 2);
                            best = Math.min(best, d);
                        }
                    }
                }
            }
            worst = Math.max(worst, Math.sqrt(best));
        }
        return worst;
    }

    private static long key(double[] p, int i, double cell, int dx, int dy, int dz) {
        long x = (long) Math.floor(p[3 * i] / cell) + dx;
        long y = (long) Math.floor(p[3 * i + 1] / cell) + dy;
        long z = (long) Math.floor(p[3 * i + 2] / cell) + dz;
        return (x * 73856093L) ^ (y * 19349663L) ^ (z * 83492791L);
    }
}
