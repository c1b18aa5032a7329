// FBX files people still send: 5.x ASCII without an Objects section, and ASCII with odd spacing and line endings.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.testing.Corpus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FbxLegacyAsciiTest {
    /** The project's own fixtures, found from the working directory up (Maven runs tests in core-java/). */
    static Path testdata(String name) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("testdata/readers").resolve(name);
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new AssertionError("testdata/readers/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    static Scene read(String name, String text) {
        return FbxReader.read(Path.of(name), text.getBytes(StandardCharsets.UTF_8), ReadOptions.DEFAULTS);
    }

    /** What two reads must share: node names depth first, and each mesh's world-space positions. */
    static List<String> summary(Scene s) {
        List<String> out = new ArrayList<>();
        List<Node> stack = new ArrayList<>(s.roots().reversed());
        while (!stack.isEmpty()) {
            Node n = stack.removeLast();
            out.add("node " + n.name());
            stack.addAll(n.children().reversed());
        }
        s.forEachPlacedMesh((mesh, t) -> {
            for (Primitive p : mesh.primitives()) {
                StringBuilder sb = new StringBuilder("mesh " + mesh.name() + " material " + p.material() + ":");
                double[] w = new double[3];
                for (long i = 0; i < p.indexCount(); i++) {
                    int v = p.index(i);
                    t.applyToPoint(p.positions().get(v, 0), p.positions().get(v, 1), p.positions().get(v, 2), w);
                    sb.append(String.format(" (%.4f %.4f %.4f)", w[0], w[1], w[2]));
                }
                out.add(sb.toString());
            }
        });
        s.materials().forEach(m -> out.add("material " + m.name() + " " + m.baseColorFactor()[0] + " "
                + m.baseColorFactor()[1] + " " + m.baseColorFactor()[2]));
        return out;
    }

    @Test
    void max2009AsciiBoxReadsWithItsModelGeometryAndMaterial() throws Exception {
        String text = Files.readString(testdata("fbx/max2009_box_5800_ascii.fbx"));
        try (Scene s = read("box.fbx", text)) {
            assertEquals(12, s.triangleCount());
            assertEquals("Box01", s.roots().get(0).name());
            assertEquals(1, s.materials().size());
            assertEquals("Box01_Mat", s.materials().get(0).name());
            assertArrayEquals(new float[] {0.8f, 0.2f, 0.1f, 1f}, s.materials().get(0).baseColorFactor(), 1e-6f);
            double[] min = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            double[] max = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
            s.forEachPlacedMesh((mesh, t) -> {
                Primitive p = mesh.primitives().get(0);
                double[] w = new double[3];
                for (long v = 0; v < p.vertexCount(); v++) {
                    t.applyToPoint(p.positions().get(v, 0), p.positions().get(v, 1), p.positions().get(v, 2), w);
                    for (int k = 0; k < 3; k++) {
                        min[k] = Math.min(min[k], w[k]);
                        max[k] = Math.max(max[k], w[k]);
                    }
                }
            });
            // Lcl Translation 10 0 0 moves the 10-unit box from [-5, 5] to [5, 15] along x.
            assertArrayEquals(new double[] {5, -5, 0}, min, 1e-9);
            assertArrayEquals(new double[] {15, 5, 10}, max, 1e-9);
        }
    }

    @Test
    void lineEndingsAndSpacingDoNotChangeWhatIsRead() throws Exception {
        String lf = Files.readString(testdata("fbx/max2009_box_5800_ascii.fbx"));
        List<String> expected;
        try (Scene s = read("box.fbx", lf)) {
            expected = summary(s);
        }
        Map<String, String> variants = Map.of(
                "CR LF", lf.replace("\n", "\r\n"),
                "CR alone", lf.replace("\n", "\r"),
                "spaces before colons and around commas", lf.replace(": ", "  :   ").replace(",", " , "),
                "'{' on its own line", lf.replace(" {\n", "\n{\n").replace("\t{", "\t\n\t{"),
                "spaces for tabs and blank lines with blanks", lf.replace("\t", "    ").replace("\n\n", "\n   \n"));
        for (Map.Entry<String, String> v : variants.entrySet()) {
            try (Scene s = read("box.fbx", v.getValue())) {
                assertEquals(expected, summary(s), v.getKey());
            }
        }
    }

    @Test
    void cornerCasesOfThe6xAnd7xAsciiCorpusFilesReadAsTheOriginals() throws Exception {
        for (String f : List.of("fbx/maya_cube_6100_ascii.fbx", "fbx/maya_cube_7500_ascii.fbx")) {
            String lf = Files.readString(Corpus.root().resolve(f)).replace("\r\n", "\n");
            List<String> expected;
            try (Scene s = read(f, lf)) {
                expected = summary(s);
                assertEquals(12, s.triangleCount(), f);
            }
            for (String variant : List.of(lf.replace("\n", "\r"), lf.replace("\n", "\r\n"),
                    lf.replace(": ", " : ").replace("\t", "  "))) {
                try (Scene s = read(f, variant)) {
                    assertEquals(expected, summary(s), f);
                }
            }
        }
    }

    /** The node tree written as 5.x/6.x ASCII: plain value lists wrapped with leading commas, CR LF endings. */
    static String legacyAscii(List<FbxNode> top) {
        StringBuilder sb = new StringBuilder("; FBX 5.8.0 project file\r\n; ----------------------------\r\n\r\n");
        for (FbxNode n : top) {
            legacyAscii(sb, n, 0);
        }
        return sb.toString();
    }

    private static void legacyAscii(StringBuilder sb, FbxNode n, int depth) {
        String indent = "\t".repeat(depth);
        sb.append(indent).append(n.name).append(": ");
        List<String> values = new ArrayList<>();
        for (Object p : n.props) {
            switch (p) {
                case String s -> {
                    int sep = s.indexOf("\u0000\u0001");
                    values.add('"' + (sep >= 0 ? s.substring(sep + 2) + "::" + s.substring(0, sep) : s) + '"');
                }
                case byte[] b -> values.add('"' + Base64.getEncoder().encodeToString(b) + '"');
                case Boolean b -> values.add(b ? "1" : "0");
                case double[] a -> {
                    for (double d : a) {
                        values.add(Double.toString(d));
                    }
                }
                case float[] a -> {
                    for (float f : a) {
                        values.add(Double.toString(f));
                    }
                }
                case int[] a -> {
                    for (int i : a) {
                        values.add(Integer.toString(i));
                    }
                }
                case long[] a -> {
                    for (long l : a) {
                        values.add(Long.toString(l));
                    }
                }
                case boolean[] a -> {
                    for (boolean b : a) {
                        values.add(b ? "1" : "0");
                    }
                }
                default -> values.add(String.valueOf(p));
            }
        }
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                // Long lists wrap every 16 values onto a line that starts with the comma, as 5.x and 6.x wrote.
                sb.append(i % 16 == 0 ? "\r\n" + indent + "," : ",");
            }
            sb.append(values.get(i));
        }
        if (!n.children.isEmpty() || n.props.isEmpty()) {
            sb.append(" {\r\n");
            for (FbxNode c : n.children) {
                legacyAscii(sb, c, depth + 1);
            }
            sb.append(indent).append("}\r\n");
        } else {
            sb.append("\r\n");
        }
    }

    @Test
    void asciiTwinOfThe3dsMax2009BinaryReadsLikeTheBinary() throws Exception {
        Path binary = Corpus.root().resolve("fbx/max2009_blob_5800_binary.fbx");
        byte[] bytes = Files.readAllBytes(binary);
        FbxDocument doc = FbxDocument.parse(binary, bytes, ReadOptions.DEFAULTS);
        assertTrue(doc.root.child("Objects") == null, "the binary twin has no Objects section");
        String ascii = legacyAscii(doc.root.children);
        try (Scene b = FbxReader.read(binary, bytes, ReadOptions.DEFAULTS);
             Scene a = read("max2009_blob_5800_ascii.fbx", ascii)) {
            assertEquals(BLOB_TRIANGLES, b.triangleCount());
            assertEquals(summary(b), summary(a));
            assertEquals(b.warnings().size(), a.warnings().size(), a.warnings().toString());
        }
    }

    /** The blob's triangles as the binary reader has read it since 5800 support came (no checker fact exists). */
    static final long BLOB_TRIANGLES = 832;
}
