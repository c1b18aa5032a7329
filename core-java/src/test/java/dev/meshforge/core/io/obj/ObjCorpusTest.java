// Every OBJ of the corpus: triangle, material and vertex-colour facts, read in place.
package dev.meshforge.core.io.obj;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.testing.Corpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjCorpusTest {
    static List<Corpus.Fact> objFiles() {
        List<Corpus.Fact> facts = Corpus.facts("obj/").stream().filter(f -> f.file().endsWith(".obj")).toList();
        assertFalse(facts.isEmpty(), "corpus-facts.json lists no obj/ file");
        return facts;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objFiles")
    void readsTheFactsTriangleMaterialAndColourCounts(Corpus.Fact fact) {
        Scene scene;
        try {
            scene = Formats.read(fact.path());
        } catch (BadInputException e) {
            // Only files of a broken folder may be refused, and then with a sentence naming the file.
            assertTrue(fact.json().path("broken_folder").asBoolean(), e.getMessage());
            assertTrue(e.getMessage().contains(fact.path().getFileName().toString()), e.getMessage());
            return;
        }
        try (scene) {
            if (fact.get("triangles") >= 0) {
                assertEquals(fact.get("triangles"), scene.triangleCount(), "triangles");
            }
            if (fact.get("materials") >= 0) {
                assertEquals(fact.get("materials"), scene.materials().size(), "materials");
            }
            boolean colours = scene.roots().stream().filter(n -> n.mesh() != null)
                    .flatMap(n -> n.mesh().primitives().stream()).map(Primitive::attributes)
                    .anyMatch(a -> a.containsKey("COLOR_0"));
            assertEquals(fact.json().path("vertex_colors").asBoolean(), colours, "vertex colours");
            System.out.println(fact.file() + ": " + scene.triangleCount() + " triangles, "
                    + scene.materials().size() + " materials, " + scene.textures().size() + " textures; warnings: "
                    + scene.warnings());
        }
    }
}
