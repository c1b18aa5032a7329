// glTF buffers and images named outside the model's folder, through links or as URLs are never opened.
package dev.meshforge.core.io.gltf;

import dev.meshforge.core.BadInputException;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GltfCompanionTest {
    @TempDir
    Path tmp;

    static final byte[] SECRET = "\u0089PNG\r\n\u001a\nSECRET-7f3a9c".getBytes(StandardCharsets.ISO_8859_1);
    static final float[] TRI = {0, 0, 0, 1, 0, 0, 0, 1, 0};

    Path model;
    Path outside;

    void layout() throws Exception {
        model = Files.createDirectories(tmp.resolve("upload"));
        outside = Files.createDirectories(tmp.resolve("private"));
        Files.write(outside.resolve("secret.png"), SECRET);
    }

    /** A triangle whose material's base colour texture is the image at {@code uri}. */
    static GltfFixture texturedTriangle(String uri) {
        GltfFixture g = new GltfFixture();
        g.mesh(g.positions(TRI), -1, 4).put("material", 0);
        g.node(0);
        g.array("images").addObject().put("uri", uri);
        g.array("textures").addObject().put("source", 0);
        g.array("materials").addObject().putObject("pbrMetallicRoughness").putObject("baseColorTexture")
                .put("index", 0);
        return g;
    }

    String readAndWrite(Path p) throws Exception {
        try (Scene s = Formats.read(p)) {
            assertEquals(1, s.triangleCount());
            assertEquals(0, s.textures().get(0).bytes().length);
            Path glb = tmp.resolve("out.glb");
            Formats.write(s, glb, Format.GLB, WriteOptions.DEFAULTS);
            assertFalse(new String(Files.readAllBytes(glb), StandardCharsets.ISO_8859_1).contains("SECRET-7f3a9c"));
            List<String> w = s.warnings().stream().filter(x -> x.contains("images[0]")).toList();
            assertEquals(1, w.size(), s.warnings().toString());
            assertTrue(w.get(0).startsWith(p + ": images[0]: the image file '"), w.get(0));
            return w.get(0);
        }
    }

    @Test
    void imageWithDotDotSegmentsIsNotOpened() throws Exception {
        layout();
        Path p = texturedTriangle("../private/secret.png").writeGltf(model, "m");
        assertTrue(readAndWrite(p).contains("'../private/secret.png' was not opened: it leaves the model's folder"));
    }

    @Test
    void percentEncodedDotDotIsNotOpened() throws Exception {
        layout();
        Path p = texturedTriangle("%2E%2E/private/secret.png").writeGltf(model, "m");
        assertTrue(readAndWrite(p).contains("was not opened: it leaves the model's folder"));
    }

    @Test
    void absoluteImagePathAndFileUrlAreNotOpened() throws Exception {
        layout();
        Path abs = texturedTriangle(outside.resolve("secret.png").toString()).writeGltf(model, "abs");
        assertTrue(readAndWrite(abs).contains("was not opened: it is an absolute path"));
        Path url = texturedTriangle(outside.resolve("secret.png").toUri().toString()).writeGltf(model, "url");
        assertTrue(readAndWrite(url).contains("was not opened: it is a URL"));
    }

    @Test
    void imageThroughASymbolicLinkIsNotOpened() throws Exception {
        layout();
        Files.createSymbolicLink(model.resolve("skin.png"), outside.resolve("secret.png"));
        Path p = texturedTriangle("skin.png").writeGltf(model, "m");
        assertTrue(readAndWrite(p).contains("symbolic link ('skin.png')"));
    }

    @Test
    void bufferThroughASymbolicLinkRefusesTheFile() throws Exception {
        layout();
        GltfFixture g = new GltfFixture();
        g.mesh(g.positions(TRI), -1, 4);
        g.node(0);
        Path p = g.writeGltf(model, "m");
        // The same bytes, but lying outside: the link must be refused for what it is, not for its content.
        Files.move(model.resolve("m.bin"), outside.resolve("m.bin"));
        Files.createSymbolicLink(model.resolve("m.bin"), outside.resolve("m.bin"));
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertEquals(p + ": buffers[0]: the buffer file 'm.bin' was not opened: it is reached through a symbolic "
                + "link ('m.bin')", e.getMessage());
    }
}
