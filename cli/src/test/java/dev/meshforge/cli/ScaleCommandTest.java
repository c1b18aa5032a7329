package dev.meshforge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.ops.Inspect;
import dev.meshforge.core.inspect.MeshReport;
import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScaleCommandTest {
    @TempDir
    Path dir;

    private static Path cube() {
        return Path.of(System.getProperty("meshforge.testdata", "../testdata")).resolve("cube.obj");
    }

    @Test
    void heightInMillimetresWithTheOriginAtTheBottomCentre() throws Exception {
        Path out = dir.resolve("cube.stl");
        CommandRun r = CommandRun.of("scale", cube().toString(), out.toString(), "--height", "60mm", "--origin",
                "bottom", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(60, json.get("size_after").get(2).asDouble(), 1e-9);
        assertEquals("m", json.get("source_unit").asText());
        try (Scene back = Formats.read(out)) {
            MeshReport m = Inspect.report(back);
            // the OBJ is Y up, and STL coordinates are written as they are: the height is along y
            assertEquals(60, m.bboxMax()[1] - m.bboxMin()[1], 1e-4);
            assertEquals(0, m.bboxMin()[1], 1e-4);
            assertEquals(-30, m.bboxMin()[0], 1e-4);
            assertEquals(30, m.bboxMax()[2], 1e-4);
        }
    }

    @Test
    void aBadLengthIsAUsageError() {
        CommandRun r = CommandRun.of("scale", cube().toString(), dir.resolve("x.stl").toString(), "--height", "tall");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("'tall' is not a length"), r.err());
        CommandRun both = CommandRun.of("scale", cube().toString(), dir.resolve("x.stl").toString(), "--height",
                "1mm", "--width", "2mm");
        assertEquals(2, both.code(), both.err());
    }
}
