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

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sizes in real units, measured on the file written and read back. */
class ScaleTest {
    @TempDir
    Path dir;

    /** Scales testdata's unit cube (OBJ: metres assumed, Y up), writes it as {@code name} and inspects the re-read. */
    private MeshReport scaledAndReread(Scale.Options options, String name) {
        Path out = dir.resolve(name);
        try (Scene cube = Formats.read(TestData.file("cube.obj"));
             ToolResult<Scale.Report> r = Scale.run(cube, options)) {
            Formats.write(r.scene(), out, Format.forOutput(out), WriteOptions.DEFAULTS);
        }
        try (Scene back = Formats.read(out)) {
            return Inspect.report(back);
        }
    }

    @Test
    void aCubeScaledTo120MillimetresIs120MillimetresInTheStl() {
        MeshReport r = scaledAndReread(Scale.Options.height(120, LengthUnit.MM), "cube.stl");
        // STL is millimetres; the OBJ's Y-up height became the STL's... whichever axis the writer keeps: all equal
        for (int k = 0; k < 3; k++) {
            assertEquals(120, r.bboxMax()[k] - r.bboxMin()[k], 1e-4);
        }
        assertEquals(120 * 120 * 120, r.volume(), 1e-1);
        assertTrue(r.watertight());
    }

    @Test
    void theBottomCentreOriginPutsTheModelOnTheGroundAroundTheAxis() {
        MeshReport r = scaledAndReread(Scale.Options.height(2, LengthUnit.CM).withOrigin(Scale.Origin.BOTTOM_CENTER),
                "cube.glb");
        // glTF: metres, Y up
        assertEquals(0, r.bboxMin()[1], 1e-9);
        assertEquals(0.02, r.bboxMax()[1], 1e-7);
        assertEquals(-0.01, r.bboxMin()[0], 1e-7);
        assertEquals(0.01, r.bboxMax()[2], 1e-7);
    }

    @Test
    void aSourceUnitInInchesIsTakenForAFileThatDeclaresNone() {
        try (Scene cube = Formats.read(TestData.file("cube.obj"));
             ToolResult<Scale.Report> r = Scale.run(cube,
                     new Scale.Options(Scale.Dimension.LONGEST, 0, LengthUnit.MM, LengthUnit.IN,
                             Scale.Origin.KEEP, null))) {
            assertEquals(25.4, r.report().sizeBefore()[2], 1e-9);
            assertEquals(1.0, r.report().factor(), 0);
            assertEquals("in", r.report().sourceUnit());
        }
    }

    @Test
    void aBuildVolumeTooSmallScalesTheModelDownAndSaysSo() {
        try (Scene cube = Formats.read(TestData.file("cube.obj"));
             ToolResult<Scale.Report> r = Scale.run(cube,
                     Scale.Options.height(300, LengthUnit.MM).withBuildVolume(250, 210, 220))) {
            assertTrue(r.report().fitted());
            assertEquals(210, r.report().sizeAfter()[1], 1e-9);
            assertTrue(r.warnings().get(0).contains("build volume"), r.warnings().toString());
        }
    }

    @Test
    void aTinyModelOfUndeclaredUnitGetsAWarningAboutItsUnit() {
        // 1 mm³ in an STL (millimetres assumed): PrusaSlicer would ask whether it is inches
        Path stl = dir.resolve("tiny.stl");
        try (Scene cube = Formats.read(TestData.file("cube.obj"));
             ToolResult<Scale.Report> r = Scale.run(cube, Scale.Options.height(1, LengthUnit.MM))) {
            Formats.write(r.scene(), stl, Format.STL, WriteOptions.DEFAULTS);
        }
        try (Scene tiny = Formats.read(stl);
             ToolResult<Scale.Report> r = Scale.run(tiny, Scale.Options.DEFAULTS)) {
            assertFalse(r.report().unitDeclared());
            assertTrue(r.warnings().stream().anyMatch(w -> w.contains("inches")), r.warnings().toString());
        }
    }

    @Test
    void badTargetsAreRefusedInOneSentence() {
        assertThrows(IllegalArgumentException.class, () -> Scale.Options.height(Double.NaN, LengthUnit.MM));
        assertThrows(IllegalArgumentException.class, () -> Scale.Options.height(-5, LengthUnit.MM));
        assertThrows(IllegalArgumentException.class, () -> LengthUnit.parse("furlong"));
        try (Scene empty = new Scene()) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> Scale.run(empty, Scale.Options.height(10, LengthUnit.MM)));
            assertTrue(e.getMessage().contains("no vertices"), e.getMessage());
        }
    }
}
