package dev.meshforge.core.ops;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.inspect.MeshReport;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.testing.Corpus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hollowing's guarantees on the corpus: every file the facts call a closed, outward solid without crossings,
 * repaired (unchanged, as repair leaves such a file) and hollowed at a wall of 2 % of its height with automatic
 * holes, at low quality (3 cells across the wall) to keep the run short. Files so flat that the grid would pass
 * 250 cells along their longest side are skipped, with the reason (the scallop: 377); files thinner than two walls
 * must be refused in one sentence. The broken inputs (open, non-manifold, inverted or crossing) are repaired first
 * and held to the same guarantees where the repair gives them a volume.
 */
class HollowCorpusTest {
    static List<Corpus.Fact> closedSolids() {
        return Corpus.facts("").stream()
                .filter(f -> f.json().path("closed_manifold").asBoolean(false) && !f.json().path("inverted")
                        .asBoolean(false) && f.get("intersecting_pairs") == 0 && f.get("triangles") > 0)
                .filter(f -> Formats.canRead(f.path())).toList();
    }

    /**
     * The other readable corpus files with triangles (open, non-manifold, inverted, crossing: broken inputs the
     * repair makes solids of), smallest first. All of them with -Dmeshforge.hollow.broken=all; by default, to keep
     * CI short, a sample: of those of at most {@link #BROKEN_SAMPLE_TRIANGLES} triangles but the triangle soup (its
     * repair alone takes minutes; RepairCorpusTest covers it), every sixth in order of size, the smallest first.
     */
    static List<Corpus.Fact> repairedBrokenInputs() {
        List<Corpus.Fact> closed = closedSolids();
        boolean all = "all".equals(System.getProperty("meshforge.hollow.broken"));
        List<Corpus.Fact> broken = Corpus.facts("").stream()
                .filter(f -> f.get("triangles") > 0 && closed.stream().noneMatch(c -> c.file().equals(f.file())))
                .filter(f -> all || f.get("triangles") <= BROKEN_SAMPLE_TRIANGLES && !f.file().endsWith("/soup.stl"))
                .filter(f -> Formats.canRead(f.path()))
                .sorted(java.util.Comparator.comparingLong((Corpus.Fact f) -> f.get("triangles"))
                        .thenComparing(Corpus.Fact::file)).toList();
        return all ? broken : java.util.stream.IntStream.range(0, broken.size()).filter(i -> i % 6 == 0)
                .mapToObj(broken::get).toList();
    }

    static final long BROKEN_SAMPLE_TRIANGLES = 20_000;

    @ParameterizedTest(name = "{0}")
    @MethodSource("closedSolids")
    void hollowedAtTwoPercentOfTheHeightKeepsEveryGuarantee(Corpus.Fact fact) {
        hollowRepaired(fact);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("repairedBrokenInputs")
    void brokenInputsRepairedThenHollowedKeepEveryGuarantee(Corpus.Fact fact) {
        hollowRepaired(fact);
    }

    private static ToolResult<Repair.Report> repairOrAbort(Scene scene) {
        try {
            return Repair.run(scene);
        } catch (BadInputException e) {
            Assumptions.abort("refused by the repair: " + e.getMessage());
            return null;
        }
    }

    private static void hollowRepaired(Corpus.Fact fact) {
        long start = System.nanoTime();
        Scene read;
        try {
            read = Formats.read(fact.path());
        } catch (BadInputException | dev.meshforge.core.UnsupportedFeatureException e) {
            Assumptions.abort("refused by the reader: " + e.getMessage());
            return;
        }
        try (Scene scene = read;
             ToolResult<Repair.Report> repaired = repairOrAbort(scene)) {
            double repairSeconds = (System.nanoTime() - start) * 1e-9;
            if (!(repaired.report().after().volume() > 0)) {
                Assumptions.abort("no volume after repair");
            }
            double[][] box = dev.meshforge.core.ops.internal.WorldMesh.bounds(repaired.scene());
            double mm = repaired.scene().units().toMillimetres();
            int up = repaired.scene().units().upAxis() == dev.meshforge.core.scene.UpAxis.Z ? 2 : 1;
            double height = (box[1][up] - box[0][up]) * mm;
            double longest = 0;
            double thinnest = Double.POSITIVE_INFINITY;
            for (int k = 0; k < 3; k++) {
                longest = Math.max(longest, (box[1][k] - box[0][k]) * mm);
                thinnest = Math.min(thinnest, (box[1][k] - box[0][k]) * mm);
            }
            double wall = 0.02 * height;
            if (longest / (wall / 3) > 250) {
                Assumptions.abort(String.format("flat: the grid would be %.0f cells long", longest / (wall / 3)));
            }
            if (2 * wall >= thinnest) {
                // Thinner than two walls everywhere: refused in one sentence, nothing hollowed.
                BadInputException e = assertThrows(BadInputException.class, () -> Hollow.run(repaired.scene(),
                        Hollow.Options.wall(wall, LengthUnit.MM)));
                assertTrue(e.getMessage().contains("leaves no room for a cavity"), e.getMessage());
                return;
            }
            Hollow.Options options = Hollow.Options.wall(wall, LengthUnit.MM).withQuality(Hollow.Quality.LOW)
                    .withHoleDiameter(Math.max(3 * wall, 0.05 * height));
            try (ToolResult<Hollow.Report> r = Hollow.run(repaired.scene(), options)) {
                Hollow.Report report = r.report();
                MeshReport after = report.after();
                assertTrue(after.watertight(), fact + " " + after);
                assertEquals(0, after.nonManifoldEdges(), fact.toString());
                assertEquals(0, after.intersectingPairs(), fact.toString());
                assertTrue(after.volume() > 0, fact.toString());
                if (report.cavities() > 0) {
                    assertTrue(report.minWall() >= 0.98 * wall, fact + ": wall " + report.minWall() + " of " + wall);
                    assertEquals(report.cavities(), report.cavitiesDrained(), fact.toString());
                    assertTrue(report.volumeAfter() < report.volumeBefore(), fact.toString());
                    // What the tool returned is what it reports: inspected again.
                    MeshReport again = Inspect.report(r.scene());
                    assertEquals(after.triangles(), again.triangles(), fact.toString());
                    assertTrue(again.watertight(), fact.toString());
                }
                System.out.printf("%s: height %.4g mm, wall %.4g, measured %.4g, %d cavities, %d holes, %.1f%% "
                        + "saved, repair %.2f s, hollow %.2f s%n", fact, height, wall, report.minWall(),
                        report.cavities(), report.holes(), report.materialSavedPercent(), repairSeconds,
                        r.timings().seconds());
            }
        }
    }
}
