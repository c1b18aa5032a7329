// `meshforge render` end to end: files per view, the contact sheet, exit codes and one-line errors.
package dev.meshforge.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenderCommandTest {
    @TempDir
    Path dir;

    /** A closed tetrahedron as ASCII STL. */
    private Path tetrahedron() throws IOException {
        StringBuilder s = new StringBuilder("solid t\n");
        float[][] v = {{0, 0, 0}, {10, 0, 0}, {0, 10, 0}, {0, 0, 10}};
        int[][] faces = {{0, 2, 1}, {0, 1, 3}, {0, 3, 2}, {1, 2, 3}};
        for (int[] f : faces) {
            s.append("facet normal 0 0 0\nouter loop\n");
            for (int i : f) {
                s.append("vertex ").append(v[i][0]).append(' ').append(v[i][1]).append(' ').append(v[i][2]).append('\n');
            }
            s.append("endloop\nendfacet\n");
        }
        Path p = dir.resolve("tetra.stl");
        Files.writeString(p, s.append("endsolid t\n"));
        return p;
    }

    @Test
    void writesOnePngPerViewNamedAfterItAndAContactSheet() throws Exception {
        Path out = dir.resolve("renders");
        CommandRun r = CommandRun.of("render", tetrahedron().toString(), out.toString(), "--angles",
                "front,isometric", "--turntable", "2", "--size", "64");
        assertEquals(0, r.code(), r.err());
        for (String name : new String[] {"front", "isometric", "turntable_00", "turntable_01", "contact_sheet"}) {
            Path png = out.resolve(name + ".png");
            assertTrue(r.out().contains(png.toString()), r.out());
            BufferedImage image = ImageIO.read(png.toFile());
            assertEquals(name.equals("contact_sheet") ? 128 : 64, image.getWidth(), name);
            assertEquals(0, image.getRGB(0, 0) >>> 24, name + ": transparent corner");
        }
        assertTrue(r.out().contains(out.resolve("turntable.gif").toString()), r.out());
        assertTrue(Files.size(out.resolve("turntable.gif")) > 0);
        assertTrue(r.out().contains("4 view(s) at 64 x 64"), r.out());
    }

    @Test
    void jsonPrintsTheReportTheFilesAndATimePerViewAndQuietPrintsNothing() throws Exception {
        Path out = dir.resolve("json");
        CommandRun r = CommandRun.of("render", tetrahedron().toString(), out.toString(), "--angles", "front,top",
                "--size", "32", "--json");
        assertEquals(0, r.code(), r.err());
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(r.out());
        assertEquals("[\"front\",\"top\"]", json.get("views").toString());
        assertEquals(32, json.get("width").asInt());
        assertEquals(out.resolve("front.png").toString(), json.get("files").get(0).asText());
        assertEquals(out.resolve("contact_sheet.png").toString(), json.get("contact_sheet").asText());
        assertTrue(json.get("stage_seconds").has("front") && json.get("stage_seconds").has("top"), r.out());
        assertTrue(!json.get("renderer").asText().isBlank(), r.out());
        CommandRun quiet = CommandRun.of("render", tetrahedron().toString(), dir.resolve("quiet").toString(),
                "--angles", "front", "--size", "32", "--quiet");
        assertEquals(0, quiet.code(), quiet.err());
        assertEquals("", quiet.out());
        assertTrue(Files.isRegularFile(dir.resolve("quiet").resolve("front.png")));
    }

    @Test
    void aSolidBackgroundGivesAnOpaqueImage() throws Exception {
        Path out = dir.resolve("solid");
        CommandRun r = CommandRun.of("render", tetrahedron().toString(), out.toString(), "--angles", "top",
                "--size", "32", "--background", "#102030", "--no-shadow", "--no-contact-sheet");
        assertEquals(0, r.code(), r.err());
        BufferedImage image = ImageIO.read(out.resolve("top.png").toFile());
        assertEquals(0xFF102030, image.getRGB(0, 0));
        assertTrue(Files.notExists(out.resolve("contact_sheet.png")));
    }

    @Test
    void badOptionsExitWithUsageAndOneSentence() throws Exception {
        Path in = tetrahedron();
        CommandRun size = CommandRun.of("render", in.toString(), dir.toString(), "--size", "5000");
        assertEquals(2, size.code());
        assertTrue(size.err().startsWith("the image size must be 16 to 4096 pixels a side, not 5000 x 5000"),
                size.err());
        CommandRun angle = CommandRun.of("render", in.toString(), dir.toString(), "--angles", "front,sideways");
        assertEquals(2, angle.code());
        assertTrue(angle.err().startsWith("unknown angle 'sideways'; the angles are front, back"), angle.err());
        CommandRun lighting = CommandRun.of("render", in.toString(), dir.toString(), "--lighting", "moody");
        assertEquals(2, lighting.code());
        assertTrue(lighting.err().startsWith("lighting is studio, soft, dramatic or uniform, not 'moody'"),
                lighting.err());
    }

    @Test
    void aModelWithNothingToDrawFailsWithOneLineNamingTheFile() throws Exception {
        Path empty = dir.resolve("empty.stl");
        Files.writeString(empty, "solid e\nendsolid e\n");
        CommandRun r = CommandRun.of("render", empty.toString(), dir.resolve("out").toString());
        assertEquals(1, r.code());
        // The reader's own warning may come first; the failure is the last line, and there is no stack trace.
        String[] lines = r.err().strip().split("\n");
        assertEquals("meshforge: " + empty + ": the scene has no triangles, lines or points to render",
                lines[lines.length - 1]);
        assertTrue(lines.length <= 2 && !r.err().contains("\tat "), r.err());
    }

    @Test
    void aMissingHdrEnvironmentFailsWithOneLineNamingIt() throws Exception {
        Path missing = dir.resolve("nowhere.hdr");
        CommandRun r = CommandRun.of("render", tetrahedron().toString(), dir.resolve("out").toString(), "--lighting",
                missing.toString(), "--size", "32");
        assertEquals(1, r.code());
        assertEquals("meshforge: " + missing + ": the environment image does not exist", r.err().strip());
    }

    @Test
    void anOutputDirectoryThatCannotBeMadeFailsWithOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "a file, not a directory");
        CommandRun r = CommandRun.of("render", tetrahedron().toString(), file.toString(), "--size", "32");
        assertEquals(1, r.code());
        assertTrue(r.err().strip().startsWith("meshforge: " + file + ": cannot be created as the output directory ("),
                r.err());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
    }
}
