// Corpus files converted to FBX, OBJ and GLB and imported by Blender (headless), compared with Blender's own
// import of the source: what a user sees after a conversion must be what they saw before it.
package dev.meshforge.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.testing.Blender;
import dev.meshforge.core.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertTrue;

class BlenderConversionTest {
    /**
     * A sample of files Blender reads, chosen to cover textures, several objects, skins, animation, morph targets,
     * vertex colours and each source format, for a quick run while working on a writer (about a minute).
     */
    private static final List<String> SAMPLE = List.of("glb/Duck.glb", "glb/CesiumMilkTruck.glb", "glb/Fox.glb",
            "glb/BoxVertexColors.glb", "glb/DamagedHelmet.glb", "gltf/BoxTextured/BoxTextured.gltf",
            "gltf/SimpleSkin.gltf", "gltf/MorphStressTest.gltf", "fbx/box.fbx", "fbx/spider.fbx",
            "fbx/cubes_with_names.fbx", "fbx/animation_with_skeleton.fbx", "fbx/maya_cube_7500_binary.fbx",
            "fbx/blender_293_embedded_textures_7400_binary.fbx", "obj/spot.obj", "obj/extruder_idler_quads.obj",
            "stl/ascii/20mmbox-CRLF.stl", "stl/binary/Spider_binary.stl", "ply/cube_uv.ply");

    /** The extensions Blender 3.4 imports (its FBX importer refuses ASCII FBX, which the corpus facts stand in for). */
    private static final Set<String> BLENDER_READS = Set.of("fbx", "glb", "gltf", "obj", "stl", "ply");

    private static final List<Format> TARGETS = List.of(Format.FBX, Format.OBJ, Format.GLB);


    /**
     * Mismatches known and measured, as "source target key" with the reason (blender/known-mismatches.tsv); every
     * other one fails.
     */
    private static final Map<String, String> KNOWN = known();

    private static Map<String, String> known() {
        Map<String, String> out = new java.util.HashMap<>();
        try (var in = BlenderConversionTest.class.getResourceAsStream("/blender/known-mismatches.tsv")) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split("\t");
                if (line.startsWith("#") || f.length != 3) {
                    continue;
                }
                for (String mismatch : f[1].split(", ")) {
                    out.put(f[0] + " " + mismatch, f[2]);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    @TempDir
    Path tmp;

    @Test
    void blenderImportsEachConversionAsItImportsTheSource() throws Exception {
        Blender.executable();
        Map<String, Map<Format, Path>> outputs = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String name : files()) {
            Path source = Corpus.root().resolve(name);
            Map<Format, Path> out = new LinkedHashMap<>();
            Scene read;
            try {
                read = Formats.read(source);
            } catch (dev.meshforge.core.MeshforgeException e) {
                // a file the facts call broken may be refused (the reader tests check each refusal's sentence)
                boolean broken = Corpus.facts(name).stream().anyMatch(f -> f.file().equals(name)
                        && f.json().path("broken_folder").asBoolean());
                System.out.println("blender " + name + ": refused by the reader: " + e.getMessage());
                check(failures, name, "read", broken, "", e.getMessage());
                continue;
            }
            try (Scene scene = read) {
                for (Format target : TARGETS) {
                    Path dir = Files.createDirectories(tmp.resolve(name.replace('/', '_') + "." + target.name()));
                    Path file = dir.resolve("model." + target.name().toLowerCase(java.util.Locale.ROOT));
                    Formats.write(scene, file, target, WriteOptions.DEFAULTS);
                    out.put(target, file);
                    files.add(file);
                }
            }
            outputs.put(name, out);
            files.add(source);
        }
        Map<String, JsonNode> seen = Blender.describe(tmp, files, 300 + 15L * files.size());
        for (Map.Entry<String, Map<Format, Path>> e : outputs.entrySet()) {
            String name = e.getKey();
            JsonNode src = seen.get(Corpus.root().resolve(name).toString());
            System.out.println("blender " + name + ": " + src);
            for (Map.Entry<Format, Path> t : e.getValue().entrySet()) {
                JsonNode out = seen.get(t.getValue().toString());
                System.out.println("blender   " + t.getKey() + ": " + out);
                compare(name, src, t.getKey(), out, failures);
            }
        }
        failures.forEach(f -> System.out.println("MISMATCH " + f));
        assertTrue(failures.isEmpty(), () -> failures.size() + " mismatches:\n" + String.join("\n", failures));
    }

    /**
     * Every corpus file Blender imports, or with {@code -Dmeshforge.blender=sample} the sample (README "Run all
     * tests").
     */
    private static List<String> files() {
        if ("sample".equals(System.getProperty("meshforge.blender", "all"))) {
            return SAMPLE;
        }
        List<String> all = new ArrayList<>();
        for (Corpus.Fact f : Corpus.facts("")) {
            String ext = f.file().substring(f.file().lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
            if (BLENDER_READS.contains(ext)) {
                all.add(f.file());
            }
        }
        return all;
    }

    /**
     * Compares Blender's import of one conversion with its import of the source. Triangles may fall from the
     * source's count only by faces that are degenerate or duplicate once positions are shared (Blender's mesh
     * validation drops them), never below the facts' triangles less those; each dropped triangle may open three
     * edges; they may exceed Blender's count up to the facts' (its glTF and PLY importers drop some faces). Where
     * Blender cannot read the source (ASCII FBX, FBX before 7.1, meshopt-compressed glTF, CR-only STL), the facts'
     * meshes and triangles stand in.
     */
    private static void compare(String name, JsonNode src, Format target, JsonNode out, List<String> failures) {
        String where = name + " " + target;
        Corpus.Fact fact = Corpus.facts(name).stream().filter(f -> f.file().equals(name)).findFirst().orElse(null);
        if (out == null || out.has("error")) {
            check(failures, where, "import", false, src, out);
            return;
        }
        // Blender cannot read some sources (ASCII FBX, FBX before 7.1, EXT_meshopt, CR-only STL reads empty)
        boolean unread = src == null || src.has("error")
                || (src.path("triangles").asInt() == 0 && fact != null && fact.get("triangles") > 0);
        if (unread) {
            if (fact != null && fact.get("triangles") >= 0) {
                check(failures, where, "meshes", fact.get("meshes") < 0
                        || fact.get("meshes") == out.path("meshes").asInt(), fact, out);
                check(failures, where, "triangles", fact.get("triangles") == out.path("triangles").asInt(), fact,
                        out);
                if (target != Format.GLB && fact.checked()) {
                    check(failures, where, "open_edges", out.path("open_edges").asInt() <= fact.get("open_edges"),
                            fact, out);
                }
            }
            return;
        }
        boolean gltfSource = name.endsWith(".glb") || name.endsWith(".gltf");
        boolean connectedTarget = target != Format.GLB || gltfSource;
        int dropped = src.path("triangles").asInt() - out.path("triangles").asInt();
        long floor = fact == null || !fact.checked() ? src.path("triangles").asInt()
                : fact.get("triangles") - Math.max(0, fact.get("degenerate_faces")) - Math.max(0, fact.get("duplicate_faces"));
        // Blender's glTF and PLY importers drop faces its OBJ and FBX importers keep: up to the facts' count is kept
        long ceiling = Math.max(src.path("triangles").asInt(), fact == null || !fact.checked() ? 0 : fact.get("triangles"));
        check(failures, where, "meshes", src.path("meshes").asInt() == out.path("meshes").asInt(), src, out);
        check(failures, where, "triangles", out.path("triangles").asInt() <= ceiling
                && out.path("triangles").asInt() >= floor, src, out);
        if (connectedTarget) {
            // Blender's glTF importer keeps glTF's split vertices, so a GLB is compared only with a glTF source
            check(failures, where, "vertices", out.path("vertices").asInt() <= src.path("vertices").asInt(), src, out);
            check(failures, where, "open_edges",
                    out.path("open_edges").asInt() <= src.path("open_edges").asInt() + 3 * Math.max(0, dropped), src, out);
        }
        check(failures, where, "images", out.path("images").asInt() == src.path("images").asInt(), src, out);
        check(failures, where, "blend", blendModes(src).equals(blendModes(out)), src, out);
        if (target != Format.OBJ) {
            check(failures, where, "names", src.path("names").equals(out.path("names")), src, out);
            for (String key : List.of("bones", "actions", "shape_keys")) {
                check(failures, where, key, src.path(key).asInt() == out.path(key).asInt(), src, out);
            }
            comparePoses(where, src.path("poses"), out.path("poses"), failures);
            compareWeights(where, src.path("weights"), out.path("weights"), failures);
            boolean reach = src.path("shape_reach").size() == out.path("shape_reach").size();
            for (int k = 0; reach && k < src.path("shape_reach").size(); k++) {
                reach = Math.abs(src.path("shape_reach").get(k).asDouble() - out.path("shape_reach").get(k).asDouble())
                        <= 1e-3;
            }
            check(failures, where, "shape_reach", reach, src, out);
        }
    }

    /**
     * The motion of each animated object and bone both imports name: the same world translation (within 1 mm) and
     * the same world rotation since the first sample (within 1 degree) at each sampled time. (The rest orientation
     * itself differs by the importers' axis conventions for bones and objects, so rotations are compared as the
     * change from the first sample.)
     */
    private static void comparePoses(String where, JsonNode src, JsonNode out, List<String> failures) {
        int compared = 0;
        for (var it = src.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            JsonNode o = out.get(e.getKey());
            if (o == null || o.size() != e.getValue().size()) {
                continue;
            }
            compared++;
            for (int k = 0; k < o.size(); k++) {
                JsonNode a = e.getValue().get(k);
                JsonNode b = o.get(k);
                double move = 0;
                for (int c = 0; c < 3; c++) {
                    move = Math.max(move, Math.abs(a.get(c).asDouble() - b.get(c).asDouble()));
                }
                double turn = Math.toDegrees(angleBetween(delta(e.getValue(), k), delta(o, k)));
                check(failures, where, "pose", move <= 1e-3 && turn <= 1.0,
                        e.getKey() + " sample " + k + ": " + a, b + " (moved " + move + ", turned " + turn + " deg)");
            }
        }
        check(failures, where, "poses", src.isEmpty() || compared > 0, src.size() + " animated", out.size() + " animated");
    }

    /**
     * The animated shape-key weights of each mesh object both imports name, in key order at each sampled time,
     * within 0.001.
     */
    private static void compareWeights(String where, JsonNode src, JsonNode out, List<String> failures) {
        for (var it = src.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            JsonNode o = out.get(e.getKey());
            boolean same = o != null && o.size() == e.getValue().size();
            for (int k = 0; same && k < o.size(); k++) {
                JsonNode a = e.getValue().get(k);
                JsonNode b = o.get(k);
                same = a.size() == b.size();
                for (int j = 0; same && j < a.size(); j++) {
                    same = Math.abs(a.get(j).asDouble() - b.get(j).asDouble()) <= 1e-3;
                }
            }
            check(failures, where, "weights", same, e.getKey() + ": " + e.getValue(), String.valueOf(o));
        }
    }

    /** Rotation from sample 0 to sample k, as a quaternion w, x, y, z. */
    private static double[] delta(JsonNode samples, int k) {
        double[] p = quaternion(samples.get(0));
        return times(quaternion(samples.get(k)), new double[] {p[0], -p[1], -p[2], -p[3]});
    }

    private static double[] times(double[] q, double[] r) {
        return new double[] {
                q[0] * r[0] - q[1] * r[1] - q[2] * r[2] - q[3] * r[3],
                q[0] * r[1] + q[1] * r[0] + q[2] * r[3] - q[3] * r[2],
                q[0] * r[2] - q[1] * r[3] + q[2] * r[0] + q[3] * r[1],
                q[0] * r[3] + q[1] * r[2] - q[2] * r[1] + q[3] * r[0]};
    }

    /** A unit quaternion w, x, y, z from a sample's last four values. */
    private static double[] quaternion(JsonNode sample) {
        double[] q = {sample.get(3).asDouble(), sample.get(4).asDouble(), sample.get(5).asDouble(),
                sample.get(6).asDouble()};
        double n = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
        for (int i = 0; i < 4; i++) {
            q[i] /= n;
        }
        return q;
    }

    /** The angle of the rotation from b to a (atan2 of the relative quaternion, stable near zero). */
    private static double angleBetween(double[] a, double[] b) {
        double[] r = times(a, new double[] {b[0], -b[1], -b[2], -b[3]});
        return 2 * Math.atan2(Math.sqrt(r[1] * r[1] + r[2] * r[2] + r[3] * r[3]), Math.abs(r[0]));
    }

    private static Set<String> blendModes(JsonNode d) {
        Set<String> modes = new TreeSet<>();
        d.path("blend").forEach(b -> modes.add(b.asText().substring(b.asText().lastIndexOf(':') + 1)));
        return modes;
    }

    private static void check(List<String> failures, String where, String key, boolean ok, Object src, Object out) {
        String id = where + " " + key;
        if (!ok && !KNOWN.containsKey(id)) {
            failures.add(id + ": source " + field(src, key) + ", converted " + field(out, key));
        }
    }

    private static String field(Object d, String key) {
        if (d instanceof String text) {
            return text;
        }
        if (d instanceof Corpus.Fact f) {
            return f + " facts " + f.get(key);
        }
        return d instanceof JsonNode j && j.has(key) ? j.get(key).toString() : String.valueOf(d);
    }
}
