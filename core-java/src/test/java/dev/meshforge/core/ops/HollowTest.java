package dev.meshforge.core.ops;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.inspect.MeshReport;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hollowing through the ops contract: the wall asked in millimetres holds on a model in metres, the report's
 * figures match a re-read of the file written, and bad input is one sentence.
 */
class HollowTest {
    @TempDir
    Path dir;

    /** testdata's unit cube (OBJ, metres assumed) scaled to 20 mm: its coordinates stay in metres. */
    private static ToolResult<Scale.Report> cube20mm(Scene cube) {
        return Scale.run(cube, Scale.Options.height(20, LengthUnit.MM));
    }

    @Test
    void aCubeInMetresHollowedAtTwoMillimetresKeepsTheWallAndDrains() throws Exception {
        Path stl = dir.resolve("hollow.stl");
        Hollow.Report report;
        try (Scene cube = Formats.read(TestData.file("cube.obj"));
             ToolResult<Scale.Report> scaled = cube20mm(cube);
             ToolResult<Hollow.Report> r = Hollow.run(scaled.scene(), Hollow.Options.wall(2, LengthUnit.MM))) {
            report = r.report();
            Formats.write(r.scene(), stl, Format.STL, WriteOptions.DEFAULTS);
        }
        assertEquals(8000, report.volumeBefore(), 1e-3);
        assertEquals(1, report.cavities());
        assertEquals(1, report.cavitiesDrained());
        assertEquals(1, report.holes());
        assertTrue(report.minWall() >= 0.98 * 2, "measured wall " + report.minWall());
        // A 16 mm cavity and one hole of 3 mm through the 2 mm floor: 8000 - 4096 - about 14 mm³.
        assertEquals(8000 - 4096 - Math.PI * 1.5 * 1.5 * 2, report.volumeAfter(), 0.02 * 4096);
        assertEquals(100 * (8000 - report.volumeAfter()) / 8000, report.materialSavedPercent(), 1e-9);
        // The hole opens in the floor under the middle (the OBJ is Y up: its floor is y = 0).
        double[] hole = report.holeOpenings().get(0);
        assertEquals(0, hole[1], 0.5);
        assertEquals(20, report.printSize()[2], 0.01); // rebuilt on a 0.5 mm grid: sharp edges kept to a few µm
        // The STL read back (millimetres) measures what the report says.
        try (Scene back = Formats.read(stl)) {
            MeshReport m = Inspect.report(back);
            assertTrue(m.watertight());
            assertEquals(0, m.intersectingPairs());
            assertEquals(1, m.components());
            assertEquals(report.volumeAfter(), m.volume(), 1e-3 * report.volumeAfter());
            assertEquals(20, m.bboxMax()[1] - m.bboxMin()[1], 0.01);
        }
    }

    @Test
    void withoutHolesTheCavityIsReportedClosed() {
        try (Scene cube = Formats.read(TestData.file("cube.obj"));
             ToolResult<Scale.Report> scaled = cube20mm(cube);
             ToolResult<Hollow.Report> r = Hollow.run(scaled.scene(),
                     Hollow.Options.wall(2, LengthUnit.MM).withHoles(Hollow.Holes.NONE))) {
            assertEquals(1, r.report().cavities());
            assertEquals(0, r.report().cavitiesDrained());
            assertEquals(8000 - 4096, r.report().volumeAfter(), 0.01 * 4096);
            assertTrue(r.warnings().stream().anyMatch(w -> w.contains("trapped")), r.warnings().toString());
            assertEquals(2, r.report().after().components());
        }
    }

    @Test
    void aWallThatLeavesNoRoomIsOneSentence() {
        try (Scene cube = Formats.read(TestData.file("cube.obj"));
             ToolResult<Scale.Report> scaled = cube20mm(cube)) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> Hollow.run(scaled.scene(), Hollow.Options.wall(1, LengthUnit.CM)));
            assertTrue(e.getMessage().contains("leaves no room for a cavity"), e.getMessage());
        }
    }

    @Test
    void anOpenMeshIsSentToRepairFirst() throws Exception {
        // The cube without its last face, as an STL.
        Path open = dir.resolve("open.stl");
        List<String> lines = Files.readAllLines(TestData.file("cube.obj"));
        int last = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("f ")) {
                last = i;
            }
        }
        lines.remove(last);
        Path obj = dir.resolve("open.obj");
        Files.write(obj, lines);
        try (Scene s = Formats.read(obj)) {
            Formats.write(s, open, Format.STL, WriteOptions.DEFAULTS);
        }
        try (Scene s = Formats.read(open)) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> Hollow.run(s, Hollow.Options.wall(0.1, LengthUnit.MM)));
            assertTrue(e.getMessage().contains("repair it before hollowing"), e.getMessage());
        }
    }

    @Test
    void badOptionsAreRefusedBeforeAnyWork() {
        for (double wall : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> Hollow.Options.wall(wall, LengthUnit.MM));
        }
        assertThrows(IllegalArgumentException.class,
                () -> Hollow.Options.wall(2, LengthUnit.MM).withHoleDiameter(Double.NaN));
        assertThrows(IllegalArgumentException.class,
                () -> Hollow.Options.wall(2, LengthUnit.MM).withHolesAt(List.of(new double[] {0, Double.NaN, 0})));
    }
}
