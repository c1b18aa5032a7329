// STL is read as an indexed mesh welded by exact position, and a GLB written from it keeps the sharing.
package dev.meshforge.core.io.stl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.testing.Corpus;
import dev.meshforge.core.testing.Edges;
import dev.meshforge.core.testing.Glb;
import dev.meshforge.core.testing.GltfValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StlWeldTest {
    @TempDir
    Path dir;

    @Test
    void everyCorpusStlHasTheOpenAndNonManifoldEdgesOfItsFacts() throws Exception {
        int checked = 0;
        for (Corpus.Fact f : Corpus.facts("stl/")) {
            if (!f.checked() || f.get("triangles") <= 0) {
                continue;
            }
            try (Scene s = Formats.read(f.path())) {
                Primitive p = s.roots().get(0).mesh().primitives().get(0);
                Map<Long, Integer> edges = Edges.of(p);
                long open = edges.values().stream().filter(n -> n == 1).count();
                long nonManifold = edges.values().stream().filter(n -> n > 2).count();
                assertEquals(f.get("open_edges"), open, f + ": open edges after the exact weld");
                assertEquals(f.get("non_manifold_edges"), nonManifold, f + ": non-manifold edges");
                checked++;
            }
        }
        assertTrue(checked >= 10, "checked " + checked + " corpus STL files");
    }

    @Test
    void theTwentyMillimetreBoxIsEightVerticesAndAGlbOfItSharesThemWithoutNormals() throws Exception {
        Path glb = dir.resolve("box.glb");
        try (Scene s = Formats.read(Corpus.root().resolve("stl/ascii/20mmbox-CRLF.stl"))) {
            Primitive p = s.roots().get(0).mesh().primitives().get(0);
            assertEquals(8, p.vertexCount());
            assertEquals(12, p.triangleCount());
            Edges.of(p).forEach((edge, n) -> assertEquals(2, n, "edge " + Long.toHexString(edge)));
            Formats.write(s, glb, Format.GLB, WriteOptions.DEFAULTS);
        }
        JsonNode json = Glb.json(glb);
        JsonNode prim = json.path("meshes").path(0).path("primitives").path(0);
        assertEquals(8, json.path("accessors").path(prim.path("attributes").path("POSITION").asInt()).path("count")
                .asInt(), "POSITION count in the GLB");
        assertEquals(36, json.path("accessors").path(prim.path("indices").asInt()).path("count").asInt());
        assertFalse(prim.path("attributes").has("NORMAL"), "no normals: glTF viewers shade a mesh without them flat");
        GltfValidator.Report r = GltfValidator.validate(glb);
        assertEquals(0, r.errors(), () -> "validator errors: " + r.errorMessages());
    }
}
