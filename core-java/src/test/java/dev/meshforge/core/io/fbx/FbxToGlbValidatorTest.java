// Every readable corpus FBX converted to GLB passes the Khronos glTF validator with zero errors, skins,
// morph targets and animations included, and keeps its triangles.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.testing.Corpus;
import dev.meshforge.core.testing.GltfValidator;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FbxToGlbValidatorTest {
    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> everyCorpusFbxBecomesAValidGlb() {
        return Corpus.facts("fbx/").stream().map(f -> DynamicTest.dynamicTest(f.file(), () -> {
            Scene scene;
            try {
                scene = Formats.read(f.path());
            } catch (BadInputException e) {
                return; // refused: FbxCorpusTest checks the sentence
            }
            try (scene) {
                Path out = tmp.resolve(f.file().replace('/', '_') + ".glb");
                Formats.write(scene, out, Format.GLB, WriteOptions.DEFAULTS);
                GltfValidator.Report report = GltfValidator.validate(out);
                System.out.printf("glb %-55s errors %d warnings %d skins %d anims %d%n", f.file(), report.errors(),
                        report.warnings(), scene.skins().size(), scene.animations().size());
                assertEquals(0, report.errors(), () -> "validator errors: " + report.errorMessages());
                try (Scene back = Formats.read(out)) {
                    assertEquals(scene.triangleCount(), back.triangleCount(), "triangles after GLB");
                    assertEquals(scene.skins().size(), back.skins().size(), "skins after GLB");
                    assertEquals(scene.animations().size(), back.animations().size(), "animations after GLB");
                }
            }
        }));
    }
}
