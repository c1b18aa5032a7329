package dev.meshforge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshforge.core.inspect.MeshReport;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.io.threemf.ThreeMfReader;
import dev.meshforge.core.ops.Inspect;
import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * print and hollow end to end: the files written load in PrusaSlicer at the size asked, in millimetres, Z up, and
 * manifold; our own re-read agrees with the report.
 */
class PrintCommandTest {
    @TempDir
    Path dir;

    private static Path cube() {
        return Path.of(System.getProperty("meshforge.testdata", "../testdata")).resolve("cube.obj");
    }

    @Test
    void aHollowedPrintIsSixtyMillimetresTallInPrusaSlicerAndManifold() throws Exception {
        for (String name : List.of("print.stl", "print.3mf")) {
            Path out = dir.resolve(name);
            CommandRun r = CommandRun.of("print", cube().toString(), out.toString(), "--height", "60mm", "--hollow",
                    "--wall", "2mm", "--json");
            assertEquals(0, r.code(), r.err());
            JsonNode hollow = new ObjectMapper().readTree(r.out()).get("hollow");
            assertEquals(1, hollow.get("cavities").asInt());
            assertEquals(1, hollow.get("cavities_drained").asInt());
            assertTrue(hollow.get("min_wall").asDouble() >= 0.98 * 2, hollow.toString());
            double volume = hollow.get("volume_after").asDouble();
            // 60 mm cube, a 56 mm cavity, one 3 mm hole through the 2 mm floor
            assertEquals(216000 - 56 * 56 * 56, volume, 0.01 * 56 * 56 * 56);
            try (Scene back = name.endsWith(".stl") ? Formats.read(out)
                    : new ThreeMfReader().read(out, ReadOptions.DEFAULTS)) {
                MeshReport m = Inspect.report(back);
                assertTrue(m.watertight());
                assertEquals(0, m.intersectingPairs());
                assertEquals(60, m.bboxMax()[2] - m.bboxMin()[2], 0.01); // Z up
                assertEquals(0, m.bboxMin()[2], 0.01);                   // on the bed
                assertEquals(volume, m.volume(), 1e-3 * volume);
            }
            Map<String, String> info = PrusaSlicerInfo.of(out);
            assertEquals(60, Double.parseDouble(info.get("size_z")), 0.01, name + " " + info);
            assertEquals(60, Double.parseDouble(info.get("size_x")), 0.01, name + " " + info);
            assertEquals("yes", info.get("manifold"), name + " " + info);
            assertEquals(volume, Double.parseDouble(info.get("volume")), 1e-3 * volume, name + " " + info);
        }
    }

    @Test
    void aSolidPrintIsScaledAndStandsOnTheBed() throws Exception {
        Path out = dir.resolve("solid.stl");
        CommandRun r = CommandRun.of("print", cube().toString(), out.toString(), "--height", "2cm");
        assertEquals(0, r.code(), r.err());
        Map<String, String> info = PrusaSlicerInfo.of(out);
        assertEquals(20, Double.parseDouble(info.get("size_z")), 1e-3, info.toString());
        assertEquals(0, Double.parseDouble(info.get("min_z")), 1e-3, info.toString());
        assertEquals("yes", info.get("manifold"));
        assertEquals(8000, Double.parseDouble(info.get("volume")), 0.1);
    }

    @Test
    void hollowWithoutHolesWarnsOfTrappedMaterialAndAnOpenMeshIsSentToRepair() throws Exception {
        Path scaled = dir.resolve("scaled.stl");
        assertEquals(0, CommandRun.of("print", cube().toString(), scaled.toString(), "--height", "30mm").code());
        Path out = dir.resolve("hollow.stl");
        CommandRun r = CommandRun.of("hollow", scaled.toString(), out.toString(), "--wall", "2mm", "--holes", "none");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("trapped"), r.err());
        assertTrue(r.out().contains("measured at its thinnest"), r.out());
        Map<String, String> info = PrusaSlicerInfo.of(out);
        assertEquals("yes", info.get("manifold"));
        assertEquals(30, Double.parseDouble(info.get("size_z")), 1e-3);

        // The cube without its last face.
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(cube()));
        lines.remove(lines.stream().filter(l -> l.startsWith("f ")).reduce((a, b) -> b).orElseThrow());
        Path open = dir.resolve("open.obj");
        Files.write(open, lines);
        CommandRun refused = CommandRun.of("hollow", open.toString(), dir.resolve("x.stl").toString());
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().contains("repair it before hollowing"), refused.err());
    }

    @Test
    void badHollowOptionsAreUsageErrors() {
        CommandRun thin = CommandRun.of("hollow", cube().toString(), dir.resolve("x.stl").toString(), "--wall", "0mm");
        assertEquals(2, thin.code(), thin.err());
        CommandRun holes = CommandRun.of("hollow", cube().toString(), dir.resolve("x.stl").toString(), "--holes",
                "1,2");
        assertEquals(2, holes.code(), holes.err());
        CommandRun format = CommandRun.of("print", cube().toString(), dir.resolve("x.obj").toString());
        assertEquals(2, format.code(), format.err());
    }
}
