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
     * Files Blender reads (it cannot read ASCII FBX), chosen to cover textures, several objects, skins, animation,
     * morph targets, vertex colours and each source format, at a run time of about a minute.
     */
    private static final List<String> SAMPLE = List.of("glb/Duck.glb", "glb/CesiumMilkTruck.glb", "glb/Fox.glb",
            "glb/BoxVertexColors.glb", "glb/DamagedHelmet.glb", "gltf/BoxTextured/BoxTextured.gltf",
            "gltf/SimpleSkin.gltf", "gltf/MorphStressTest.gltf", "fbx/box.fbx", "fbx/spider.fbx",
            "fbx/cubes_with_names.fbx", "fbx/animation_with_skeleton.fbx", "fbx/maya_cube_7500_binary.fbx",
            "fbx/blender_293_embedded_textures_7400_binary.fbx", "obj/spot.obj", "obj/extruder_idler_quads.obj",
            "stl/ascii/20mmbox-CRLF.stl", "stl/binary/Spider_binary.stl", "ply/cube_uv.ply");

    private static final List<Format> TARGETS = List.of(Format.FBX, Format.OBJ, Format.GLB);

    private static final String SIMPLE_SKIN = "Blender 3.4 imports no object at all from the FBX written for "
            + "SimpleSkin (the import reports FINISHED); not yet explained";
    private static final String SEPARATE_MR = "the source's separate roughness and metallic images do not fit the "
            + "scene's one packed metallic-roughness texture";
    private static final String NO_FBX_MORPHS = "the FBX writer writes blend shapes but not yet the morph-weight "
            + "animations that drive them (DeformPercent curves)";
    private static final String ONE_STACK = "the FBX reader keeps one of the file's two animation stacks (Blender "
            + "imports both as actions)";
    private static final String NO_OCCLUSION = "Blender's FBX and OBJ importers have no occlusion input (its glTF "
            + "importer links occlusion into a glTF Settings group); measured: every other image is linked";

    /** Mismatches known and measured, as "source target key" with the reason; every other one fails. */
    private static final Map<String, String> KNOWN = Map.ofEntries(
            Map.entry("gltf/MorphStressTest.gltf FBX actions", NO_FBX_MORPHS),
            Map.entry("fbx/animation_with_skeleton.fbx FBX actions", ONE_STACK),
            Map.entry("glb/DamagedHelmet.glb FBX images", NO_OCCLUSION),
            Map.entry("glb/DamagedHelmet.glb OBJ images", NO_OCCLUSION),
            Map.entry("gltf/MorphStressTest.gltf FBX images", NO_OCCLUSION),
            Map.entry("gltf/MorphStressTest.gltf OBJ images", NO_OCCLUSION),
            Map.entry("fbx/animation_with_skeleton.fbx GLB actions", ONE_STACK),
            Map.entry("gltf/SimpleSkin.gltf GLB names", "neither the node nor the mesh is named in the source; "
                    + "Blender invents 'Mesh_0', the reader 'mesh0'"),
            Map.entry("fbx/blender_293_embedded_textures_7400_binary.fbx FBX images", SEPARATE_MR),
            Map.entry("fbx/blender_293_embedded_textures_7400_binary.fbx GLB images", SEPARATE_MR),
            Map.entry("fbx/blender_293_embedded_textures_7400_binary.fbx OBJ images", SEPARATE_MR),
            Map.entry("gltf/SimpleSkin.gltf FBX meshes", SIMPLE_SKIN),
            Map.entry("gltf/SimpleSkin.gltf FBX triangles", SIMPLE_SKIN),
            Map.entry("gltf/SimpleSkin.gltf FBX names", SIMPLE_SKIN),
            Map.entry("gltf/SimpleSkin.gltf FBX bones", SIMPLE_SKIN),
            Map.entry("gltf/SimpleSkin.gltf FBX actions", SIMPLE_SKIN),
            Map.entry("gltf/SimpleSkin.gltf FBX poses", SIMPLE_SKIN),
            Map.entry("gltf/SimpleSkin.gltf GLB poses", "the source names none of its nodes, and Blender and the "
                    + "reader invent different names, so no animated object or bone is matched by name"),
            Map.entry("fbx/animation_with_skeleton.fbx FBX pose", "bone rotations agree (within 0.0002 degree) but "
                    + "world translations differ by up to 3,576 units: the armature is placed elsewhere after FBX to "
                    + "scene to FBX; not yet explained"));

    @TempDir
    Path tmp;

    @Test
    void blenderImportsEachConversionAsItImportsTheSource() throws Exception {
        Blender.executable();
        Map<String, Map<Format, Path>> outputs = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        for (String name : SAMPLE) {
            Path source = Corpus.root().resolve(name);
            Map<Format, Path> out = new LinkedHashMap<>();
            try (Scene scene = Formats.read(source)) {
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
        Map<String, JsonNode> seen = Blender.describe(tmp, files, 900);
        List<String> failures = new ArrayList<>();
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
     * Compares Blender's import of one conversion with its import of the source. Triangles may fall from the
     * source's count only by faces that are degenerate or duplicate once positions are shared (Blender's mesh
     * validation drops them), never below the facts' triangles less those; each dropped triangle may open three
     * edges. Where Blender cannot read the source (ASCII FBX), the facts' meshes and triangles stand in.
     */
    private static void compare(String name, JsonNode src, Format target, JsonNode out, List<String> failures) {
        String where = name + " " + target;
        Corpus.Fact fact = Corpus.facts(name).stream().filter(f -> f.file().equals(name)).findFirst().orElse(null);
        if (out == null || out.has("error")) {
            check(failures, where, "import", false, src, out);
            return;
        }
        if (src == null || src.has("error")) {
            boolean ascii = src != null && src.path("error").asText().contains("ASCII FBX");
            check(failures, where, "import", ascii && fact != null, src, out);
            if (ascii && fact != null) {
                check(failures, where, "meshes", fact.get("meshes") == out.path("meshes").asInt(), fact, out);
                check(failures, where, "triangles", fact.get("triangles") == out.path("triangles").asInt(), fact,
                        out);
                if (target != Format.GLB) {
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
        check(failures, where, "meshes", src.path("meshes").asInt() == out.path("meshes").asInt(), src, out);
        check(failures, where, "triangles", dropped >= 0 && out.path("triangles").asInt() >= floor, src, out);
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
