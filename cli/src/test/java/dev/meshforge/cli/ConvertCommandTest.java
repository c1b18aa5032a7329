// `meshforge convert` end to end: format from extension or --to, re-read of what it wrote, clear refusals.
package dev.meshforge.cli;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvertCommandTest {
    @TempDir
    Path dir;

    /** An ASCII STL tetrahedron (4 triangles, closed). */
    private Path tetrahedron() throws IOException {
        float[][] v = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        int[][] f = {{0, 2, 1}, {0, 1, 3}, {0, 3, 2}, {1, 2, 3}};
        StringBuilder sb = new StringBuilder("solid t\n");
        for (int[] t : f) {
            sb.append("facet normal 0 0 0\nouter loop\n");
            for (int k : t) {
                sb.append("vertex ").append(v[k][0]).append(' ').append(v[k][1]).append(' ').append(v[k][2])
                        .append('\n');
            }
            sb.append("endloop\nendfacet\n");
        }
        Path p = dir.resolve("tetra.stl");
        Files.writeString(p, sb.append("endsolid t\n"));
        return p;
    }

    @Test
    void formatComesFromTheOutputExtension() throws IOException {
        Path glb = dir.resolve("tetra.glb");
        CommandRun r = CommandRun.of("convert", tetrahedron().toString(), glb.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(Format.GLB, Formats.detect(glb));
        try (Scene s = Formats.read(glb)) {
            assertEquals(4, s.triangleCount());
        }
    }

    @Test
    void toOptionOverridesTheExtensionAndAsciiIsHonoured() throws IOException {
        Path out = dir.resolve("tetra.out");
        CommandRun r = CommandRun.of("convert", tetrahedron().toString(), out.toString(), "--to", "stl", "--ascii");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(out).startsWith("solid"));
        Files.move(out, dir.resolve("back.stl"));
        try (Scene s = Formats.read(dir.resolve("back.stl"))) {
            assertEquals(4, s.triangleCount());
        }
    }

    @Test
    void unknownOutputExtensionIsRefusedWithTheChoices() throws IOException {
        CommandRun r = CommandRun.of("convert", tetrahedron().toString(), dir.resolve("x.unknown").toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("--to") && r.err().contains("glb"), r.err());
    }

    @Test
    void unknownToFormatIsRefused() throws IOException {
        CommandRun r = CommandRun.of("convert", tetrahedron().toString(), dir.resolve("x.glb").toString(), "--to", "dxf");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("unknown output format 'dxf'"), r.err());
    }

    @Test
    void zipOutputIsAnObjBundleThatReadsBack() throws IOException {
        Path zip = dir.resolve("tetra.zip");
        CommandRun r = CommandRun.of("convert", tetrahedron().toString(), zip.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("obj_zip"), r.out());
        try (Scene s = Formats.read(zip)) {
            assertEquals(4, s.triangleCount());
        }
    }
}
