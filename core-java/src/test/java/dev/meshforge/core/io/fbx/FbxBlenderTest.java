// A representative sample of corpus files written as binary FBX and imported by Blender (headless): the same
// triangle counts. Skipped, with the reason, where Blender is not installed.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.testing.Blender;
import dev.meshforge.core.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FbxBlenderTest {
    /** Plain meshes, several materials, textures, instancing, a skinned and animated character, STL, glTF. */
    private static final List<String> SAMPLE = List.of("fbx/box.fbx", "fbx/spider.fbx", "fbx/cubes_with_names.fbx",
            "fbx/animation_with_skeleton.fbx", "fbx/blender_293_barbarian_7400_binary.fbx",
            "fbx/zbrush_polygroup_mess_7500_binary.fbx", "fbx/maya_cube_6100_ascii.fbx", "glb/Duck.glb",
            "glb/CesiumMilkTruck.glb", "gltf/BoxTextured/BoxTextured.gltf", "stl/binary/Spider_binary.stl");

    /** For each file given: empty the scene, import it, print the triangles of every mesh object. */
    private static final String SCRIPT = """
            import bpy, sys
            files = sys.argv[sys.argv.index('--') + 1:]
            for f in files:
                bpy.ops.wm.read_homefile(use_empty=True)
                try:
                    bpy.ops.import_scene.fbx(filepath=f)
                    n = 0
                    for o in bpy.context.scene.objects:
                        if o.type == 'MESH':
                            n += sum(len(p.vertices) - 2 for p in o.data.polygons)
                    print('MFTRIS', n, f, flush=True)
                except Exception as e:
                    print('MFFAIL', f, repr(e).replace('\\n', ' '), flush=True)
            """;

    @TempDir
    Path tmp;

    @Test
    void blenderImportsOurFbxWithTheSameTriangles() throws IOException, InterruptedException {
        Path blender = Blender.executable();
        Map<String, Long> expected = new LinkedHashMap<>();
        List<String> args = new ArrayList<>(List.of(blender.toString(), "-b", "--factory-startup", "--python",
                tmp.resolve("count.py").toString(), "--"));
        Files.writeString(tmp.resolve("count.py"), SCRIPT);
        for (String file : SAMPLE) {
            Path in = Corpus.root().resolve(file);
            if (!Files.exists(in)) {
                continue;
            }
            try (Scene s = Formats.read(in)) {
                Path out = tmp.resolve(file.replace('/', '_') + ".fbx");
                Formats.write(s, out, Format.FBX, WriteOptions.DEFAULTS);
                expected.put(out.toString(), blenderKeeps(s));
                args.add(out.toString());
            }
        }
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        Map<String, Long> got = new LinkedHashMap<>();
        Matcher m = Pattern.compile("MFTRIS (\\d+) (.+)").matcher(output);
        while (m.find()) {
            got.put(m.group(2).trim(), Long.parseLong(m.group(1)));
        }
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            System.out.printf("blender %-70s %d/%d%n", Path.of(e.getKey()).getFileName(), got.getOrDefault(e.getKey(), -1L),
                    e.getValue());
        }
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            assertEquals(e.getValue(), got.get(e.getKey()), () -> "Blender's triangles of " + e.getKey()
                    + "; its output:\n" + output.lines().filter(l -> l.startsWith("MF") || l.contains("Error"))
                    .reduce("", (a, b) -> a + b + "\n"));
        }
    }

    /**
     * Blender validates imported meshes and drops faces that use one vertex twice or repeat another face; the
     * messy ZBrush file and the spider have such faces. Counted per placed mesh over its distinct positions (the
     * FBX control points).
     */
    static long blenderKeeps(Scene scene) {
        long[] kept = {0};
        scene.forEachPlacedMesh((mesh, t) -> {
            java.util.Set<List<Long>> seen = new java.util.HashSet<>();
            Map<List<Float>, Long> points = new java.util.HashMap<>();
            for (dev.meshforge.core.scene.Primitive p : mesh.primitives()) {
                if (p.topology() != dev.meshforge.core.scene.Topology.TRIANGLES || p.triangleCount() == 0) {
                    continue;
                }
                for (long tri = 0; tri < p.triangleCount(); tri++) {
                    long[] v = new long[3];
                    for (int k = 0; k < 3; k++) {
                        int i = p.index(tri * 3 + k);
                        List<Float> xyz = List.of(p.positions().get(i, 0) + 0f, p.positions().get(i, 1) + 0f,
                                p.positions().get(i, 2) + 0f);
                        v[k] = points.computeIfAbsent(xyz, key -> (long) points.size());
                    }
                    java.util.Arrays.sort(v);
                    if (v[0] != v[1] && v[1] != v[2] && seen.add(List.of(v[0], v[1], v[2]))) {
                        kept[0]++;
                    }
                }
            }
        });
        return kept[0];
    }
}
