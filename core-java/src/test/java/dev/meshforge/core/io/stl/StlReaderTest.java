// STL edge cases, each on a file the test writes itself.
package dev.meshforge.core.io.stl;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.VertexAttribute;
import dev.meshforge.core.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StlReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static Primitive only(Scene s) {
        return s.roots().get(0).mesh().primitives().get(0);
    }

    /** Corner coordinates of triangle t as read. */
    private static float[] corners(Scene s, int t) {
        Primitive p = only(s);
        float[] out = new float[9];
        for (int k = 0; k < 3; k++) {
            int v = p.index(t * 3L + k);
            for (int a = 0; a < 3; a++) {
                out[k * 3 + a] = p.positions().get(v, a);
            }
        }
        return out;
    }

    @Test
    void binaryFileReadsEveryTriangleWithExactCoordinates() throws IOException {
        float[][] cube = Fixtures.cube();
        try (Scene s = Formats.read(write("cube.stl", Fixtures.binaryStl("plain", 12, cube)))) {
            assertEquals(12, s.triangleCount());
            for (int t = 0; t < 12; t++) {
                assertArrayEquals(cube[t], corners(s, t));
            }
            assertTrue(s.warnings().isEmpty(), s.warnings().toString());
        }
    }

    @Test
    void binaryFileWhoseHeaderStartsWithSolidIsReadAsBinary() throws IOException {
        byte[] bytes = Fixtures.binaryStl("solid cube exported by a CAD tool", 12, Fixtures.cube());
        try (Scene s = Formats.read(write("solid-header.stl", bytes))) {
            assertEquals(12, s.triangleCount());
            assertArrayEquals(Fixtures.cube()[5], corners(s, 5));
        }
    }

    @Test
    void asciiWithLfCrlfAndLoneCrLineEndingsReadsTheSame() throws IOException {
        float[][] cube = Fixtures.cube();
        for (String eol : new String[] {"\n", "\r\n", "\r"}) {
            try (Scene s = Formats.read(write("eol.stl", Fixtures.asciiStl("cube", cube, eol, false)))) {
                assertEquals(12, s.triangleCount(), "line ending " + Arrays.toString(eol.getBytes()));
                assertArrayEquals(cube[11], corners(s, 11));
            }
        }
    }

    @Test
    void asciiKeywordsAreCaseInsensitiveAndSpacingIsFree() throws IOException {
        String text = "  SOLID Cube\n\tFacet   Normal 0 0 -1\nOUTER\tloop\n vertex 0 0 0\n VERTEX 1e0 0 0\n"
                + "vErTeX 1 +1.0 -0\n ENDLOOP\nENDFACET\n   endsolid   Cube   \n";
        try (Scene s = Formats.read(write("case.stl", text))) {
            assertEquals(1, s.triangleCount());
            assertArrayEquals(new float[] {0, 0, 0, 1, 0, 0, 1, 1, -0f}, corners(s, 0));
        }
    }

    @Test
    void severalSolidBlocksAreMergedWithAWarning() throws IOException {
        float[][] cube = Fixtures.cube();
        String text = Fixtures.asciiStl("a", Arrays.copyOfRange(cube, 0, 5), "\n", false)
                + Fixtures.asciiStl("b", Arrays.copyOfRange(cube, 5, 12), "\n", true);
        try (Scene s = Formats.read(write("two.stl", text))) {
            assertEquals(12, s.triangleCount());
            assertArrayEquals(cube[7], corners(s, 7));
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains("2 solids")), s.warnings().toString());
        }
    }

    @Test
    void emptyAsciiSolidReadsAsNoTrianglesWithAWarning() throws IOException {
        try (Scene s = Formats.read(write("empty.stl", "solid nothing\nendsolid nothing\n"))) {
            assertEquals(0, s.triangleCount());
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains("no triangles")));
        }
    }

    @Test
    void emptyBinaryReadsAsNoTriangles() throws IOException {
        try (Scene s = Formats.read(write("empty-bin.stl", Fixtures.binaryStl("", 0, new float[0][])))) {
            assertEquals(0, s.triangleCount());
        }
    }

    @Test
    void zeroByteFileIsRefusedNamingTheFile() throws IOException {
        Path p = write("zero.stl", new byte[0]);
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertTrue(e.getMessage().contains("zero.stl") && e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void shortFileThatIsNeitherAsciiNorBinaryIsRefused() throws IOException {
        Path p = write("short.stl", "not a model at all");
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertTrue(e.getMessage().contains("84-byte header"), e.getMessage());
    }

    @Test
    void binaryCountLargerThanTheFileReadsWhatIsThereWithAWarning() throws IOException {
        byte[] bytes = Fixtures.binaryStl("", 0xFFFF_FFFFL, Fixtures.cube()); // declares 4 billion
        try (Scene s = Formats.read(write("overclaim.stl", bytes))) {
            assertEquals(12, s.triangleCount());
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains("4294967295") && w.contains("only 12")),
                    s.warnings().toString());
        }
    }

    @Test
    void binaryCountSmallerThanTheFileReadsTheDeclaredOnesWithAWarning() throws IOException {
        byte[] bytes = Fixtures.binaryStl("", 10, Fixtures.cube());
        try (Scene s = Formats.read(write("underclaim.stl", bytes))) {
            assertEquals(10, s.triangleCount());
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains("100 bytes follow")), s.warnings().toString());
        }
    }

    @Test
    void binaryFileCutInsideATriangleKeepsTheWholeOnes() throws IOException {
        byte[] full = Fixtures.binaryStl("", 12, Fixtures.cube());
        byte[] cut = Arrays.copyOf(full, full.length - 30);
        try (Scene s = Formats.read(write("cut.stl", cut))) {
            assertEquals(11, s.triangleCount());
            assertArrayEquals(Fixtures.cube()[10], corners(s, 10));
        }
    }

    @Test
    void triangleLimitIsEnforcedAndNamed() throws IOException {
        Path p = write("limit.stl", Fixtures.binaryStl("", 12, Fixtures.cube()));
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> Formats.read(p, new ReadOptions(1 << 20, 5)));
        assertTrue(e.getMessage().contains("maxTriangles") && e.getMessage().contains("5"), e.getMessage());
    }

    /** A binary file large enough to be welded as it is read: refused by its header, before any record is read. */
    @Test
    void triangleLimitIsEnforcedAndNamedOnALargeBinaryFile() throws IOException {
        int count = 70_000;
        byte[] bytes = new byte[84 + 50 * count];
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(80, count);
        Path p = write("large.stl", bytes);
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> Formats.read(p, new ReadOptions(1 << 30, 65_536)));
        assertEquals(p + ": holds 70000 triangles, more than the limit of 65536 (ReadOptions.maxTriangles)",
                e.getMessage());
    }

    @Test
    void nonFiniteTrianglesAreSkippedWithAWarning() throws IOException {
        float[][] tris = Fixtures.cube();
        tris[3][4] = Float.NaN;
        tris[8][0] = Float.POSITIVE_INFINITY;
        try (Scene s = Formats.read(write("nan.stl", Fixtures.binaryStl("", 12, tris)))) {
            assertEquals(10, s.triangleCount());
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains("skipped 2") && w.contains("triangle 3")),
                    s.warnings().toString());
        }
        String ascii = "solid x\nfacet normal 0 0 0\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 1.#INF 1 0\n"
                + "endloop\nendfacet\nfacet normal 0 0 0\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 0 1 0\n"
                + "endloop\nendfacet\nendsolid\n";
        try (Scene s = Formats.read(write("inf.stl", ascii))) {
            assertEquals(1, s.triangleCount());
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains("line 2")), s.warnings().toString());
        }
        // A finite number beyond float's range, and a quad whose fourth vertex is infinite: both facets skipped, so
        // every position of the scene is finite (Formats.read leaves that rule to this reader).
        String wide = "solid w\nfacet normal 0 0 0\nouter loop\nvertex 0 0 0\nvertex 1e39 0 0\nvertex 0 1 0\n"
                + "endloop\nendfacet\nfacet normal 0 0 0\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 1 1 0\n"
                + "vertex 0 1 -inf\nendloop\nendfacet\nfacet normal 0 0 0\nouter loop\nvertex 0 0 0\nvertex 1 0 0\n"
                + "vertex 0 1 0\nendloop\nendfacet\nendsolid\n";
        try (Scene s = Formats.read(write("wide.stl", wide))) {
            assertEquals(1, s.triangleCount());
            VertexAttribute p = s.roots().get(0).mesh().primitives().get(0).positions();
            for (long v = 0; v < p.count(); v++) {
                for (int k = 0; k < 3; k++) {
                    assertTrue(Float.isFinite(p.get(v, k)), "vertex " + v);
                }
            }
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains("skipped 2")), s.warnings().toString());
        }
    }

    @Test
    void asciiGarbageNumberIsRefusedWithItsLine() throws IOException {
        String text = "solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 zero 0\n";
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(write("bad.stl", text)));
        assertTrue(e.getMessage().contains("line 5") && e.getMessage().contains("'zero'"), e.getMessage());
    }

    @Test
    void asciiFileEndingInsideAFacetIsRefused() throws IOException {
        String text = "solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\n";
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(write("cut.stl", text)));
        assertTrue(e.getMessage().contains("starts at line 2"), e.getMessage());
    }

    @Test
    void asciiPolygonFacetIsSplitIntoAFan() throws IOException {
        String text = "solid q\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 1 1 0\n"
                + "vertex 0 1 0\nendloop\nendfacet\nendsolid q\n";
        try (Scene s = Formats.read(write("quad.stl", text))) {
            assertEquals(2, s.triangleCount());
            assertArrayEquals(new float[] {0, 0, 0, 1, 0, 0, 1, 1, 0}, corners(s, 0));
            assertArrayEquals(new float[] {0, 0, 0, 1, 1, 0, 0, 1, 0}, corners(s, 1));
        }
    }

    @Test
    void unparsableFacetNormalIsOnlyAWarning() throws IOException {
        String text = "solid n\nfacet normal +inf -inf weirdvalue\nouter loop\nvertex 0 0 0\nvertex 1 0 0\n"
                + "vertex 0 1 0\nendloop\nendfacet\nendsolid n\n";
        try (Scene s = Formats.read(write("normal.stl", text))) {
            assertEquals(1, s.triangleCount());
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains("line 2") && w.contains("weirdvalue")),
                    s.warnings().toString());
        }
    }
}
