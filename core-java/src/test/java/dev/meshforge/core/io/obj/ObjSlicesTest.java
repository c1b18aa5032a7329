// A large OBJ text read in slices on several threads gives what one thread reading it alone gives, bit for bit.
package dev.meshforge.core.io.obj;

import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.VertexAttribute;
import dev.meshforge.core.testing.Corpus;
import dev.meshforge.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sliced read ({@link ObjChunk}), on one thread and on several, against the cursor's read alone, on every OBJ
 * of the corpus and of testdata and on texts made to hit the places where slicing could go wrong: continuations
 * (in statements, in comments, before a slice's cut), CR-only and CR LF line ends, odd number forms, references
 * out of range, short and degenerate faces, groups and materials switching. Slices of one line and of a few hundred bytes put a cut
 * nearly everywhere. Compared: every node, mesh, material, attribute bit and index, every warning, or the
 * refusal's type and message.
 */
class ObjSlicesTest {
    @TempDir
    Path dir;

    static Stream<Path> files() throws Exception {
        List<Path> all = new ArrayList<>();
        for (Path root : new Path[] {Corpus.root().resolve("obj"), TestData.root()}) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".obj")).sorted().forEach(all::add);
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void filesReadTheSameInSlices(Path file) {
        assertSame(file);
    }

    @Test
    void madeTextsReadTheSameInSlices() throws Exception {
        String[] texts = {
            // Plain, with negative references, colours, short and polygonal faces.
            "v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0 0.5 0.5 0.5\nvt 0 0\nvt 1\nvn 0 0 1\nf 1/1/1 2/2/1 3/1/1\n"
                + "f -4 -3 -2 -1\nf 1 2\nf\nf 1 2 3 4 1 2\nl 1 2 3\np 1 2\ns off\ns 1\n",
            // Continuations: in a statement, a blank one, one before a cut, one in a comment (which does not join).
            "v 0 0 0\nv 1 0 \\\n 0\nv 1 1 0 \\  \r\n\nv 0 1 0\n  \\\nf 1 2 3\n# a comment \\\nf 1 3 4\nf 1 \\\n2 4\n"
                + "vt 0.5 0.5 \\\n 7\nvn 0 0 1 \\\nvn 0 1 0\nf 2 3 4 \\",
            // CR only, CR LF mixed in, tabs and form feeds between tokens.
            "v 0 0 0\rv 1 0 0\r\nv\t1\t1\f0\rv 0 1 0\rf 1 2 3\r\nf\t1 3 4\r",
            // Odd number forms: the first is warned about with its line, later ones read by their prefix too.
            "v 0 0 0\nv 1e0 0 0\nv 1 1.5f 0\nv 0 1 3.1+e2\nv nan inf 0\nv 0.12345678901234567 1 0\nf 1 2 3\n"
                + "f 3 4 5\n",
            // Groups, objects and materials switching between faces; names with spaces; unknown statements.
            "mtllib none.mtl\nv 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\no first\nusemtl a\nf 1 2 3\ng part one\n"
                + "usemtl b\nf 1 3 4\nusemtl a\nf 2 3 4\ng part one\nf 1 2 4\nbevel on\ncstype bezier\nf 1 2 3\n",
            // A reference beyond the vertices so far: refused with its line.
            "v 0 0 0\nv 1 0 0\nv 1 1 0\nf 1 2 3\nf 1 2 4\nv 0 1 0\n",
            // A negative reference reaching before the first vertex.
            "v 0 0 0\nv 1 0 0\nv 1 1 0\nf -1 -2 -4\n",
            // Index 0 and bad corner forms.
            "v 0 0 0\nv 1 0 0\nv 1 1 0\nf 1/ 2/ 3/\nf 1//1 2 3\n",
            "v 0 0 0\nv 1 0 0\nv 1 1 0\nf 0 1 2\n",
            // Text where a number belongs, late in the file.
            "v 0 0 0\nv 1 0 0\nv 1 1 0\nf 1 2 3\nvn 0 0 x\n",
            // No trailing line break; a vertex of too few numbers.
            "v 0 0 0\nv 1 0 0\nv 1 1\n",
            "v 0 0 0\nv 1 0 0\nv 1 1 0\nf 1 2 3",
            // Only points.
            "v 0 0 0\nv 1 0 0\nvn 0 0 1\nvn 0 0 1\n",
        };
        byte[] flips = {' ', '\n', '\r', '\\', '#', '/', '-', '.', 'e', 'f', 'v', '0', '9', 0};
        java.util.Random random = new java.util.Random(17);
        for (int k = 0; k < texts.length; k++) {
            // Bytes flipped at fixed seeds into the characters the slicing and the plain forms depend on.
            byte[] text = texts[k].getBytes(StandardCharsets.UTF_8);
            for (int variant = 0; variant < 40; variant++) {
                byte[] flipped = text.clone();
                for (int f = 0; f <= variant % 3; f++) {
                    flipped[random.nextInt(flipped.length)] = flips[random.nextInt(flips.length)];
                }
                Path p = dir.resolve("flipped" + k + "-" + variant + ".obj");
                Files.write(p, flipped);
                assertSame(p);
            }
        }
        for (int k = 0; k < texts.length; k++) {
            Path p = dir.resolve("made" + k + ".obj");
            Files.writeString(p, texts[k], StandardCharsets.UTF_8);
            assertSame(p);
            // With a byte order mark, and as UTF-16 (transcoded before slicing).
            Path bom = dir.resolve("bom" + k + ".obj");
            Files.write(bom, prefixed(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                    texts[k].getBytes(StandardCharsets.UTF_8)));
            assertSame(bom);
            Path utf16 = dir.resolve("utf16-" + k + ".obj");
            Files.write(utf16, prefixed(new byte[] {(byte) 0xFF, (byte) 0xFE},
                    texts[k].getBytes(StandardCharsets.UTF_16LE)));
            assertSame(utf16);
        }
    }

    /** A grid of 72,900 vertices with colours, UVs and normals (one of zero length): helpers gather those. */
    @Test
    void aLargeGridWithEveryAttributeReadsTheSame() throws Exception {
        int side = 270;
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < side; i++) {
            for (int j = 0; j < side; j++) {
                s.append("v ").append(i * 0.25).append(' ').append(j * 0.5).append(' ').append((i * j) % 7)
                        .append(' ').append((i % 10) / 10.0).append(" 0.5 ").append((j % 4) / 4.0).append('\n');
                s.append("vt ").append(i / (double) side).append(' ').append(j / (double) side).append('\n');
                s.append(i == 5 && j == 5 ? "vn 0 0 0\n" : "vn 0 " + (j % 3) + " 1\n");
            }
        }
        for (int i = 0; i + 1 < side; i++) {
            for (int j = 0; j + 1 < side; j++) {
                int a = i * side + j + 1;
                int b = a + side;
                s.append("f ").append(a).append('/').append(a).append('/').append(a).append(' ')
                        .append(b).append('/').append(b).append('/').append(b).append(' ')
                        .append(b + 1).append('/').append(b + 1).append('/').append(b + 1).append('\n');
                s.append("f ").append(a).append('/').append(a).append('/').append(a).append(' ')
                        .append(b + 1).append('/').append(b + 1).append('/').append(b + 1).append(' ')
                        .append(a + 1).append('/').append(a + 1).append('/').append(a + 1).append('\n');
            }
        }
        Path p = dir.resolve("grid.obj");
        Files.writeString(p, s, StandardCharsets.US_ASCII);
        String one = describe(p, new ObjReader(null, 1, 0));
        assertEquals(one, describe(p, new ObjReader(null, 1)));
        assertTrue(one.contains("COLOR_0") && one.contains("TEXCOORD_0") && one.contains("NORMAL"), one);
        assertTrue(one.contains("1 normal(s) of zero length"), one);
        assertEquals(one, describe(p, new ObjReader(null, 3, 1 << 16)));
    }

    @Test
    void aLargeTextIsCutIntoSeveralSlices() throws Exception {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            s.append("v ").append(i).append(" 0.5 -1.25\n");
        }
        byte[] b = s.toString().getBytes(StandardCharsets.US_ASCII);
        int[] bounds = ObjChunk.split(java.lang.foreign.MemorySegment.ofArray(b), 0, b.length, 1000);
        assertTrue(bounds.length > 20, Arrays.toString(bounds));
        for (int k = 1; k + 1 < bounds.length; k++) {
            assertEquals('\n', b[bounds[k] - 1], "a cut after a line feed");
        }
        assertEquals(b.length, bounds[bounds.length - 1]);
    }

    private static byte[] prefixed(byte[] mark, byte[] text) {
        byte[] out = Arrays.copyOf(mark, mark.length + text.length);
        System.arraycopy(text, 0, out, mark.length, text.length);
        return out;
    }

    private static void assertSame(Path file) {
        String cursor = describe(file, new ObjReader(null, 1, 0));
        assertEquals(cursor, describe(file, new ObjReader(null, 1)), file + " in slices on one thread");
        for (int threads : new int[] {1, 3}) {
            for (int slice : new int[] {1, 300}) {
                String sliced = describe(file, new ObjReader(null, threads, slice));
                assertEquals(cursor, sliced, file + " in slices of " + slice + " bytes on " + threads + " thread(s)");
            }
        }
    }

    /** Everything a read gives: the scene in full, or the refusal. */
    private static String describe(Path file, ObjReader reader) {
        try (Scene s = reader.read(file, ReadOptions.DEFAULTS)) {
            StringBuilder out = new StringBuilder();
            for (Material m : s.materials()) {
                out.append("material ").append(m.name()).append(' ')
                        .append(Arrays.toString(m.baseColorFactor())).append('\n');
            }
            ArrayDeque<Node> todo = new ArrayDeque<>(s.roots());
            while (!todo.isEmpty()) {
                Node n = todo.poll();
                todo.addAll(n.children());
                out.append("node ").append(n.name()).append('\n');
                Mesh mesh = n.mesh();
                if (mesh == null) {
                    continue;
                }
                out.append("mesh ").append(mesh.name()).append('\n');
                for (Primitive p : mesh.primitives()) {
                    out.append(p.topology()).append(" material ").append(p.material()).append(" vertices ")
                            .append(p.vertexCount()).append(" indices ").append(p.indexCount()).append('\n');
                    for (Map.Entry<String, VertexAttribute> a : p.attributes().entrySet()) {
                        out.append(a.getKey()).append(' ').append(hash(a.getValue().data(),
                                (long) a.getValue().count() * a.getValue().components())).append('\n');
                    }
                    if (p.positions64() != null) {
                        MemorySegment x = p.positions64();
                        long h = 1;
                        for (long i = 0; i < 3 * p.vertexCount(); i++) {
                            h = h * 31 + Double.doubleToRawLongBits(x.getAtIndex(ValueLayout.JAVA_DOUBLE, i));
                        }
                        out.append("positions64 ").append(h).append('\n');
                    }
                    long h = 1;
                    for (long i = 0; i < p.indexCount(); i++) {
                        h = h * 31 + p.index(i);
                    }
                    out.append("indices ").append(h).append('\n');
                }
            }
            out.append("warnings ").append(s.warnings());
            return out.toString();
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static long hash(MemorySegment floats, long count) {
        long h = 1;
        for (long i = 0; i < count; i++) {
            h = h * 31 + Float.floatToRawIntBits(floats.getAtIndex(ValueLayout.JAVA_FLOAT, i));
        }
        return h;
    }
}
