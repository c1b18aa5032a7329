// ZIP bundles on archives the tests write: companions, junk, the model choice, and every extraction limit.
package dev.meshforge.core.io.zip;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZipReaderTest {
    @TempDir
    Path dir;

    static final String TRI = "v 0 0 0\nv 1 0 0\nv 0 1 0\n";
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 7, 7, 7};

    /** Writes an archive of the given entries (a byte[] or String value each), in order. */
    Path zip(String name, Map<String, Object> entries) throws Exception {
        Path p = dir.resolve(name);
        try (OutputStream raw = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(raw)) {
            for (Map.Entry<String, Object> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue() instanceof byte[] b ? b : ((String) e.getValue()).getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return p;
    }

    @Test
    void objBundleReadsItsMtlAndTextureIgnoringCaseAndJunk() throws Exception {
        Map<String, Object> entries = new java.util.LinkedHashMap<>();
        entries.put("__MACOSX/model/._Model.obj", "junk");
        entries.put("model/.DS_Store", "junk");
        entries.put("model/Model.obj", "mtllib MODEL.MTL\n" + TRI + "usemtl skin\nf 1 2 3\n");
        entries.put("model/model.mtl", "newmtl skin\nmap_Kd Textures\\Skin.png\n");
        entries.put("model/textures/skin.png", PNG);
        entries.put("model/small.obj", TRI + "f 1 2 3\n");
        Path p = zip("bundle.zip", entries);
        try (Scene s = Formats.read(p)) {
            assertEquals(1, s.triangleCount());
            assertEquals(1, s.materials().size());
            assertArrayEquals(PNG, s.textures().get(s.materials().get(0).baseColorTexture()).bytes());
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains("model/small.obj")), s.warnings().toString());
        }
    }

    @Test
    void entriesThatClimbOutOfTheFolderAreRefusedAsPathTraversal() throws Exception {
        for (String bad : new String[] {"../evil.obj", "a/../../evil.obj", "/etc/evil.obj", "C:/evil.obj",
                "..\\evil.obj"}) {
            Path p = zip("trav.zip", Map.of(bad, TRI + "f 1 2 3\n"));
            BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p), bad);
            assertTrue(e.getMessage().contains("path traversal"), e.getMessage());
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        }
    }

    @Test
    void texturesOutsideTheArchiveAreNotRead() throws Exception {
        Path outside = dir.resolve("secret.png");
        Files.write(outside, PNG);
        Path p = zip("escape.zip", Map.of("m.obj", "mtllib m.mtl\n" + TRI + "usemtl a\nf 1 2 3\n",
                "m.mtl", "newmtl a\nmap_Kd " + outside + "\n"));
        try (Scene s = Formats.read(p)) {
            assertEquals(null, s.textures().get(0).bytes());
        }
    }

    @Test
    void zipBombIsRefusedByTheCompressionRatio() throws Exception {
        Path p = zip("bomb.zip", Map.of("bomb.stl", new byte[32 << 20]));
        assertTrue(Files.size(p) < 100_000);
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> Formats.read(p));
        assertTrue(e.getMessage().contains("ReadOptions.maxCompressionRatio"), e.getMessage());
    }

    @Test
    void totalExpandedSizeAndEntryCountHaveNamedLimits() throws Exception {
        Map<String, Object> many = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            many.put("f" + i + ".obj", TRI + "f 1 2 3\n");
        }
        Path p = zip("many.zip", many);
        ReadOptions few = ReadOptions.DEFAULTS.withArchiveLimits(10, 1L << 30, 200);
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> Formats.read(p, few));
        assertTrue(e.getMessage().contains("20 entries") && e.getMessage().contains("maxArchiveEntries"),
                e.getMessage());
        ReadOptions small = ReadOptions.DEFAULTS.withArchiveLimits(100, 100, 200);
        e = assertThrows(LimitExceededException.class, () -> Formats.read(p, small));
        assertTrue(e.getMessage().contains("maxArchiveBytes"), e.getMessage());
    }

    @Test
    void archiveWithoutAModelSaysWhatItHolds() throws Exception {
        Path p = zip("none.zip", Map.of("readme.txt", "hello", "part.3dxml", "x"));
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertTrue(e.getMessage().contains("no model file") && e.getMessage().contains("readme.txt"), e.getMessage());
    }

    @Test
    void badModelInsideIsReportedByItsNameInTheArchive() throws Exception {
        Path p = zip("badmodel.zip", Map.of("dir/bad.obj", TRI + "f 1 2 7\n"));
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertTrue(e.getMessage().startsWith(p + ": model 'dir/bad.obj': line 4"), e.getMessage());
    }

    @Test
    void objZipWriterBundlesModelMtlAndTexturesThatReadBack() throws Exception {
        Map<String, Object> entries = new java.util.LinkedHashMap<>();
        entries.put("m.obj", "mtllib m.mtl\n" + TRI + "vt 0 0\nusemtl a\nf 1/1 2/1 3/1\n");
        entries.put("m.mtl", "newmtl a\nKd 1 0 0\nmap_Kd t.png\n");
        entries.put("t.png", PNG);
        Path in = zip("in.zip", entries);
        Path out = dir.resolve("out.zip");
        try (Scene s = Formats.read(in)) {
            Formats.write(s, out, Format.OBJ_ZIP, WriteOptions.DEFAULTS);
        }
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(out.toFile())) {
            assertEquals("out.obj", z.entries().nextElement().getName());
            assertTrue(z.getEntry("out.mtl") != null && z.getEntry("t.png") != null);
        }
        try (Scene back = Formats.read(out)) {
            assertEquals(1, back.triangleCount());
            assertArrayEquals(PNG, back.textures().get(back.materials().get(0).baseColorTexture()).bytes());
            assertArrayEquals(new float[] {1, 0, 0, 1}, back.materials().get(0).baseColorFactor());
        }
    }
}
