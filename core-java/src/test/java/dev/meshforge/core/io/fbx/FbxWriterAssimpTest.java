// Every readable corpus file (glb, gltf, stl, fbx) written as FBX (binary and ASCII) and re-read by assimp, an
// independent reader: the same triangles over all placements and the same materials in use.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.MeshforgeException;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.io.internal.SpecularGlossiness;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.testing.AssimpReader;
import dev.meshforge.core.testing.Corpus;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FbxWriterAssimpTest {
    @TempDir
    Path tmp;

    static List<Corpus.Fact> readable() {
        List<Corpus.Fact> all = new ArrayList<>();
        for (String prefix : List.of("glb/", "gltf/", "stl/", "fbx/")) {
            all.addAll(Corpus.facts(prefix));
        }
        all.removeIf(f -> !Formats.canRead(f.path()));
        return all;
    }

    @TestFactory
    Stream<DynamicTest> assimpReReadsEveryFbxWeWrite() {
        return readable().stream().flatMap(f -> Stream.of(false, true).map(ascii ->
                DynamicTest.dynamicTest(f.file() + (ascii ? " (ascii)" : ""), () -> {
            Scene scene;
            try {
                scene = Formats.read(f.path());
            } catch (MeshforgeException e) {
                return; // refused inputs are the readers' tests' business
            }
            try (scene) {
                Path out = tmp.resolve(f.file().replace('/', '_') + (ascii ? ".ascii.fbx" : ".fbx"));
                Formats.write(scene, out, Format.FBX, new WriteOptions(ascii));
                AssimpReader.Result r = AssimpReader.read(out);
                System.out.printf("assimp %-60s tris %7d/%7d materials %3d/%3d%n", out.getFileName(), r.triangles(),
                        scene.triangleCount(), r.materials(), usedMaterials(scene));
                assertEquals(scene.triangleCount(), r.triangles(), "triangles");
                assertEquals(usedMaterials(scene), r.materials(), "materials in use");
                assertEquals(skinJoints(scene), r.bones(), "bones");
                try (Scene back = Formats.read(out)) {
                    assertEquals(scene.triangleCount(), back.triangleCount(), "triangles re-read by meshforge");
                    assertEquals(scene.materials().size(), back.materials().size(), "materials re-read by meshforge");
                    assertEquals(scene.skins().size(), back.skins().size(), "skins re-read by meshforge");
                    // every texture a material uses comes back in its slot, with its image where the source had one
                    // (metallic and roughness travel as two grey images and are packed again on reading)
                    for (int i = 0; i < scene.materials().size(); i++) {
                        // a specular-glossiness material arrives converted, its glossiness baked into roughness
                        dev.meshforge.core.scene.Material m = scene.materials().get(i);
                        boolean sg = m.extensions().containsKey(SpecularGlossiness.EXTENSION);
                        List<String> expected = slots(scene, SpecularGlossiness.toMetallicRoughness(m));
                        List<String> got = slots(back, back.materials().get(i));
                        if (sg) {
                            expected.set(1, "baked");
                            got.set(1, "baked");
                        }
                        assertEquals(expected, got, "textures of material " + i + " re-read by meshforge");
                    }
                }
            }
        })));
    }

    /** Per slot of a material (base, metallic-roughness, normal, occlusion, emissive): none, image, no image. */
    private static List<String> slots(Scene s, dev.meshforge.core.scene.Material m) {
        List<String> out = new ArrayList<>();
        for (int t : new int[] {m.baseColorTexture(), m.metallicRoughnessTexture(), m.normalTexture(),
                m.occlusionTexture(), m.emissiveTexture()}) {
            out.add(t < 0 ? "none" : s.textures().get(t).bytes() != null ? "image" : "no image");
        }
        return out;
    }

    /** Distinct joint names over the skins of placed skinned meshes: assimp makes a bone of every cluster. */
    static int skinJoints(Scene scene) {
        Set<String> names = new HashSet<>();
        List<dev.meshforge.core.scene.Node> stack = new ArrayList<>(scene.roots());
        while (!stack.isEmpty()) {
            dev.meshforge.core.scene.Node n = stack.removeLast();
            stack.addAll(n.children());
            if (n.skin() != null && n.mesh() != null && n.mesh().triangleCount() > 0) {
                n.skin().joints().forEach(j -> names.add(j.name()));
            }
        }
        return names.size();
    }

    /** Distinct materials of placed triangle primitives; a primitive without one counts assimp's default once. */
    static int usedMaterials(Scene scene) {
        Set<Integer> used = new HashSet<>();
        scene.forEachPlacedMesh((m, t) -> {
            for (Primitive p : m.primitives()) {
                if (p.topology() == Topology.TRIANGLES && p.triangleCount() > 0) {
                    used.add(p.material() >= 0 && p.material() < scene.materials().size() ? p.material() : -1);
                }
            }
        });
        return used.size();
    }
}
