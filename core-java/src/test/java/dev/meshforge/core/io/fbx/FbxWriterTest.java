// FbxWriter and FbxZipWriter on corpus scenes and fixtures: ASCII output, zip bundles, texture lookup, PBR mapping.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.testing.AssimpReader;
import dev.meshforge.core.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static dev.meshforge.core.io.fbx.FbxFixtures.n;
import static dev.meshforge.core.io.fbx.FbxFixtures.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FbxWriterTest {
    @TempDir
    Path tmp;

    @Test
    void fbxZipBundlesTheModelWithItsTexturesAndReadsBack() throws IOException {
        Path in = Corpus.root().resolve("fbx/blender_293_embedded_textures_7400_binary.fbx");
        try (Scene scene = Formats.read(in)) {
            Path zip = tmp.resolve("model.zip");
            Formats.write(scene, zip, Format.FBX_ZIP, WriteOptions.DEFAULTS);
            Path dir = Files.createDirectories(tmp.resolve("unzipped"));
            List<String> names = new ArrayList<>();
            try (InputStream is = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(is)) {
                for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                    names.add(e.getName());
                    Files.write(dir.resolve(e.getName()), z.readAllBytes());
                }
            }
            assertTrue(names.contains("model.fbx"), names.toString());
            try (Scene back = Formats.read(dir.resolve("model.fbx"))) {
                assertEquals(scene.triangleCount(), back.triangleCount());
                assertTrue(back.textures().stream().allMatch(t -> t.bytes() != null),
                        "every image the FBX names is in the bundle: " + names);
                assertEquals(scene.materials().size(), back.materials().size());
                for (int i = 0; i < scene.materials().size(); i++) {
                    Material a = scene.materials().get(i);
                    Material c = back.materials().get(i);
                    for (int[] t : new int[][] {{a.baseColorTexture(), c.baseColorTexture()},
                            {a.emissiveTexture(), c.emissiveTexture()}, {a.normalTexture(), c.normalTexture()}}) {
                        assertEquals(t[0] < 0, t[1] < 0, "material " + i);
                        if (t[0] >= 0) {
                            assertArrayEquals(scene.textures().get(t[0]).bytes(), back.textures().get(t[1]).bytes(),
                                    "material " + i + ": texture found beside the model");
                        }
                    }
                    assertEquals(a.metallicRoughnessTexture() < 0, c.metallicRoughnessTexture() < 0, "material " + i);
                }
            }
            assertEquals(scene.triangleCount(), AssimpReader.read(dir.resolve("model.fbx")).triangles());
        }
    }

    @Test
    void asciiOutputIsFbx74TextAndReadsBack() throws IOException {
        try (Scene scene = Formats.read(Corpus.root().resolve("fbx/box.fbx"))) {
            Path out = tmp.resolve("box.fbx");
            Formats.write(scene, out, Format.FBX, new WriteOptions(true));
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertTrue(text.startsWith("; FBX 7.4.0 project file"));
            for (String node : List.of("FBXHeaderExtension:", "GlobalSettings:", "Documents:", "References:",
                    "Definitions:", "PropertyTemplate:", "Objects:", "Connections:")) {
                assertTrue(text.contains(node), node);
            }
            try (Scene back = Formats.read(out)) {
                assertEquals(12, back.triangleCount());
                assertEquals(scene.units(), back.units());
            }
        }
    }

    @Test
    void aTextureIsFoundBesideTheFileByBaseNameWhateverPathWasStored() throws IOException {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 0};
        Files.write(tmp.resolve("wood.png"), png);
        List<FbxNode> top = FbxFixtures.document(7400, new double[] {0, 0, 0, 1, 0, 0, 0, 1, 0},
                new int[] {0, 1, ~2}, List.of());
        FbxNode objects = top.get(2);
        objects.children.add(with(n("Texture", 40L, "wood\u0000\u0001Texture", ""),
                n("FileName", "D:\\projects\\old machine\\maps\\wood.png"), n("RelativeFilename", "..\\maps\\wood.png")));
        top.get(3).children.add(n("C", "OP", 40L, 30L, "DiffuseColor"));
        Path file = tmp.resolve("scene.fbx");
        Files.write(file, FbxFixtures.binary(top, 7400));
        try (Scene s = Formats.read(file)) {
            assertEquals(1, s.textures().size());
            assertArrayEquals(png, s.textures().get(0).bytes());
            assertEquals("image/png", s.textures().get(0).mimeType());
            assertEquals(0, s.materials().get(0).baseColorTexture());
        }
    }

    @Test
    void maxPbrMaterialBecomesMetallicRoughnessWithItsSlots() {
        try (Scene s = Formats.read(Corpus.root().resolve("fbx/maxPbrMaterial_metalRough.fbx"),
                ReadOptions.DEFAULTS)) {
            Material m = s.materials().get(0);
            assertArrayEquals(new float[] {0, 1, 1, 1}, m.baseColorFactor());
            assertEquals(0.25f, m.metallicFactor());
            assertEquals(0.5f, m.roughnessFactor());
            assertTrue(m.baseColorTexture() >= 0 && m.metallicRoughnessTexture() >= 0 && m.normalTexture() >= 0
                    && m.occlusionTexture() >= 0 && m.emissiveTexture() >= 0, m.toString());
        }
    }
}
