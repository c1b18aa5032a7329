// glTF output splits a vertex only where some attribute differs, and carries no unused vertex.
package dev.meshforge.core.io.gltf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.VertexAttribute;
import dev.meshforge.core.testing.Fixtures;
import dev.meshforge.core.testing.Glb;
import dev.meshforge.core.testing.GltfValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GltfWriterTopologyTest {
    @TempDir
    Path dir;

    @Test
    void aCubeSplitPerTriangleIsWrittenWithFourCornersAFace() throws Exception {
        Path out = dir.resolve("cube.glb");
        try (Scene scene = Fixtures.splitCube()) {
            Primitive box = scene.roots().get(0).mesh().primitives().get(0);
            // one UV everywhere: a face's two triangles then agree on the corners they share (position and normal)
            box.put(new VertexAttribute("TEXCOORD_0", 2, box.vertexCount(), scene.allocateFloats(2 * box.vertexCount())));
            Formats.write(scene, out, Format.GLB, WriteOptions.DEFAULTS);
        }
        JsonNode json = Glb.json(out);
        assertEquals(1, json.path("meshes").size(), "both placements share one mesh");
        JsonNode attrs = json.path("meshes").path(0).path("primitives").path(0).path("attributes");
        for (String a : new String[] {"POSITION", "NORMAL", "TEXCOORD_0"}) {
            assertEquals(24, json.path("accessors").path(attrs.path(a).asInt()).path("count").asInt(),
                    a + ": 6 faces x 4 corners (37 vertices in the scene: 36 corners and one unused)");
        }
        GltfValidator.Report r = GltfValidator.validate(out);
        assertEquals(0, r.errors(), () -> "validator errors: " + r.errorMessages());
    }
}
