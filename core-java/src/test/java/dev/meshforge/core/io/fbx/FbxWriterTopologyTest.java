package dev.meshforge.core.io.fbx;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A mesh connected in the scene is connected in the FBX: one control point a position, none unused. */
class FbxWriterTopologyTest {
    @TempDir
    Path dir;

    @Test
    void aSplitCubeIsOneGeometryOfEightControlPointsWhoseEdgesAllHaveTwoFaces() throws Exception {
        Path out = dir.resolve("cubes.fbx");
        try (Scene scene = Fixtures.splitCube()) {
            Formats.write(scene, out, Format.FBX, WriteOptions.DEFAULTS);
        }
        FbxNode objects = FbxDocument.open(out, ReadOptions.DEFAULTS).root.child("Objects");
        List<FbxNode> geometries = objects.all("Geometry");
        assertEquals(1, geometries.size(), "the two placements share one geometry");
        FbxNode g = geometries.get(0);
        assertEquals(8 * 3, g.childDoubles("Vertices").length, "the cube's 8 corners once each");
        int[] pvi = g.childInts("PolygonVertexIndex");
        assertEquals(36, pvi.length);
        Map<String, Integer> edges = new HashMap<>();
        for (int f = 0; f < pvi.length; f += 3) {
            for (int k = 0; k < 3; k++) {
                int a = decode(pvi[f + k]);
                int b = decode(pvi[f + (k + 1) % 3]);
                edges.merge(Math.min(a, b) + "-" + Math.max(a, b), 1, Integer::sum);
            }
        }
        assertEquals(18, edges.size());
        edges.forEach((e, faces) -> assertEquals(2, faces, "edge " + e));
        // UVs stay per corner: the three distinct values, indexed
        FbxNode uv = g.child("LayerElementUV");
        assertEquals(3 * 2, uv.childDoubles("UV").length);
        assertEquals(36, uv.childInts("UVIndex").length);
    }

    private static int decode(int i) {
        return i < 0 ? ~i : i;
    }
}
