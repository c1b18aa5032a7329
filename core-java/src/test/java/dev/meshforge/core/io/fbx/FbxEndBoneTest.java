// An end bone without a cluster, under a bone bound away from its rest pose, stays where Blender places it.
package dev.meshforge.core.io.fbx;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.testing.Blender;
import dev.meshforge.core.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FbxEndBoneTest {
    @TempDir
    Path tmp;

    /**
     * The barbarian's 'pied droit.001' is bound (its cluster's TransformLink) 0.245 units from its rest position;
     * its end bone has no cluster, so Blender places it under that bind matrix. Written to FBX, the end bone's
     * bind matrix must follow its parent's too: Blender's pose of it, at 0.25, 0.5 and 1 s, within 1 mm of the
     * source's (it was 0.245 units off when the writer bound it at its rest position).
     */
    @Test
    void anEndBoneWithoutAClusterKeepsItsPlaceUnderItsParentsBindMatrix() throws Exception {
        Path source = Corpus.root().resolve("fbx/blender_293_barbarian_7400_binary.fbx");
        Path out = tmp.resolve("barbarian.fbx");
        try (Scene s = Formats.read(source)) {
            Formats.write(s, out, Format.FBX, WriteOptions.DEFAULTS);
        }
        Map<String, JsonNode> seen = Blender.describe(tmp, List.of(source, out), 300);
        JsonNode before = seen.get(source.toString()).path("poses");
        JsonNode after = seen.get(out.toString()).path("poses");
        String key = null;
        for (Iterator<String> it = before.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.endsWith("/pied droit.001_end")) {
                key = k;
            }
        }
        assertNotNull(key, "Blender poses the end bone in the source: " + before);
        JsonNode a = before.path(key);
        JsonNode b = after.path(key);
        assertEquals(3, a.size());
        assertEquals(a.size(), b.size(), () -> "our FBX in Blender: " + after);
        for (int t = 0; t < a.size(); t++) {
            double d = 0;
            for (int c = 0; c < 3; c++) {
                double e = a.get(t).get(c).asDouble() - b.get(t).get(c).asDouble();
                d += e * e;
            }
            double dist = Math.sqrt(d);
            int sample = t;
            assertTrue(dist < 1e-3, () -> "sample " + sample + ": " + a.get(sample) + " vs " + b.get(sample));
        }
    }
}
