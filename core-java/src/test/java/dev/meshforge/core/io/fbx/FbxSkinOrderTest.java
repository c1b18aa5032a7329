// Reading the same skinned FBX twice gives the same joints in the same order (no identity-hash ordering).
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Skin;
import dev.meshforge.core.testing.Corpus;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class FbxSkinOrderTest {
    private static List<String> jointNames(Path file) {
        try (Scene s = Formats.read(file)) {
            List<String> names = new ArrayList<>();
            for (Skin skin : s.skins()) {
                for (Node j : skin.joints()) {
                    names.add(j.name());
                }
                names.add("|");
            }
            return names;
        }
    }

    @Test
    void skeletonJointsComeInTheSameOrderOnEveryRead() {
        for (String f : new String[] {"fbx/animation_with_skeleton.fbx", "fbx/blender_293_barbarian_7400_binary.fbx"}) {
            Path file = Corpus.root().resolve(f);
            List<String> first = jointNames(file);
            assertFalse(first.isEmpty());
            for (int i = 0; i < 5; i++) {
                System.gc(); // identity hash codes of new objects differ from run to run
                assertEquals(first, jointNames(file), f);
            }
        }
    }
}
