// Every ZIP of the corpus: read (the model inside, with its companions) or refused with one clear sentence.
package dev.meshforge.core.io.zip;

import dev.meshforge.core.MeshforgeException;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZipCorpusTest {
    static List<Corpus.Fact> zipFiles() {
        List<Corpus.Fact> facts = Corpus.facts("zip/");
        assertFalse(facts.isEmpty(), "corpus-facts.json lists no zip/ file");
        return facts;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zipFiles")
    void readsTheModelInsideOrRefusesNamingTheArchive(Corpus.Fact fact) {
        try (Scene scene = Formats.read(fact.path())) {
            assertTrue(scene.triangleCount() > 0 || !scene.roots().isEmpty(), "an empty scene");
            System.out.println(fact.file() + ": " + scene.triangleCount() + " triangles, " + scene.materials().size()
                    + " materials, " + scene.textures().size() + " textures; warnings: " + scene.warnings());
        } catch (MeshforgeException e) {
            assertTrue(e.getMessage().contains(fact.path().getFileName().toString()) || e.getMessage().contains(
                    "not supported"), e.getMessage());
            System.out.println(fact.file() + ": refused: " + e.getMessage());
        }
    }

    @Test
    void fuzeBundleHasTheTrianglesOfTheLooseFuzeObjAndItsTexture() {
        long triangles = Corpus.facts("obj/fuze/fuze.obj").get(0).get("triangles");
        try (Scene s = Formats.read(Corpus.root().resolve("zip/fuze.zip"))) {
            assertEquals(triangles, s.triangleCount());
            assertEquals(1, s.materials().size());
            assertNotNull(s.textures().get(s.materials().get(0).baseColorTexture()).bytes());
            assertEquals("image/jpeg", s.textures().get(0).mimeType());
        }
    }

    @Test
    void spotBundleReadsOneObjWithItsPngTextureIgnoringMacJunk() {
        try (Scene s = Formats.read(Corpus.root().resolve("zip/spot_bundle.zip"))) {
            assertTrue(s.triangleCount() > 0);
            System.out.println("spot_bundle: " + s.triangleCount() + " triangles; " + s.textures() + s.warnings());
        }
    }
}
