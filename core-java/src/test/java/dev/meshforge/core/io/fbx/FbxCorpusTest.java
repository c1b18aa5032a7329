// Every FBX of the shared corpus: read with the facts' triangle, material, texture and bone counts, or
// refused with one clear sentence; broken files read with warnings.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Skin;
import dev.meshforge.core.testing.Corpus;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FbxCorpusTest {
    /** Files that must be refused, with words the one-sentence message must contain. */
    static final Map<String, String> REFUSED = Map.of("fbx/broken/transparentTest.fbx",
            "looks like a binary FBX whose bytes were altered by a text-mode transfer (NUL bytes replaced)");
    /** Broken files that are read, with a word their warnings must contain. */
    static final Map<String, String> WARNED = Map.of(
            "fbx/broken/maya_bad_face_6100_ascii.fbx", "fewer than 3 indices",
            "fbx/broken/synthetic_cube_nan_6100_ascii.fbx", "1.#NAN");

    @TestFactory
    Stream<DynamicTest> everyCorpusFbxIsReadWithItsFactsOrRefusedClearly() {
        return Corpus.facts("fbx/").stream().map(f -> DynamicTest.dynamicTest(f.file(), () -> {
            if (REFUSED.containsKey(f.file())) {
                BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(f.path()).close());
                assertTrue(e.getMessage().contains(REFUSED.get(f.file())), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), "one sentence: " + e.getMessage());
                return;
            }
            try (Scene scene = Formats.read(f.path())) {
                System.out.printf("%-55s tris %6d (%d)/%6d mats %3d/%3d tex %3d/%3d bones %3d/%3d skins %d anims %d warn %s%n",
                        f.file(), meshTriangles(scene), scene.triangleCount(), f.get("triangles"), scene.materials().size(),
                        f.get("materials"), scene.textures().size(), f.get("textures"), bones(scene),
                        f.get("bones"), scene.skins().size(), scene.animations().size(), scene.warnings());
                if (f.get("triangles") >= 0) {
                    // The facts count each geometry once, however many models place it.
                    assertEquals(f.get("triangles"), meshTriangles(scene), "triangles");
                }
                if (f.get("materials") >= 0) {
                    assertEquals(f.get("materials"), scene.materials().size(), "materials");
                }
                if (f.get("textures") >= 0) {
                    // the facts count the file's Texture objects; the reader adds one metallic-roughness image per
                    // pair of separate metallic and roughness images it packs
                    long packed = scene.textures().stream().filter(t -> t.name().endsWith("_metallicRoughness"))
                            .count();
                    assertEquals(f.get("textures"), scene.textures().size() - packed, "textures");
                    long embedded = scene.textures().stream().filter(t -> t.bytes() != null).count() - packed;
                    if (f.json().path("exercises").asText().contains("embedded media")) {
                        assertEquals(f.get("textures"), embedded, "every embedded texture has its image");
                    }
                }
                if (f.get("bones") >= 0) {
                    assertEquals(f.get("bones"), bones(scene), "bones (skin joints)");
                }
                if (WARNED.containsKey(f.file())) {
                    assertTrue(scene.warnings().stream().anyMatch(w -> w.contains(WARNED.get(f.file()))),
                            scene.warnings().toString());
                }
                if (f.json().path("exercises").asText().contains("skin(s)")) {
                    assertFalse(scene.skins().isEmpty(), "skins");
                }
            }
        }));
    }

    /** Triangles of the distinct meshes (instances count once). */
    static long meshTriangles(Scene scene) {
        Set<dev.meshforge.core.scene.Mesh> meshes = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        scene.forEachPlacedMesh((m, t) -> meshes.add(m));
        return meshes.stream().mapToLong(dev.meshforge.core.scene.Mesh::triangleCount).sum();
    }

    /** Distinct joints over all skins. */
    static int bones(Scene scene) {
        Set<Node> joints = new HashSet<>();
        for (Skin s : scene.skins()) {
            joints.addAll(s.joints());
        }
        return joints.size();
    }
}
