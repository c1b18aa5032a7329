// OBJ companions an attacker names (.. segments, absolute paths, links, devices, URLs) are never opened.
package dev.meshforge.core.io.obj;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjCompanionTest {
    @TempDir
    Path tmp;

    /** What a server must never send back: a file beside, not inside, the model's folder. */
    static final byte[] SECRET = "\u0089PNG\r\n\u001a\nSECRET-7f3a9c-private-key".getBytes(StandardCharsets.ISO_8859_1);
    static final String TRI = "v 0 0 0\nv 1 0 0\nv 0 1 0\n";

    Path model;
    Path outside;

    void layout() throws Exception {
        model = Files.createDirectories(tmp.resolve("upload"));
        outside = Files.createDirectories(tmp.resolve("private"));
        Files.write(outside.resolve("secret.png"), SECRET);
        Files.writeString(outside.resolve("secret.mtl"), "newmtl skin\nKd 0.1 0.2 0.3\nmap_Kd secret.png\n");
    }

    Path obj(String mtl, String mtllib) throws Exception {
        if (mtl != null) {
            Files.writeString(model.resolve("model.mtl"), mtl);
        }
        Path p = model.resolve("model.obj");
        Files.writeString(p, "mtllib " + mtllib + "\n" + TRI + "usemtl skin\nf 1 2 3\n");
        return p;
    }

    /** Reads, asserts that no texture holds the secret, writes a GLB and asserts the secret is not in it. */
    Scene readWithoutSecret(Path p) throws Exception {
        Scene s = Formats.read(p);
        s.textures().forEach(t -> assertNull(t.bytes(), "texture '" + t.name() + "' has bytes"));
        Path glb = tmp.resolve("out.glb");
        Formats.write(s, glb, Format.GLB, WriteOptions.DEFAULTS);
        String written = new String(Files.readAllBytes(glb), StandardCharsets.ISO_8859_1);
        assertFalse(written.contains("SECRET-7f3a9c"), "the GLB carries the outside file");
        return s;
    }

    static String only(List<String> warnings, String containing) {
        List<String> hits = warnings.stream().filter(w -> w.contains(containing)).toList();
        assertEquals(1, hits.size(), "warnings naming '" + containing + "': " + warnings);
        return hits.get(0);
    }

    @Test
    void mtllibWithDotDotSegmentsIsNotOpened() throws Exception {
        layout();
        Path p = obj(null, "../private/secret.mtl");
        try (Scene s = readWithoutSecret(p)) {
            String w = only(s.warnings(), "../private/secret.mtl");
            assertTrue(w.startsWith(p + ": line 1: material library"), w);
            assertTrue(w.contains("was not opened: it leaves the model's folder"), w);
            // The outside library's colour 0.1 0.2 0.3 must not have been read either.
            assertArrayEquals(new float[] {0.8f, 0.8f, 0.8f, 1f}, s.materials().get(0).baseColorFactor());
        }
    }

    @Test
    void textureWithDotDotSegmentsIsNotOpened() throws Exception {
        layout();
        Path p = obj("newmtl skin\nmap_Kd ..\\private\\secret.png\n", "model.mtl");
        try (Scene s = readWithoutSecret(p)) {
            String w = only(s.warnings(), "secret.png");
            assertTrue(w.startsWith(model.resolve("model.mtl") + ": texture '..\\private\\secret.png'"), w);
            assertTrue(w.contains("was not opened: it leaves the model's folder"), w);
        }
    }

    @Test
    void absoluteTexturePathIsNotOpened() throws Exception {
        layout();
        Path p = obj("newmtl skin\nmap_Kd " + outside.resolve("secret.png") + "\n", "model.mtl");
        try (Scene s = readWithoutSecret(p)) {
            assertTrue(only(s.warnings(), "secret.png").contains("was not opened: it is an absolute path"));
        }
    }

    @Test
    void absolutePathOfAnotherMachineFindsTheFileBesideTheModel() throws Exception {
        layout();
        byte[] own = "\u0089PNG\r\n\u001a\nown".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(model.resolve("skin.png"), own);
        Path p = obj("newmtl skin\nmap_Kd C:\\Users\\artist\\maps\\skin.png\n", "model.mtl");
        try (Scene s = Formats.read(p)) {
            assertArrayEquals(own, s.textures().get(0).bytes());
        }
    }

    @Test
    void dotDotSegmentsThatStayInsideTheFolderAreRead() throws Exception {
        layout();
        Files.createDirectories(model.resolve("maps"));
        byte[] own = "\u0089PNG\r\n\u001a\nown".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(model.resolve("maps/skin.png"), own);
        Path p = obj("newmtl skin\nmap_Kd maps/../maps/skin.png\n", "./model.mtl");
        try (Scene s = Formats.read(p)) {
            assertArrayEquals(own, s.textures().get(0).bytes());
            assertTrue(s.warnings().isEmpty(), s.warnings().toString());
        }
    }

    @Test
    void symbolicLinkToAnOutsideFileIsNotOpened() throws Exception {
        layout();
        Files.createSymbolicLink(model.resolve("skin.png"), outside.resolve("secret.png"));
        Path p = obj("newmtl skin\nmap_Kd skin.png\n", "model.mtl");
        try (Scene s = readWithoutSecret(p)) {
            assertTrue(only(s.warnings(), "skin.png").contains("was not opened: it is reached through a symbolic "
                    + "link ('skin.png')"));
        }
    }

    @Test
    void symbolicLinkedFolderIsNotEntered() throws Exception {
        layout();
        Files.createSymbolicLink(model.resolve("maps"), outside);
        Files.createSymbolicLink(model.resolve("lib.mtl"), outside.resolve("secret.mtl"));
        Path p = obj("newmtl skin\nmap_Kd maps/secret.png\n", "model.mtl lib.mtl");
        try (Scene s = readWithoutSecret(p)) {
            assertTrue(only(s.warnings(), "'maps/secret.png'").contains("symbolic link ('maps')"), s.warnings().toString());
            assertTrue(only(s.warnings(), "'lib.mtl'").contains("symbolic link ('lib.mtl')"), s.warnings().toString());
        }
    }

    @Test
    void devicesAndUrlsAreNotOpened() throws Exception {
        layout();
        // /dev/zero would never end; reading it would exhaust memory rather than fail.
        Path p = obj("newmtl skin\nmap_Kd /dev/zero\nmap_Bump https://example.com/x.png\n",
                "model.mtl");
        try (Scene s = readWithoutSecret(p)) {
            assertTrue(only(s.warnings(), "'/dev/zero'").contains("was not opened: it names a device"));
            assertTrue(only(s.warnings(), "https://example.com/x.png").contains("was not opened: it is a URL"));
        }
    }

    @Test
    void aLibraryNamedManyTimesIsReadOnce() throws Exception {
        layout();
        // 100,000 mtllib lines naming a 1 MB library would read 100 GB if each line read it again.
        // Each read of it warns once about its unknown statement: the warnings count the reads.
        StringBuilder mtl = new StringBuilder("newmtl skin\nKd 0.5 0.25 1\nfrobnicate 1\n");
        while (mtl.length() < 1 << 20) {
            mtl.append("# padding padding padding padding padding padding padding padding\n");
        }
        Files.writeString(model.resolve("big.mtl"), mtl);
        Path p = model.resolve("many.obj");
        Files.writeString(p, "mtllib big.mtl\n".repeat(100_000) + TRI + "usemtl skin\nf 1 2 3\n");
        try (Scene s = Formats.read(p)) {
            assertArrayEquals(new float[] {0.5f, 0.25f, 1f, 1f}, s.materials().get(0).baseColorFactor());
            assertEquals(1, s.warnings().stream().filter(w -> w.contains("frobnicate")).count(), s.warnings().size()
                    + " warnings");
        }
    }
}
