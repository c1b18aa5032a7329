// A large binary PLY read in two halves at once holds what a face-by-face read holds: every index, polygons, errors.
package dev.meshforge.core.io.ply;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 90,000 vertices (a 300 x 300 grid in z = 0) and 150,000 face records: both elements past
 * PlyBinaryBody.PARALLEL_RECORDS, so that on a machine of two processors or more each is read in two halves at
 * once. Every expected index is the one the test wrote; a quad, where there is one, is the grid cell (0, 0).
 */
class PlyHalvesTest {
    private static final int SIDE = 300;
    private static final int VERTICES = SIDE * SIDE;
    private static final int FACES = 150_000;
    private static final String HEADER = "ply\nformat binary_little_endian 1.0\nelement vertex " + VERTICES + "\n"
            + "property float x\nproperty float y\nproperty float z\n"
            + "element face " + FACES + "\nproperty list uchar int vertex_indices\nend_header\n";
    private static final int[] QUAD = {0, 1, SIDE + 1, SIDE};

    @TempDir
    Path dir;

    @Test
    void everyVertexAndTriangleOfBothHalvesHasTheValuesWritten() throws Exception {
        try (Scene s = Formats.read(write(-1, -1))) {
            Primitive p = s.roots().getFirst().mesh().primitives().getFirst();
            assertEquals(VERTICES, p.vertexCount());
            for (int v = 0; v < VERTICES; v++) {
                assertEquals(v / SIDE, p.positions().get(v, 0), "x of vertex " + v);
                assertEquals(v % SIDE, p.positions().get(v, 1), "y of vertex " + v);
                assertEquals(0f, p.positions().get(v, 2), "z of vertex " + v);
            }
            int[] idx = indices(s);
            assertEquals(3 * FACES, idx.length);
            for (int r = 0; r < FACES; r++) {
                assertTriangle(idx, 3 * r, r);
            }
            assertEquals(0, s.warnings().size(), s.warnings().toString());
        }
    }

    @Test
    void aQuadInTheFirstHalfIsTriangulatedAndTheFacesAfterItKeepTheirIndices() throws Exception {
        quadAt(10);
    }

    @Test
    void aQuadInTheSecondHalfIsTriangulatedAndTheFacesBeforeAndAfterItKeepTheirIndices() throws Exception {
        quadAt(120_000);
    }

    @Test
    void aVertexOutOfRangeInEitherHalfIsRefusedAtItsByte() throws Exception {
        for (int bad : new int[] {5, 140_000}) {
            Path file = write(-1, bad);
            BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(file).close());
            long corner = HEADER.length() + 12L * VERTICES + 13L * bad + 1 + 4;
            assertTrue(e.getMessage().contains("byte " + corner + ": face " + bad + " refers to vertex " + VERTICES),
                    e.getMessage());
        }
    }

    private void quadAt(int quad) throws Exception {
        try (Scene s = Formats.read(write(quad, -1))) {
            int[] idx = indices(s);
            assertEquals(3 * (FACES + 1), idx.length);
            for (int r = 0; r < quad; r++) {
                assertTriangle(idx, 3 * r, r);
            }
            Set<Integer> covered = new TreeSet<>();
            for (int k = 0; k < 6; k++) {
                covered.add(idx[3 * quad + k]);
            }
            assertEquals(Set.of(QUAD[0], QUAD[1], QUAD[2], QUAD[3]), covered, "the quad's two triangles");
            for (int r = quad + 1; r < FACES; r++) {
                assertTriangle(idx, 3 * r + 3, r);
            }
        }
    }

    /** The file: record {@code quad} the quad (none where -1), record {@code bad} refers to vertex VERTICES. */
    private Path write(int quad, int bad) throws Exception {
        PlyBytes b = new PlyBytes(ByteOrder.LITTLE_ENDIAN);
        for (int v = 0; v < VERTICES; v++) {
            b.put("float", v / SIDE).put("float", v % SIDE).put("float", 0);
        }
        for (int r = 0; r < FACES; r++) {
            if (r == quad) {
                b.put("uchar", 4);
                for (int q : QUAD) {
                    b.put("int", q);
                }
                continue;
            }
            b.put("uchar", 3).put("int", corner(r, 0)).put("int", r == bad ? VERTICES : corner(r, 1))
                    .put("int", corner(r, 2));
        }
        Path file = dir.resolve("halves-" + quad + "-" + bad + ".ply");
        Files.write(file, b.after(HEADER));
        return file;
    }

    /** Corner {@code k} of triangle record {@code r}: spread over the whole vertex range. */
    private static int corner(int r, int k) {
        return (int) ((r * 7L + k * 13L * SIDE + k) % VERTICES);
    }

    private static void assertTriangle(int[] idx, int at, int r) {
        for (int k = 0; k < 3; k++) {
            assertEquals(corner(r, k), idx[at + k], "corner " + k + " of face record " + r);
        }
    }

    private static int[] indices(Scene s) {
        Primitive p = s.roots().getFirst().mesh().primitives().getFirst();
        return p.indices().asSlice(0, p.indexCount() * 4L).toArray(ValueLayout.JAVA_INT);
    }
}
