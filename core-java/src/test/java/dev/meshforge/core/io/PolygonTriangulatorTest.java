// Ear clipping on polygons in arbitrary planes: n - 2 triangles, all inside the outline, in its winding.
package dev.meshforge.core.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolygonTriangulatorTest {
    private final PolygonTriangulator triangulator = new PolygonTriangulator();

    /** Places 2D outline points on a tilted plane through (5, -2, 3) so that no axis projection is trivial. */
    private static float[] tilted(double[][] outline) {
        double[] u = {0.6, 0.64, 0.48};
        double[] v = {-0.8, 0.48, 0.36};
        float[] xyz = new float[outline.length * 3];
        for (int i = 0; i < outline.length; i++) {
            for (int a = 0; a < 3; a++) {
                xyz[i * 3 + a] = (float) (new double[] {5, -2, 3}[a] + outline[i][0] * u[a] + outline[i][1] * v[a]);
            }
        }
        return xyz;
    }

    private static double cross2(double[] o, double[] a, double[] b) {
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    }

    private static boolean inside(double[][] poly, double x, double y) {
        boolean in = false;
        for (int i = 0, j = poly.length - 1; i < poly.length; j = i++) {
            if ((poly[i][1] > y) != (poly[j][1] > y)
                    && x < (poly[j][0] - poly[i][0]) * (y - poly[i][1]) / (poly[j][1] - poly[i][1]) + poly[i][0]) {
                in = !in;
            }
        }
        return in;
    }

    private static double area(double[][] poly) {
        double a = 0;
        for (int i = 0, j = poly.length - 1; i < poly.length; j = i++) {
            a += poly[j][0] * poly[i][1] - poly[i][0] * poly[j][1];
        }
        return a / 2;
    }

    /**
     * Checks, in the 2D outline's own coordinates: n - 2 triangles, each counter-clockwise like the outline,
     * each centroid inside the outline, and areas summing to the outline's area (so none overlap or stick out).
     */
    private int[] assertInsideAndCovering(double[][] outline) {
        int n = outline.length;
        int[] tris = new int[3 * (n - 2)];
        assertEquals(n - 2, triangulator.triangulate(tilted(outline), n, tris));
        assertFalse(triangulator.lastWasDegenerate());
        double sum = 0;
        for (int t = 0; t < n - 2; t++) {
            double[] a = outline[tris[3 * t]], b = outline[tris[3 * t + 1]], c = outline[tris[3 * t + 2]];
            double twice = cross2(a, b, c);
            assertTrue(twice > 0, "triangle " + t + " keeps the outline's winding");
            double cx = (a[0] + b[0] + c[0]) / 3, cy = (a[1] + b[1] + c[1]) / 3;
            assertTrue(inside(outline, cx, cy), "triangle " + t + " lies inside the polygon");
            sum += twice / 2;
        }
        assertEquals(area(outline), sum, 1e-9 * Math.abs(area(outline)) + 1e-9);
        return tris;
    }

    @Test
    void triangleIsItself() {
        int[] out = new int[3];
        assertEquals(1, triangulator.triangulate(new float[] {0, 0, 0, 1, 0, 0, 0, 1, 0}, 3, out));
        assertArrayEquals(new int[] {0, 1, 2}, out);
    }

    @Test
    void convexPolygonGivesTheFanFromCornerZero() {
        double[][] hexagon = new double[6][];
        for (int i = 0; i < 6; i++) {
            hexagon[i] = new double[] {Math.cos(i * Math.PI / 3), Math.sin(i * Math.PI / 3)};
        }
        int[] tris = assertInsideAndCovering(hexagon);
        assertArrayEquals(new int[] {0, 1, 2, 0, 2, 3, 0, 3, 4, 0, 4, 5}, tris);
    }

    @Test
    void concaveQuadIsCutThroughItsReflexCorner() {
        // An arrowhead: corner 0 is reflex, so the fan (0,1,2),(0,2,3) would be wrong; the cut must use 0-2.
        double[][] dart = {{0, 0}, {2, -1}, {0, 2}, {-2, -1}};
        int[] tris = assertInsideAndCovering(dart);
        for (int t = 0; t < 2; t++) {
            boolean usesDiagonal = false;
            for (int k = 0; k < 3; k++) {
                int next = tris[3 * t + (k + 1) % 3], last = tris[3 * t + (k + 2) % 3];
                usesDiagonal |= tris[3 * t + k] == 0 && (next == 2 || last == 2);
            }
            assertTrue(usesDiagonal, "every triangle has the diagonal 0-2");
        }
    }

    @Test
    void concaveLetterShapesStayInsideTheirOutline() {
        double[][] letterL = {{0, 0}, {3, 0}, {3, 1}, {1, 1}, {1, 4}, {0, 4}};
        double[][] letterU = {{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}};
        double[][] comb = {{0, 0}, {7, 0}, {7, 3}, {6, 3}, {6, 1}, {5, 1}, {5, 3}, {4, 3}, {4, 1}, {3, 1}, {3, 3},
                {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}};
        assertInsideAndCovering(letterL);
        assertInsideAndCovering(letterU);
        assertInsideAndCovering(comb);
    }

    @Test
    void starWithManyReflexCornersStaysInside() {
        int points = 9;
        double[][] star = new double[points * 2][];
        for (int i = 0; i < points * 2; i++) {
            double r = i % 2 == 0 ? 3 : 1;
            double a = i * Math.PI / points;
            star[i] = new double[] {r * Math.cos(a), r * Math.sin(a)};
        }
        assertInsideAndCovering(star);
    }

    @Test
    void randomStarShapedPolygonsAreCutInsideTheirOutline() {
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 300; round++) {
            int n = 4 + random.nextInt(60);
            double[][] outline = new double[n][];
            for (int i = 0; i < n; i++) {
                double r = 0.2 + random.nextDouble() * 3;
                double a = 2 * Math.PI * (i + 0.1 + 0.8 * random.nextDouble()) / n;
                outline[i] = new double[] {r * Math.cos(a), r * Math.sin(a)};
            }
            assertInsideAndCovering(outline);
        }
    }

    @Test
    void largePolygonsAreCutExactlyNotByTheFallback() {
        double[][] circle = new double[20_000][];
        for (int i = 0; i < circle.length; i++) {
            double a = 2 * Math.PI * i / circle.length;
            circle[i] = new double[] {100 * Math.cos(a), 100 * Math.sin(a)};
        }
        int[] tris = new int[3 * (circle.length - 2)];
        assertEquals(circle.length - 2, triangulator.triangulate(tilted(circle), circle.length, tris));
        assertFalse(triangulator.lastWasDegenerate());
        assertEquals(0, tris[3 * 5000]);
        double[][] star = new double[4000][];
        for (int i = 0; i < star.length; i++) {
            double r = i % 2 == 0 ? 3 : 2.9;
            double a = 2 * Math.PI * i / star.length;
            star[i] = new double[] {r * Math.cos(a), r * Math.sin(a)};
        }
        assertInsideAndCovering(star);
    }

    @Test
    void clockwiseOutlineIsHandledByItsOwnNormal() {
        // Reversed winding: the best-fit normal flips with it, so the polygon is still cut correctly.
        double[][] letterL = {{0, 4}, {1, 4}, {1, 1}, {3, 1}, {3, 0}, {0, 0}};
        int n = letterL.length;
        int[] tris = new int[3 * (n - 2)];
        assertEquals(n - 2, triangulator.triangulate(tilted(letterL), n, tris));
        double sum = 0;
        for (int t = 0; t < n - 2; t++) {
            double twice = cross2(letterL[tris[3 * t]], letterL[tris[3 * t + 1]], letterL[tris[3 * t + 2]]);
            assertTrue(twice < 0, "clockwise like the outline");
            sum -= twice / 2;
        }
        assertEquals(-area(letterL), sum, 1e-9);
    }

    @Test
    void collinearCornersOnAnEdgeAreNotADefect() {
        double[][] rectangleWithMidpoints = {{0, 0}, {1, 0}, {2, 0}, {2, 1}, {1, 1}, {0, 1}};
        assertInsideAndCovering(rectangleWithMidpoints);
    }

    @Test
    void polygonWithoutAreaStillGivesNMinusTwoTrianglesAndIsFlagged() {
        float[] line = {0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4};
        int[] tris = new int[9];
        assertEquals(3, triangulator.triangulate(line, 5, tris));
        assertTrue(triangulator.lastWasDegenerate());
    }

    @Test
    void selfIntersectingPolygonStillGivesNMinusTwoValidTriangles() {
        double[][] figureEight = {{0, 0}, {2, 2}, {4, 0}, {4, 2}, {2, 0}, {0, 2}};
        int[] tris = new int[12];
        assertEquals(4, triangulator.triangulate(tilted(figureEight), 6, tris));
        for (int corner : tris) {
            assertTrue(corner >= 0 && corner < 6);
        }
    }

    @Test
    void fewerThanThreeCornersGiveNothing() {
        assertEquals(0, triangulator.triangulate(new float[6], 2, new int[0]));
    }
}
