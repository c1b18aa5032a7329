// Every PLY of the shared corpus: read with the facts' counts, or refused naming its defect; and written back.
package dev.meshforge.core.io.ply;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.testing.Corpus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorpusPlyTest {
    /**
     * The broken files that are refused, each with what the message must say. The others in ply/broken are valid
     * PLY holding a defective mesh (bunny_broken: holes, non-manifold edges) and are read like any file.
     */
    private static final Map<String, List<String>> REFUSED = Map.of(
            // Face rows carry 6 values more than the header's lists and colors declare.
            "ply/broken/fuze_ascii_malformed.ply", List.of("line 523", "face 0 has 6 values more than the header"),
            // The vertex_indices list sits in the vertex element, and there is no face element.
            "ply/broken/issue623.ply", List.of("line 12", "'vertex_indices' is declared under element 'vertex'"),
            // Nothing but "ply", "format ascii 1.0" and "end_header".
            "ply/broken/ply_empty_header.ply", List.of("declares no elements", "header without vertex data"));

    @TempDir
    Path dir;

    static List<Corpus.Fact> plyFiles() {
        List<Corpus.Fact> facts = Corpus.facts("ply/");
        assertFalse(facts.isEmpty(), "corpus-facts.json lists no PLY file");
        return facts;
    }

    static List<Corpus.Fact> readableFiles() {
        return plyFiles().stream().filter(f -> !REFUSED.containsKey(f.file())).toList();
    }

    /** Files whose faces hold their corners' texture coordinates (MeshLab's texcoord list). */
    private static final java.util.Set<String> CORNER_UVS = java.util.Set.of("ply/fuze_vcolor.ply");

    private static Primitive only(Scene s) {
        assertEquals(1, s.roots().size());
        List<Primitive> primitives = s.roots().get(0).mesh().primitives();
        assertEquals(1, primitives.size());
        return primitives.get(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plyFiles")
    void readsWithTheFactsCountsOrRefusesNamingTheDefect(Corpus.Fact fact) {
        List<String> refusal = REFUSED.get(fact.file());
        if (refusal != null) {
            BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(fact.path()).close());
            assertTrue(e.getMessage().startsWith(fact.path() + ": "), e.getMessage());
            for (String part : refusal) {
                assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
            }
            return;
        }
        try (Scene scene = Formats.read(fact.path())) {
            Primitive p = only(scene);
            long triangles = fact.get("triangles");
            if (triangles < 0) {
                assertFalse(fact.json().path("broken_folder").asBoolean(), "a broken file without a triangle count "
                        + "must be listed in REFUSED with its defect");
                assertEquals(Topology.POINTS, p.topology(), "no triangles in the facts: a point cloud");
            } else {
                assertEquals(triangles, scene.triangleCount(), "triangles");
            }
            if (fact.get("vertices") >= 0 && CORNER_UVS.contains(fact.file())) {
                // per-corner UVs (a face texcoord list): a vertex is split where its corners' UVs differ
                assertTrue(p.vertexCount() > fact.get("vertices"), "vertices split at UV seams");
                assertNotNull(p.attribute("TEXCOORD_0"), "texture coordinates from the faces");
            } else if (fact.get("vertices") >= 0) {
                assertEquals(fact.get("vertices"), p.vertexCount(), "vertices");
            }
            if (fact.json().path("vertex_colors").asBoolean()) {
                assertNotNull(p.attribute("COLOR_0"), "vertex colors");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readableFiles")
    void closedFilesStayClosedAfterTriangulation(Corpus.Fact fact) {
        Assumptions.assumeTrue(fact.json().path("closed_manifold").asBoolean(), "not closed in the facts");
        try (Scene scene = Formats.read(fact.path())) {
            Primitive p = only(scene);
            // Weld by exact position (cube_uv splits corners for its UVs), then pair every directed edge.
            Map<List<Float>, Integer> welded = new HashMap<>();
            int[] id = new int[(int) p.vertexCount()];
            for (int v = 0; v < id.length; v++) {
                List<Float> key = List.of(p.positions().get(v, 0), p.positions().get(v, 1), p.positions().get(v, 2));
                id[v] = welded.computeIfAbsent(key, k -> welded.size());
            }
            Map<Long, Integer> edges = new HashMap<>();
            for (long i = 0; i < p.indexCount(); i += 3) {
                for (int k = 0; k < 3; k++) {
                    long a = id[p.index(i + k)], b = id[p.index(i + (k + 1) % 3)];
                    edges.merge(a << 32 | b, 1, Integer::sum);
                }
            }
            edges.forEach((edge, count) -> {
                long reverse = (edge & 0xFFFF_FFFFL) << 32 | edge >>> 32;
                assertEquals(1, count, "directed edge " + (edge >>> 32) + "-" + (edge & 0xFFFF_FFFFL) + " once");
                assertEquals(1, edges.getOrDefault(reverse, 0), "its reverse once");
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readableFiles")
    void writtenBackInBothEncodingsItReadsTheSame(Corpus.Fact fact) throws IOException {
        try (Scene scene = Formats.read(fact.path())) {
            Primitive p = only(scene);
            for (WriteOptions options : new WriteOptions[] {WriteOptions.DEFAULTS, new WriteOptions(true)}) {
                Path out = dir.resolve(options.ascii() ? "ascii.ply" : "binary.ply");
                Formats.write(scene, out, Format.PLY, options);
                try (Scene back = Formats.read(out)) {
                    Primitive q = only(back);
                    assertEquals(p.topology(), q.topology());
                    assertEquals(scene.triangleCount(), back.triangleCount());
                    // The writer shares vertices written alike and leaves unused ones out, so corners are compared:
                    // each corner's position, bit for bit; a point cloud keeps its distinct points.
                    if (p.topology() == dev.meshforge.core.scene.Topology.TRIANGLES) {
                        for (long i = 0; i < p.indexCount(); i++) {
                            for (int a = 0; a < 3; a++) {
                                assertEquals(Float.floatToRawIntBits(p.positions().get(p.index(i), a)),
                                        Float.floatToRawIntBits(q.positions().get(q.index(i), a)), "corner " + i);
                            }
                            dev.meshforge.core.scene.VertexAttribute uv = p.attribute("TEXCOORD_0");
                            for (int a = 0; uv != null && a < 2; a++) {
                                assertEquals(uv.get(p.index(i), a), q.attribute("TEXCOORD_0").get(q.index(i), a),
                                        1e-6, "corner " + i + " texture coordinate " + a);
                            }
                        }
                    } else {
                        assertEquals(distinctPositions(p), distinctPositions(q));
                        assertEquals(q.vertexCount(), distinctPositions(q).size(), "no point written twice");
                    }
                    java.util.Set<String> expected = new java.util.TreeSet<>(p.attributes().keySet());
                    if (scene.warnings().stream().anyMatch(w -> w.contains("normals were left out"))) {
                        expected.remove(dev.meshforge.core.scene.VertexAttribute.NORMAL);
                    }
                    assertEquals(expected, new java.util.TreeSet<>(q.attributes().keySet()), "attributes");
                }
            }
        }
    }

    private static java.util.Set<java.util.List<Integer>> distinctPositions(Primitive p) {
        java.util.Set<java.util.List<Integer>> out = new java.util.HashSet<>();
        for (long v = 0; v < p.vertexCount(); v++) {
            out.add(java.util.List.of(Float.floatToRawIntBits(p.positions().get(v, 0)),
                    Float.floatToRawIntBits(p.positions().get(v, 1)), Float.floatToRawIntBits(p.positions().get(v, 2))));
        }
        return out;
    }
}
