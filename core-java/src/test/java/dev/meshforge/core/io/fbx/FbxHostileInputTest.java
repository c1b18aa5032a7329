// FBX files made to break the reader or leak files: outside textures, NaN transforms, compressed-array bombs.
package dev.meshforge.core.io.fbx;

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

import static dev.meshforge.core.io.fbx.FbxFixtures.n;
import static dev.meshforge.core.io.fbx.FbxFixtures.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FbxHostileInputTest {
    @TempDir
    Path tmp;

    static final byte[] SECRET = "\u0089PNG\r\n\u001a\nSECRET-7f3a9c".getBytes(StandardCharsets.ISO_8859_1);
    static final double[] TRI = {0, 0, 0, 1, 0, 0, 0, 1, 0};
    static final int[] POLY = {0, 1, ~2};

    /** The fixture document with one Texture object naming {@code fileName} and {@code relative}. */
    static List<FbxNode> withTexture(String fileName, String relative) {
        List<FbxNode> top = FbxFixtures.document(7400, TRI, POLY, List.of());
        FbxNode objects = top.stream().filter(x -> x.name.equals("Objects")).findFirst().orElseThrow();
        objects.children.add(with(n("Texture", 40L, "skin\u0000\u0001Texture", ""), n("FileName", fileName),
                n("RelativeFilename", relative)));
        return top;
    }

    Path write(List<FbxNode> top) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("upload"));
        Path p = dir.resolve("model.fbx");
        Files.write(p, FbxFixtures.binary(top, 7400));
        return p;
    }

    @Test
    void relativeFilenameLeavingTheFolderIsNotOpened() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("private"));
        Files.write(outside.resolve("secret.png"), SECRET);
        Path p = write(withTexture(outside.resolve("secret.png").toString(), "..\\private\\secret.png"));
        try (Scene s = Formats.read(p)) {
            assertNull(s.textures().get(0).bytes());
            List<String> w = s.warnings().stream().filter(x -> x.contains("texture 'skin'")).toList();
            assertEquals(1, w.size(), s.warnings().toString());
            assertTrue(w.get(0).startsWith(p + ": texture 'skin': image '" + outside.resolve("secret.png")), w.get(0));
            assertTrue(w.get(0).endsWith("; '..\\private\\secret.png' was not opened: it leaves the model's folder"),
                    w.get(0));
            Path glb = tmp.resolve("out.glb");
            Formats.write(s, glb, Format.GLB, WriteOptions.DEFAULTS);
            assertFalse(new String(Files.readAllBytes(glb), StandardCharsets.ISO_8859_1).contains("SECRET-7f3a9c"));
        }
    }

    @Test
    void absoluteFileNameIsFoundByItsBaseNameInsideTheFolderOnly() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("private"));
        Files.write(outside.resolve("skin.png"), SECRET);
        Path p = write(withTexture(outside.resolve("skin.png").toString(), ""));
        try (Scene s = Formats.read(p)) {
            assertNull(s.textures().get(0).bytes(), "the absolute path was opened");
        }
        byte[] own = "\u0089PNG\r\n\u001a\nown".getBytes(StandardCharsets.ISO_8859_1);
        Files.createDirectories(p.getParent().resolve("Textures"));
        Files.write(p.getParent().resolve("Textures/skin.png"), own);
        try (Scene s = Formats.read(p)) {
            assertArrayEquals(own, s.textures().get(0).bytes());
        }
    }
}
