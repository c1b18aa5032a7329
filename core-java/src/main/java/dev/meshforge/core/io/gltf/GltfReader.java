// Reads glTF 2.0 (.gltf with external or embedded data, and .glb) into a scene, checking every reference.
package dev.meshforge.core.io.gltf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.UnsupportedFeatureException;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.io.SceneReader;
import dev.meshforge.core.io.internal.SceneFill;
import dev.meshforge.core.scene.Animation;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Skin;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.Units;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * glTF 2.0 in both encodings. Reads the default scene (or the first), its node tree with transforms, meshes
 * with every primitive mode (strips, fans and loops become lists), materials, textures, skins, morph targets and
 * animations. Refuses with a {@link dev.meshforge.core.BadInputException} naming the file and the defect:
 * malformed JSON or GLB, schema type errors, references out of range, byte ranges past their buffers, missing
 * buffers, cyclic node graphs, indices beyond the vertex count, non-finite positions.
 */
public final class GltfReader implements SceneReader {
    /** Extensions this reader understands, so a file may require them. */
    static final Set<String> SUPPORTED = Set.of("KHR_mesh_quantization", "KHR_texture_transform",
            "KHR_texture_basisu", "EXT_texture_webp", "EXT_meshopt_compression", "KHR_materials_emissive_strength",
            "KHR_materials_clearcoat", "KHR_materials_transmission", "KHR_materials_volume", "KHR_materials_ior",
            "KHR_materials_specular", "KHR_materials_sheen", "KHR_materials_unlit", "KHR_materials_iridescence",
            "KHR_materials_anisotropy", "KHR_materials_dispersion", "KHR_materials_pbrSpecularGlossiness",
            "KHR_materials_variants", "KHR_materials_diffuse_transmission");

    /** Extensions a file may require that add nothing meshforge keeps (lights, metadata): warned about, read. */
    static final Set<String> IGNORABLE = Set.of("KHR_lights_punctual", "EXT_lights_image_based", "KHR_xmp_json_ld",
            "KHR_xmp", "KHR_animation_pointer", "KHR_materials_common");

    /**
     * True: {@link GltfMeshes} refuses a non-finite POSITION naming its accessor and vertex, and {@link
     * GltfAttributes#clean} sets every other attribute's NaN and infinite values to 0 (a NORMAL or TANGENT without a
     * finite length is dropped), each with a warning naming the accessor, as it decodes them; no primitive of this
     * reader gets an attribute another way. On a 2M-triangle GLB the second pass saved is close to a tenth of a read.
     */
    @Override
    public boolean leavesOnlyFiniteValues() {
        return true;
    }

    @Override
    public Scene read(Path file, ReadOptions options) throws IOException {
        try (Arena mapArena = Arena.ofConfined()) {
            GltfDocument doc = GltfDocument.open(file, mapArena, options);
            return SceneFill.fillOrClose(new Scene().units(Units.GLTF), scene -> new Build(doc, scene, options).run());
        }
    }

    /** One read: the document, the scene being filled, and the nodes made so far. */
    private static final class Build {
        private final GltfDocument doc;
        private final GltfJson json;
        private final Scene scene;
        private final ReadOptions options;
        private final AccessorDecoder accessors;
        private final GltfMeshes meshes;
        private final JsonNode nodesJson;
        private Node[] nodes;
        /** Each node's parent, -1 for none. */
        private int[] parent = new int[0];

        Build(GltfDocument doc, Scene scene, ReadOptions options) {
            this.doc = doc;
            this.json = doc.json;
            this.scene = scene;
            this.options = options;
            long maxElements = Math.max(1, Math.min(Long.MAX_VALUE / 64, options.maxTriangles() * 3));
            this.accessors = new AccessorDecoder(doc, maxElements);
            this.meshes = new GltfMeshes(doc, accessors, scene, options);
            this.nodesJson = json.array(doc.root, "nodes", "");
        }

        void run() {
            checkAsset();
            new GltfMaterials(doc, scene).read();
            readNodes();
            List<Node> roots = chooseScene();
            for (Node r : roots) {
                scene.addRoot(r);
            }
            readSkins();
            readAnimations();
            if (meshes.triangles() > options.maxTriangles()) {
                throw new LimitExceededException(doc.file + ": holds " + meshes.triangles() + " triangles, more than the "
                        + "limit of " + options.maxTriangles() + " (ReadOptions.maxTriangles)");
            }
        }

        private void checkAsset() {
            JsonNode asset = doc.root.get("asset");
            if (asset == null || !asset.isObject()) {
                throw json.bad("", "the required 'asset' object is missing, so this is not a glTF 2.0 file");
            }
            String version = json.string(asset, "version", null, "asset");
            if (version == null) {
                throw json.bad("asset", "the required field 'version' is missing");
            }
            if (!version.startsWith("2.")) {
                throw new UnsupportedFeatureException(doc.file + ": is glTF " + version
                        + "; only glTF 2.x is supported");
            }
            JsonNode required = json.array(doc.root, "extensionsRequired", "");
            for (JsonNode r : required) {
                String name = r.asText();
                if (name.equals("KHR_draco_mesh_compression")) {
                    continue; // refused per primitive, where no uncompressed fallback exists
                }
                if (IGNORABLE.contains(name)) {
                    continue; // warned about below, with the used ones
                }
                if (!SUPPORTED.contains(name)) {
                    throw new UnsupportedFeatureException(doc.file + ": requires the glTF extension " + name
                            + ", which meshforge does not support");
                }
            }
            JsonNode used = json.array(doc.root, "extensionsUsed", "");
            for (JsonNode u : used) {
                String name = u.asText();
                if (!SUPPORTED.contains(name) && !name.equals("KHR_draco_mesh_compression")
                        && !name.startsWith("KHR_materials_")) {
                    scene.warn(doc.file + ": uses the extension " + name + ", which was ignored");
                }
            }
        }

        /** The name an unnamed node goes by: its mesh's name where that has one (as Blender names it), else nodeN. */
        private String unnamed(JsonNode node, int i) {
            JsonNode mesh = node.path("mesh");
            JsonNode name = mesh.canConvertToInt() ? doc.root.path("meshes").path(mesh.asInt()).path("name") : null;
            return name != null && name.isTextual() && !name.asText().isEmpty() ? name.asText() : "node" + i;
        }

        private void readNodes() {
            int n = nodesJson.size();
            nodes = new Node[n];
            for (int i = 0; i < n; i++) {
                String where = "nodes[" + i + "]";
                JsonNode nj = json.element(nodesJson, i, where);
                nodes[i] = new Node(json.string(nj, "name", unnamed(nj, i), where)).local(transform(nj, where));
                float[] w = weights(nj, where);
                if (w != null) {
                    nodes[i].weights(w);
                }
            }
            parent = new int[n];
            java.util.Arrays.fill(parent, -1);
            for (int i = 0; i < n; i++) {
                String where = "nodes[" + i + "]";
                JsonNode children = json.array(nodesJson.get(i), "children", where);
                for (int k = 0; k < children.size(); k++) {
                    JsonNode c = children.get(k);
                    if (!c.canConvertToInt()) {
                        throw json.bad(where, "children[" + k + "] must be a node index but is " + c);
                    }
                    int child = json.checkIndex(c.asLong(), n, "node", where + ".children[" + k + "]");
                    if (child == i) {
                        throw json.bad(where, "the node graph has a cycle: node " + i + " is its own child");
                    }
                    if (parent[child] >= 0) {
                        throw json.bad(where, "node " + child + " is a child of both node " + parent[child]
                                + " and node " + i + "; glTF nodes must form trees");
                    }
                    parent[child] = i;
                    nodes[i].add(nodes[child]);
                }
            }
            // With at most one parent each, a cycle is a chain of parents that returns to its start.
            int[] state = new int[n];
            for (int i = 0; i < n; i++) {
                List<Integer> chain = new ArrayList<>();
                int at = i;
                while (at >= 0 && state[at] == 0) {
                    state[at] = 1;
                    chain.add(at);
                    at = parent[at];
                }
                if (at >= 0 && state[at] == 1) {
                    StringBuilder path = new StringBuilder();
                    int start = chain.indexOf(at);
                    for (int k = chain.size() - 1; k >= start; k--) {
                        path.append("node ").append(chain.get(k)).append(" -> ");
                    }
                    path.append("node ").append(chain.get(chain.size() - 1));
                    throw json.bad("nodes", "the node graph has a cycle: " + path + "; glTF nodes must form trees");
                }
                for (int c : chain) {
                    state[c] = 2;
                }
            }
        }

        private float[] weights(JsonNode nj, String where) {
            JsonNode w = json.array(nj, "weights", where);
            if (w.isEmpty()) {
                return null;
            }
            return json.floats(nj, "weights", w.size(), null, where);
        }

        private Transform transform(JsonNode nj, String where) {
            if (json.has(nj, "matrix")) {
                double[] m = json.numbers(nj, "matrix", 16, null, where);
                for (double v : m) {
                    if (!Double.isFinite(v)) {
                        throw json.bad(where, "the matrix holds a non-finite value");
                    }
                }
                return Transform.of(m);
            }
            double[] t = json.numbers(nj, "translation", 3, new double[] {0, 0, 0}, where);
            double[] r = json.numbers(nj, "rotation", 4, new double[] {0, 0, 0, 1}, where);
            double[] s = json.numbers(nj, "scale", 3, new double[] {1, 1, 1}, where);
            return Transform.fromTrs(t, r, s);
        }

        private List<Node> chooseScene() {
            JsonNode scenes = json.array(doc.root, "scenes", "");
            List<Node> roots = new ArrayList<>();
            if (scenes.isEmpty()) {
                if (nodes.length == 0) {
                    scene.warn(doc.file + ": declares no scenes and no nodes; the scene is empty");
                    return roots;
                }
                scene.warn(doc.file + ": declares no scenes; all " + "root nodes were read");
                for (int i = 0; i < nodes.length; i++) {
                    if (!hasParent(i)) {
                        roots.add(placed(i));
                    }
                }
                return roots;
            }
            int chosen = json.has(doc.root, "scene") ? json.index(doc.root, "scene", scenes.size(), "scene", "") : 0;
            if (scenes.size() > 1) {
                scene.warn(doc.file + ": holds " + scenes.size() + " scenes; only scene " + chosen + " was read");
            }
            String where = "scenes[" + chosen + "]";
            JsonNode sj = json.element(scenes, chosen, where);
            JsonNode list = json.array(sj, "nodes", where);
            for (int k = 0; k < list.size(); k++) {
                JsonNode c = list.get(k);
                if (!c.canConvertToInt()) {
                    throw json.bad(where, "nodes[" + k + "] must be a node index but is " + c);
                }
                int i = json.checkIndex(c.asLong(), nodes.length, "node", where + ".nodes[" + k + "]");
                roots.add(placed(i));
            }
            return roots;
        }

        private boolean hasParent(int i) {
            return parent[i] >= 0;
        }

        /** Node {@code i} with the meshes of it and its descendants read. */
        private Node placed(int i) {
            attachMeshes(i);
            return nodes[i];
        }

        /** Gives node {@code i} and its descendants their meshes; iterative, as hierarchies may be deep. */
        private void attachMeshes(int top) {
            java.util.ArrayDeque<Integer> stack = new java.util.ArrayDeque<>();
            stack.push(top);
            while (!stack.isEmpty()) {
                int i = stack.pop();
                String where = "nodes[" + i + "]";
                JsonNode nj = nodesJson.get(i);
                int mesh = json.index(nj, "mesh", meshes.count(), "mesh", where);
                if (mesh >= 0 && nodes[i].mesh() == null) {
                    Mesh m = meshes.mesh(mesh);
                    nodes[i].mesh(m);
                }
                for (JsonNode c : json.array(nj, "children", where)) {
                    stack.push(c.asInt());
                }
            }
        }

        private void readSkins() {
            JsonNode skins = json.array(doc.root, "skins", "");
            List<Skin> made = new ArrayList<>();
            for (int s = 0; s < skins.size(); s++) {
                String where = "skins[" + s + "]";
                JsonNode sj = json.element(skins, s, where);
                JsonNode joints = json.array(sj, "joints", where);
                if (joints.isEmpty()) {
                    throw json.bad(where, "has no joints");
                }
                List<Node> list = new ArrayList<>();
                for (int k = 0; k < joints.size(); k++) {
                    list.add(nodes[json.checkIndex(joints.get(k).asLong(-1), nodes.length, "node",
                            where + ".joints[" + k + "]")]);
                }
                int skeleton = json.index(sj, "skeleton", nodes.length, "node", where);
                MemorySegment ibm = null;
                int acc = json.index(sj, "inverseBindMatrices", accessors.count(), "accessor", where);
                if (acc >= 0) {
                    AccessorDecoder.Floats f = accessors.floats(acc, scene.arena());
                    if (f.components() != 16 || f.count() < list.size()) {
                        throw json.bad(where, "inverseBindMatrices (accessor " + acc + ") must hold a MAT4 per joint ("
                                + list.size() + "), but holds " + f.count() + " elements of " + f.components()
                                + " values");
                    }
                    ibm = f.data();
                }
                made.add(new Skin(json.string(sj, "name", "skin" + s, where), list,
                        skeleton < 0 ? null : nodes[skeleton], ibm));
            }
            scene.skins().addAll(made);
            for (int i = 0; i < nodes.length; i++) {
                int s = json.index(nodesJson.get(i), "skin", made.size(), "skin", "nodes[" + i + "]");
                if (s >= 0) {
                    nodes[i].skin(made.get(s));
                }
            }
        }

        private void readAnimations() {
            JsonNode anims = json.array(doc.root, "animations", "");
            for (int a = 0; a < anims.size(); a++) {
                String where = "animations[" + a + "]";
                JsonNode aj = json.element(anims, a, where);
                JsonNode samplers = json.array(aj, "samplers", where);
                List<Animation.Sampler> ss = new ArrayList<>();
                for (int s = 0; s < samplers.size(); s++) {
                    String sw = where + ".samplers[" + s + "]";
                    JsonNode sj = json.element(samplers, s, sw);
                    int in = json.index(sj, "input", accessors.count(), "accessor", sw);
                    int out = json.index(sj, "output", accessors.count(), "accessor", sw);
                    if (in < 0 || out < 0) {
                        throw json.bad(sw, "needs both 'input' and 'output'");
                    }
                    String interp = json.string(sj, "interpolation", "LINEAR", sw);
                    Animation.Interpolation ip;
                    try {
                        ip = Animation.Interpolation.valueOf(interp);
                    } catch (IllegalArgumentException e) {
                        throw json.bad(sw, "interpolation '" + interp + "' is not LINEAR, STEP or CUBICSPLINE");
                    }
                    AccessorDecoder.Floats times = accessors.floats(in, scene.arena());
                    AccessorDecoder.Floats values = accessors.floats(out, scene.arena());
                    if (times.components() != 1) {
                        throw json.bad(sw, "input (accessor " + in + ") must be SCALAR key times");
                    }
                    long perKey = ip == Animation.Interpolation.CUBICSPLINE ? 3 : 1;
                    long total = values.count() * values.components();
                    if (total % (times.count() * perKey) != 0) {
                        throw json.bad(sw, "output (accessor " + out + ") holds " + values.count()
                                + " elements, which does not match " + times.count() + " key times");
                    }
                    int comps = (int) (total / (times.count() * perKey));
                    ss.add(new Animation.Sampler(times.data(), times.count(), values.data(), total, comps, ip));
                }
                JsonNode channels = json.array(aj, "channels", where);
                List<Animation.Channel> cs = new ArrayList<>();
                for (int c = 0; c < channels.size(); c++) {
                    String cw = where + ".channels[" + c + "]";
                    JsonNode cj = json.element(channels, c, cw);
                    int sampler = json.index(cj, "sampler", ss.size(), "sampler of this animation", cw);
                    JsonNode target = json.object(cj, "target", cw);
                    int node = json.index(target, "node", nodes.length, "node", cw + ".target");
                    String path = json.string(target, "path", null, cw + ".target");
                    if (sampler < 0 || path == null) {
                        throw json.bad(cw, "needs a sampler and a target path");
                    }
                    if (node < 0) {
                        continue; // targets something an extension defines
                    }
                    Animation.Path p;
                    try {
                        p = Animation.Path.valueOf(path.toUpperCase(java.util.Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        scene.warn(doc.file + ": " + cw + " animates '" + path + "', which was ignored");
                        continue;
                    }
                    cs.add(new Animation.Channel(sampler, nodes[node], p));
                }
                scene.animations().add(new Animation(json.string(aj, "name", "animation" + a, where), ss, cs));
            }
        }
    }

}
