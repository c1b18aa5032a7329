// Every readable corpus file with triangles, repaired: inspect of the output must show the guarantee, no part
// of the input may be lost (input surface outside the solid and off it, asserted for every file), and the
// Hausdorff distances are asserted against the aims (but for the listed files that do not meet them yet;
// most of those meet output->input against the input and the hole patches) and printed as a table
// (target/repair-corpus.tsv).
package dev.meshforge.core.ops;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.ops.Inspect;
import dev.meshforge.core.inspect.MeshReport;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.testing.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepairCorpusTest {
    /** The aim for both one-sided distances, as a fraction of the input's bounding-box diagonal. */
    private static final double AIM = 0.005;
    private static final Map<String, String> TABLE = new TreeMap<>();
    /**
     * Files whose repair meets the guarantee but not yet the fidelity aims (measured 2026-11-25, default
     * quality). All miss output->input, and all but those in {@link #MISSED_NOT_BY_HOLE_PATCHES} only because of
     * hole patches, which stand as far from the input as the hole is wide: measured against the input and the
     * patches their output->input meets the aim (at most 0.40%, the truck), and that is asserted. The volumetric
     * ones among them have intersecting parts, so input->output is no aim for them. Their distances are still
     * printed; every other file must meet the aims, so a regression fails here.
     */
    private static final java.util.Set<String> FIDELITY_NOT_YET_MET = java.util.Set.of(
            "fbx/ai_unirig_tira.fbx", "fbx/blender_293_barbarian_7400_binary.fbx",
            "fbx/broken/maya_bad_face_6100_ascii.fbx", "fbx/spider.fbx", "glb/CornellBox.glb", "glb/DamagedHelmet.glb", "glb/broken/boxNotManifold.glb",
            "obj/assimp/WusonOBJ.obj", "obj/spider/spider.obj", "obj/stanford-bunny.obj",
            "obj/truck_libigl.obj", "ply/broken/bunny_broken.ply", "stl/ascii/Spider_ascii.stl",
            "stl/ascii/sphereWithHole.stl", "stl/binary/Spider_binary.stl", "stl/broken/teapot.stl");
    /**
     * Listed files that miss output->input for another reason than hole patches: none since the volumetric
     * stage closes the whole boundary of the input (Wuson's openings run through crowded edges on its mirror
     * plane, which the edges of one face could not walk: 1.13% before, 0.43% now).
     */
    private static final java.util.Set<String> MISSED_NOT_BY_HOLE_PATCHES = java.util.Set.of();

    static List<Corpus.Fact> readableFiles() {
        return Corpus.facts("").stream().filter(f -> Formats.canRead(f.path())).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readableFiles")
    void repairedOutputMeetsTheGuarantee(Corpus.Fact fact) {
        Scene scene;
        try {
            scene = Formats.read(fact.path());
        } catch (BadInputException | dev.meshforge.core.UnsupportedFeatureException e) {
            Assumptions.abort("refused by the reader: " + e.getMessage());
            return;
        }
        try (scene) {
            if (scene.triangleCount() == 0) {
                assertThrows(BadInputException.class, () -> Repair.run(scene));
                return;
            }
            long start = System.nanoTime();
            ToolResult<Repair.Report> result = Repair.run(scene);
            double seconds = (System.nanoTime() - start) / 1e9;
            try {
                MeshReport after = Inspect.report(result.scene());
                boolean met = after.watertight() && after.nonManifoldEdges() == 0
                        && after.inconsistentOrientationEdges() == 0 && after.degenerateFaces() == 0
                        && after.intersectingPairs() == 0 && after.volume() > 0;
                MeshReport before = result.report().before();
                // Inner and overlapping parts are dropped by a solid: in->out is an aim only without them.
                boolean solidDropsParts = before.intersectingPairs() > 0 || before.nonManifoldEdges() > 0;
                boolean aimed = !FIDELITY_NOT_YET_MET.contains(fact.file());
                boolean patchedAimed = !MISSED_NOT_BY_HOLE_PATCHES.contains(fact.file());
                TABLE.put(fact.file(), String.format(Locale.ROOT, "%s\t%d\t%d\t%s\t%s\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.2f",
                        fact.file(), before.triangles(), after.triangles(), met ? "yes" : "NO",
                        result.report().stage().name().toLowerCase(Locale.ROOT), 100 * result.report().hausdorffOutIn(),
                        100 * result.report().hausdorffOutInPatched(), 100 * result.report().hausdorffInOut(),
                        100 * result.report().lost(), 100 * result.report().lostArea(), seconds));
                assertAll(
                        () -> assertTrue(after.watertight(), "watertight"),
                        () -> assertEquals(0, after.nonManifoldEdges(), "non_manifold_edges"),
                        () -> assertEquals(0, after.inconsistentOrientationEdges(), "inconsistent_orientation_edges"),
                        () -> assertEquals(0, after.degenerateFaces(), "degenerate_faces"),
                        () -> assertEquals(0, after.intersectingPairs(), "intersecting_pairs"),
                        () -> assertTrue(after.volume() > 0, "positive volume, got " + after.volume()),
                        () -> assertTrue(!aimed || result.report().hausdorffOutIn() <= AIM,
                                "output->input " + 100 * result.report().hausdorffOutIn() + "% of the diagonal"),
                        () -> assertTrue(!patchedAimed || result.report().hausdorffOutInPatched() <= AIM,
                                "output->input and hole patches " + 100 * result.report().hausdorffOutInPatched()
                                        + "% of the diagonal"),
                        () -> assertTrue(result.report().lost() >= 0 && result.report().lost() <= AIM,
                                "lost " + 100 * result.report().lost() + "% of the diagonal, "
                                        + 100 * result.report().lostArea() + "% of the area"),
                        () -> assertTrue(result.report().hausdorffOutInPatched() <= result.report().hausdorffOutIn(),
                                "off the input and its patches no farther than off the input alone"),
                        () -> assertTrue(!aimed || solidDropsParts || result.report().hausdorffInOut() <= AIM,
                                "input->output " + 100 * result.report().hausdorffInOut() + "% of the diagonal"));
                if (result.report().stage() == Repair.Stage.UNCHANGED) {
                    assertEquals(before.toMap().toString(), result.report().after().toMap().toString());
                }
            } finally {
                if (result.scene() != scene) {
                    result.scene().close();
                }
            }
        }
    }

    @Test
    void aMeshThatAlreadyMeetsTheGuaranteeComesBackUnchanged() {
        Path cube = Corpus.root().resolve("stl/ascii/20mmbox-CR.stl");
        try (Scene scene = Formats.read(cube)) {
            ToolResult<Repair.Report> result = Repair.run(scene);
            assertEquals(Repair.Stage.UNCHANGED, result.report().stage());
            assertTrue(result.scene() == scene);
        }
    }

    @AfterAll
    static void printTable() throws IOException {
        if (TABLE.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("file\ttris_in\ttris_out\tguarantee\tstage\thd_out_in_%\thd_out_patched_%\thd_in_out_%\tlost_%\tlost_area_%\tseconds\n");
        TABLE.values().forEach(line -> sb.append(line).append('\n'));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/repair-corpus.tsv"), sb);
        System.out.print(sb);
    }
}
