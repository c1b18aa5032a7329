package dev.meshforge.core.io.obj;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.testing.Fixtures;
import dev.meshforge.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A mesh connected in the scene is connected in the OBJ: positions shared, objects per node, nothing unused. */
class ObjWriterTopologyTest {
    @TempDir
    Path dir;

    /** Per object: its v, vn and vt counts and its faces' edges by position index. */
    private record Obj(Map<String, int[]> counts, Map<String, Map<String, Integer>> edges) {
        static Obj parse(Path file) throws Exception {
            Map<String, int[]> counts = new HashMap<>();
            Map<String, Map<String, Integer>> edges = new HashMap<>();
            String object = null;
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+");
                switch (f[0]) {
                    case "o" -> object = line.substring(2).trim();
                    case "v" -> counts.computeIfAbsent(object, k -> new int[4])[0]++;
                    case "vn" -> counts.computeIfAbsent(object, k -> new int[4])[1]++;
                    case "vt" -> counts.computeIfAbsent(object, k -> new int[4])[2]++;
                    case "f" -> {
                        counts.computeIfAbsent(object, k -> new int[4])[3]++;
                        List<String> vs = new ArrayList<>();
                        for (int i = 1; i < f.length; i++) {
                            vs.add(f[i].split("/")[0]);
                        }
                        for (int i = 0; i < vs.size(); i++) {
                            String a = vs.get(i), b = vs.get((i + 1) % vs.size());
                            String key = a.compareTo(b) < 0 ? a + "-" + b : b + "-" + a;
                            edges.computeIfAbsent(object, k -> new HashMap<>()).merge(key, 1, Integer::sum);
                        }
                    }
                    default -> { }
                }
            }
            return new Obj(counts, edges);
        }
    }

    @Test
    void aSplitCubeIsWrittenWithSharedPositionsOneObjectANodeAndNoUnusedVertex() throws Exception {
        Path out = dir.resolve("cubes.obj");
        try (Scene scene = Fixtures.splitCube()) {
            Formats.write(scene, out, Format.OBJ, WriteOptions.DEFAULTS);
        }
        Obj obj = Obj.parse(out);
        assertEquals(List.of("left_cube", "right_cube"), obj.counts().keySet().stream().sorted().toList());
        for (String o : List.of("left_cube", "right_cube")) {
            int[] c = obj.counts().get(o);
            assertEquals(8, c[0], o + ": the cube's 8 corners once each (37 vertices in the scene, one unused)");
            assertEquals(6, c[1], o + ": one normal a face");
            assertEquals(3, c[2], o + ": the three UVs the corners use");
            assertEquals(12, c[3], o + ": 12 faces");
            assertEquals(18, obj.edges().get(o).size(), o + ": a cube's 12 edges and 6 diagonals");
            obj.edges().get(o).forEach((edge, faces) -> assertEquals(2, faces, o + ": edge " + edge + " is shared"));
        }
    }

    @Test
    void anStlCubeReadAsTrianglesComesBackAsOneClosedObject() throws Exception {
        Path stl = dir.resolve("cube.stl");
        Path out = dir.resolve("cube.obj");
        try (Scene scene = Formats.read(TestData.file("cube.obj"))) {
            Formats.write(scene, stl, Format.STL, WriteOptions.DEFAULTS);
        }
        try (Scene scene = Formats.read(stl)) {
            Formats.write(scene, out, Format.OBJ, WriteOptions.DEFAULTS);
        }
        Obj obj = Obj.parse(out);
        assertEquals(1, obj.counts().size());
        int[] c = obj.counts().values().iterator().next();
        assertEquals(8, c[0]);
        assertEquals(12, c[3]);
        obj.edges().values().iterator().next().forEach((edge, faces) -> assertEquals(2, faces, "edge " + edge));
    }
}
