// Writes a scene as GLB (one buffer) or as .gltf with a .bin and image files beside it.
package dev.meshforge.core.io.gltf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.MeshEncoding;
import dev.meshforge.core.io.SceneWriter;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.io.internal.DistinctVertices;
import dev.meshforge.core.scene.AlphaMode;
import dev.meshforge.core.scene.Animation;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Skin;
import dev.meshforge.core.scene.Texture;
import dev.meshforge.core.scene.TextureSlot;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.UpAxis;
import dev.meshforge.core.scene.Units;
import dev.meshforge.core.scene.VertexAttribute;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * glTF 2.0 output that passes the Khronos validator: one buffer, one view per accessor, views 4-byte aligned,
 * float attributes with POSITION bounds, the smallest index type the vertex count allows, image bytes as they
 * were. Nodes are written with translation/rotation/scale where their matrix has no shear (animated nodes need
 * that), otherwise with the matrix. Textures keep their order, so texture indices in kept material extensions
 * stay valid.
 */
public final class GltfWriter implements SceneWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int ARRAY_BUFFER = 34962;
    private static final int ELEMENT_ARRAY_BUFFER = 34963;

    private final Format format;

    /** @param format {@link Format#GLB} or {@link Format#GLTF} */
    public GltfWriter(Format format) {
        if (format != Format.GLB && format != Format.GLTF) {
            throw new IllegalArgumentException("GltfWriter writes GLB or GLTF, not " + format);
        }
        this.format = format;
    }

    @Override
    public void write(Scene scene, Path file, WriteOptions options) throws IOException {
        try (Arena scratch = Arena.ofConfined()) {
            Encoder e = new Encoder(scene, format == Format.GLB, file, scratch, options.encoding());
            e.encode();
            write(e, file);
        }
    }

    private void write(Encoder e, Path file) throws IOException {
        if (format == Format.GLB) {
            writeGlb(file, e.root, e.bin);
        } else {
            String stem = Format.stem(file);
            Path dir = file.toAbsolutePath().getParent();
            if (e.bin.size() > 0) {
                String binName = stem + ".bin";
                ((ObjectNode) e.root.withArray("buffers").get(0)).put("uri", uri(binName));
                try (OutputStream out = Files.newOutputStream(dir.resolve(binName))) {
                    out.write(e.bin.array(), 0, e.bin.size());
                }
            }
            for (Map.Entry<String, byte[]> img : e.externalImages.entrySet()) {
                Files.write(dir.resolve(img.getKey()), img.getValue());
            }
            Files.write(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(e.root));
        }
    }

    private static void writeGlb(Path file, ObjectNode root, BinaryChunk bin) throws IOException {
        byte[] json = MAPPER.writeValueAsBytes(root);
        int jsonPadded = (json.length + 3) & ~3;
        int binPadded = (bin.size() + 3) & ~3;
        long total = 12L + 8 + jsonPadded + (bin.size() > 0 ? 8L + binPadded : 0);
        if (total > Integer.toUnsignedLong(-1)) {
            throw new dev.meshforge.core.LimitExceededException(file + ": the GLB would be " + total
                    + " bytes, more than the format's 4 GiB");
        }
        ByteBuffer head = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(GltfDocument.GLB_MAGIC).putInt(2).putInt((int) total).putInt(jsonPadded)
                .putInt(GltfDocument.CHUNK_JSON);
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(head.array());
            out.write(json);
            for (int i = json.length; i < jsonPadded; i++) {
                out.write(' ');
            }
            if (bin.size() > 0) {
                ByteBuffer bh = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                bh.putInt(binPadded).putInt(GltfDocument.CHUNK_BIN);
                out.write(bh.array());
                out.write(bin.array(), 0, bin.size());
                for (int i = bin.size(); i < binPadded; i++) {
                    out.write(0);
                }
            }
        }
    }

    private static String uri(String fileName) {
        return URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** One write: the JSON being built, the binary buffer, and the indices given to scene objects. */
    private static final class Encoder {
        final Scene scene;
        final boolean glb;
        final Path file;
        final ObjectNode root = MAPPER.createObjectNode();
        BinaryChunk bin = new BinaryChunk();
        final Map<String, byte[]> externalImages = new LinkedHashMap<>();
        final ArrayNode accessors = MAPPER.createArrayNode();
        final ArrayNode views = MAPPER.createArrayNode();
        final Set<String> used = new LinkedHashSet<>();
        final Set<String> required = new LinkedHashSet<>();
        final Map<Node, Integer> nodeIndex = new IdentityHashMap<>();
        final List<Node> nodes = new ArrayList<>();
        final Map<Mesh, Integer> meshIndex = new IdentityHashMap<>();
        final Map<MemorySegment, Map<String, Integer>> shared = new IdentityHashMap<>();
        /** Material index -> index of its written copy without textures (see materials()). */
        final Map<Integer, Integer> untextured = new HashMap<>();
        /** Material index -> UV set -> the grid that set is written on (see TexCoordGrids). */
        Map<Integer, Map<Integer, VertexQuantizer.UvGrid>> uvGrids = Map.of();
        final Set<Node> animated = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        /** Holds the compacted copies of primitives that had unused or identical vertices. */
        final Arena scratch;
        final MeshEncoding encoding;
        /** Each mesh whose positions are written on an integer grid, with that grid. */
        final Map<Mesh, VertexQuantizer.Grid> grids = new IdentityHashMap<>();
        /** Nodes added to carry a quantized mesh's dequantizing transform below a node that cannot take it. */
        final List<ObjectNode> carriers = new ArrayList<>();

        Encoder(Scene scene, boolean glb, Path file, Arena scratch, MeshEncoding encoding) {
            this.scene = scene;
            this.glb = glb;
            this.file = file;
            this.scratch = scratch;
            this.encoding = encoding;
        }

        /**
         * Position grids for the meshes that can take one: not skinned (a skinned mesh ignores its node's
         * transform) and without morph targets (their displacements stay float).
         */
        private void positionGrids() {
            if (encoding.positionBits() == 0) {
                return;
            }
            Set<Mesh> skinned = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            Set<Mesh> meshes = new LinkedHashSet<>();
            scene.forEachPlacedNode((n, t) -> {
                if (n.mesh() != null) {
                    meshes.add(n.mesh());
                    if (n.skin() != null) {
                        skinned.add(n.mesh());
                    }
                }
            });
            for (Mesh m : meshes) {
                if (!skinned.contains(m) && m.primitives().stream().allMatch(p -> p.targets().isEmpty())) {
                    VertexQuantizer.Grid g = VertexQuantizer.grid(m, encoding.positionBits());
                    if (g != null) {
                        grids.put(m, g);
                    }
                }
            }
        }

        void encode() {
            root.putObject("asset").put("version", "2.0").put("generator", "meshforge");
            for (Animation a : scene.animations()) {
                for (Animation.Channel c : a.channels()) {
                    animated.add(c.target());
                }
            }
            for (Node r : scene.roots()) {
                number(r);
            }
            for (Skin s : scene.skins()) {
                s.joints().forEach(this::number);
                if (s.skeleton() != null) {
                    number(s.skeleton());
                }
            }
            for (Node n : animated) {
                number(n);
            }
            images();
            if (encoding.texCoordBits() > 0) {
                uvGrids = TexCoordGrids.of(scene.materials(), scene.textures().size(),
                        nodes.stream().map(Node::mesh).filter(java.util.Objects::nonNull).toList(),
                        encoding.texCoordBits());
            }
            materials();
            positionGrids();
            ArrayNode meshes = MAPPER.createArrayNode();
            ArrayNode nodesJson = MAPPER.createArrayNode();
            for (Node n : nodes) {
                nodesJson.add(node(n, meshes));
            }
            nodesJson.addAll(carriers);
            skins();
            animations();
            ArrayNode sceneNodes = MAPPER.createArrayNode();
            scene.roots().forEach(r -> sceneNodes.add(nodeIndex.get(r)));
            double[] toGltf = unitConversion(scene.units());
            if (toGltf != null && !sceneNodes.isEmpty()) {
                // glTF is metres and Y up: a declared other unit or Z up is converted by one root node above
                // the scene's own, so that meshes, skins and animations stay as they are.
                ObjectNode units = nodesJson.addObject().put("name", "meshforge_units");
                ArrayNode m = units.putArray("matrix");
                for (double v : toGltf) {
                    m.add(v);
                }
                units.set("children", sceneNodes.deepCopy());
                sceneNodes.removeAll();
                sceneNodes.add(nodesJson.size() - 1);
            }
            if (!sceneNodes.isEmpty()) {
                root.put("scene", 0);
                root.putArray("scenes").addObject().set("nodes", sceneNodes);
            }
            if (!nodesJson.isEmpty()) {
                root.set("nodes", nodesJson);
            }
            if (!meshes.isEmpty()) {
                root.set("meshes", meshes);
            }
            if (!accessors.isEmpty()) {
                root.set("accessors", accessors);
            }
            if (!views.isEmpty()) {
                root.set("bufferViews", views);
            }
            if (bin.size() > 0) {
                bin.align4();
                root.putArray("buffers").addObject().put("byteLength", bin.size());
                if (encoding.meshoptCompression()) {
                    bin = MeshoptPacking.compress(root, bin);
                    if (root.get("buffers").size() > 1) {
                        used.add(MeshoptPacking.EXTENSION);
                        required.add(MeshoptPacking.EXTENSION);
                    }
                }
            }
            if (!used.isEmpty()) {
                ArrayNode u = MAPPER.createArrayNode();
                used.forEach(u::add);
                root.set("extensionsUsed", u);
            }
            if (!required.isEmpty()) {
                ArrayNode r = MAPPER.createArrayNode();
                required.forEach(r::add);
                root.set("extensionsRequired", r);
            }
            if (encoding.quantized() || encoding.meshoptCompression()) {
                CompactJson.apply(root);
            }
        }

        /** Numbers a node and its subtree depth first; a node reached twice keeps its first number. */
        private void number(Node n) {
            if (nodeIndex.containsKey(n)) {
                return;
            }
            nodeIndex.put(n, nodes.size());
            nodes.add(n);
            n.children().forEach(this::number);
        }

        private int view(int start, int length, int target) {
            return view(start, length, target, 0);
        }

        private int view(int start, int length, int target, int stride) {
            ObjectNode v = views.addObject().put("buffer", 0).put("byteOffset", start).put("byteLength", length);
            if (stride != 0) {
                v.put("byteStride", stride);
            }
            if (target != 0) {
                v.put("target", target);
            }
            return views.size() - 1;
        }

        private static String type(int components) {
            return switch (components) {
                case 1 -> "SCALAR";
                case 2 -> "VEC2";
                case 3 -> "VEC3";
                case 4 -> "VEC4";
                case 9 -> "MAT3";
                case 16 -> "MAT4";
                default -> throw new IllegalArgumentException(components + " components have no glTF type");
            };
        }

        /** A float accessor over {@code count * components} floats of {@code data}, with min/max if asked. */
        private int floatAccessor(MemorySegment data, long count, int components, boolean bounds, int target) {
            String key = "f" + components + ":" + count + ":" + bounds + ":" + target;
            Integer done = shared.computeIfAbsent(data, k -> new HashMap<>()).get(key);
            if (done != null) {
                return done;
            }
            long values = count * components;
            int start = bin.align4();
            bin.reserve(values * 4);
            MemorySegment.copy(data, ValueLayout.JAVA_FLOAT_UNALIGNED, 0,
                    MemorySegment.ofArray(bin.array()).asSlice(start),
                    ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, values);
            bin.advance((int) (values * 4));
            ObjectNode a = accessors.addObject();
            a.put("bufferView", view(start, (int) (values * 4), target)).put("componentType", AccessorDecoder.FLOAT)
                    .put("count", count).put("type", type(components));
            if (bounds) {
                float[] min = new float[components];
                float[] max = new float[components];
                java.util.Arrays.fill(min, Float.POSITIVE_INFINITY);
                java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
                for (long i = 0; i < count; i++) {
                    for (int c = 0; c < components; c++) {
                        float v = data.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i * components + c);
                        min[c] = Math.min(min[c], v);
                        max[c] = Math.max(max[c], v);
                    }
                }
                ArrayNode mn = a.putArray("min");
                ArrayNode mx = a.putArray("max");
                for (int c = 0; c < components; c++) {
                    mn.add(min[c]);
                    mx.add(max[c]);
                }
            }
            shared.get(data).put(key, accessors.size() - 1);
            return accessors.size() - 1;
        }

        /** Joint numbers as unsigned byte or short VEC4. */
        private int jointsAccessor(VertexAttribute a) {
            float max = 0;
            for (long i = 0; i < a.count() * 4; i++) {
                max = Math.max(max, a.data().getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i));
            }
            boolean bytes = max < 256;
            int start = bin.align4();
            for (long i = 0; i < a.count() * 4; i++) {
                int v = Math.round(Math.max(0, a.data().getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i)));
                if (bytes) {
                    bin.putByte(v);
                } else {
                    bin.putShort(v);
                }
            }
            accessors.addObject().put("bufferView", view(start, bin.size() - start, ARRAY_BUFFER))
                    .put("componentType", bytes ? AccessorDecoder.UNSIGNED_BYTE : AccessorDecoder.UNSIGNED_SHORT)
                    .put("count", a.count()).put("type", "VEC4");
            return accessors.size() - 1;
        }

        /** An integer attribute from {@link VertexQuantizer}, under KHR_mesh_quantization. */
        private int packedAccessor(VertexQuantizer.Packed q) {
            int start = bin.align4();
            bin.put(q.bytes());
            int element = q.components() * AccessorDecoder.componentSize(q.componentType());
            ObjectNode a = accessors.addObject();
            a.put("bufferView", view(start, q.bytes().length, ARRAY_BUFFER, q.stride() != element ? q.stride() : 0))
                    .put("componentType", q.componentType());
            if (q.normalized()) {
                a.put("normalized", true);
            }
            a.put("count", q.count()).put("type", type(q.components()));
            if (q.min() != null) {
                ArrayNode mn = a.putArray("min");
                ArrayNode mx = a.putArray("max");
                for (int c = 0; c < q.components(); c++) {
                    mn.add((long) q.min()[c]);
                    mx.add((long) q.max()[c]);
                }
            }
            used.add("KHR_mesh_quantization");
            required.add("KHR_mesh_quantization");
            return accessors.size() - 1;
        }

        private int indexAccessor(Primitive p) {
            long n = p.indexCount();
            long vertices = p.vertexCount();
            // meshopt's index codecs take 16- and 32-bit indices only.
            int type = vertices <= 255 && !encoding.meshoptCompression() ? AccessorDecoder.UNSIGNED_BYTE
                    : vertices <= 65535 ? AccessorDecoder.UNSIGNED_SHORT : AccessorDecoder.UNSIGNED_INT;
            int start = bin.align4();
            if (type == AccessorDecoder.UNSIGNED_INT) {
                bin.reserve(n * 4);
                MemorySegment.copy(p.indices(), ValueLayout.JAVA_INT_UNALIGNED, 0, MemorySegment.ofArray(bin.array()),
                        ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), start, n);
                bin.advance((int) (n * 4));
            } else {
                bin.reserve(n * (type == AccessorDecoder.UNSIGNED_SHORT ? 2 : 1));
                for (long i = 0; i < n; i++) {
                    int v = p.index(i);
                    if (type == AccessorDecoder.UNSIGNED_BYTE) {
                        bin.putByte(v);
                    } else {
                        bin.putShort(v);
                    }
                }
            }
            accessors.addObject().put("bufferView", view(start, bin.size() - start, ELEMENT_ARRAY_BUFFER))
                    .put("componentType", type).put("count", n).put("type", "SCALAR");
            return accessors.size() - 1;
        }

        /** Column-major matrix from declared scene units to metres, Y up; null when none is needed. */
        private static double[] unitConversion(Units units) {
            if (!units.declared() || (units.metresPerUnit() == 1.0 && units.upAxis() == UpAxis.Y)) {
                return null;
            }
            double k = units.metresPerUnit();
            if (units.upAxis() == UpAxis.Z) { // (x, y, z) -> (x, z, -y)
                return new double[] {k, 0, 0, 0, 0, 0, -k, 0, 0, k, 0, 0, 0, 0, 0, 1};
            }
            return new double[] {k, 0, 0, 0, 0, k, 0, 0, 0, 0, k, 0, 0, 0, 0, 1};
        }

        private ObjectNode node(Node n, ArrayNode meshes) {
            ObjectNode o = MAPPER.createObjectNode();
            ObjectNode self = o;
            if (!n.name().isEmpty()) {
                o.put("name", n.name());
            }
            if (!n.children().isEmpty()) {
                ArrayNode c = o.putArray("children");
                for (Node child : n.children()) {
                    c.add(nodeIndex.get(child));
                }
            }
            VertexQuantizer.Grid grid = n.mesh() == null ? null : grids.get(n.mesh());
            // A quantized mesh's grid becomes part of its node's transform; a node whose transform its children
            // or an animation also see gets a child that carries the mesh and the grid instead.
            boolean carried = grid != null && (!n.children().isEmpty() || animated.contains(n)
                    || scene.skins().stream().anyMatch(s -> s.joints().contains(n)));
            transform(o, grid != null && !carried ? n.local().then(grid.dequantize()) : n.local());
            if (carried) {
                ObjectNode carrier = MAPPER.createObjectNode();
                transform(carrier, grid.dequantize());
                carriers.add(carrier);
                if (!o.has("children")) {
                    o.putArray("children");
                }
                ((ArrayNode) o.get("children")).add(nodes.size() + carriers.size() - 1);
                o = carrier;
            }
            if (n.mesh() != null) {
                Integer mi = meshIndex.get(n.mesh());
                if (mi == null) {
                    ObjectNode mj = mesh(n.mesh());
                    if (mj != null) {
                        meshes.add(mj);
                        mi = meshes.size() - 1;
                        meshIndex.put(n.mesh(), mi);
                    }
                }
                if (mi != null) {
                    o.put("mesh", mi);
                    if (n.skin() != null && scene.skins().contains(n.skin())) {
                        o.put("skin", scene.skins().indexOf(n.skin()));
                    }
                    float[] w = n.weights();
                    if (w != null && w.length > 0) {
                        ArrayNode wj = o.putArray("weights");
                        for (float v : w) {
                            wj.add(v);
                        }
                    }
                }
            }
            return self;
        }

        /**
         * Writes a node's local transform. With quantized vertex data (already coarser than float32) each number is
         * written as the float32 a loader reads, in its shortest form, which keeps the JSON of many nodes small.
         */
        private void transform(ObjectNode o, Transform local) {
            if (local.isIdentity()) {
                return;
            }
            double[][] trs = GltfTransforms.toTrs(local);
            if (trs == null) {
                ArrayNode m = o.putArray("matrix");
                for (double v : local.toArray()) {
                    add(m, v);
                }
            } else {
                putUnlessDefault(o, "translation", trs[0], new double[] {0, 0, 0});
                putUnlessDefault(o, "rotation", trs[1], new double[] {0, 0, 0, 1});
                putUnlessDefault(o, "scale", trs[2], new double[] {1, 1, 1});
            }
        }

        private void putUnlessDefault(ObjectNode o, String field, double[] v, double[] dflt) {
            boolean same = true;
            for (int i = 0; i < v.length; i++) {
                same &= Math.abs(v[i] - dflt[i]) < 1e-12;
            }
            if (!same) {
                ArrayNode a = o.putArray(field);
                for (double x : v) {
                    add(a, x);
                }
            }
        }

        private void add(ArrayNode a, double v) {
            if (encoding.quantized() && Float.isFinite((float) v)) {
                a.add((float) v);
            } else {
                a.add(v);
            }
        }

        private ObjectNode mesh(Mesh m) {
            ObjectNode o = MAPPER.createObjectNode();
            if (!m.name().isEmpty()) {
                o.put("name", m.name());
            }
            ArrayNode prims = o.putArray("primitives");
            int targets = -1;
            for (Primitive p : m.primitives()) {
                if (p.vertexCount() == 0 || (p.topology() != Topology.POINTS && p.indexCount() == 0)) {
                    continue;
                }
                if (targets >= 0 && p.targets().size() != targets) {
                    continue; // glTF needs the same number of morph targets in every primitive of a mesh
                }
                targets = p.targets().size();
                prims.add(primitive(p, grids.get(m)));
            }
            if (prims.isEmpty()) {
                return null;
            }
            float[] w = m.weights();
            if (targets > 0) {
                ArrayNode wj = o.putArray("weights");
                for (int i = 0; i < targets; i++) {
                    wj.add(i < w.length ? w[i] : 0f);
                }
            }
            return o;
        }

        /**
         * glTF requires unit normals: other formats' normals are normalized here; where one is zero or not
         * finite the attribute is left out (viewers then derive normals from the faces).
         */
        private static float[] unitNormals(VertexAttribute a) {
            float[] out = new float[(int) (a.count() * 3)];
            for (long v = 0; v < a.count(); v++) {
                double x = a.get(v, 0);
                double y = a.get(v, 1);
                double z = a.get(v, 2);
                double len = Math.sqrt(x * x + y * y + z * z);
                if (!(len > 0) || !Double.isFinite(len)) {
                    return null;
                }
                out[(int) (v * 3)] = (float) (x / len);
                out[(int) (v * 3 + 1)] = (float) (y / len);
                out[(int) (v * 3 + 2)] = (float) (z / len);
            }
            return out;
        }

        /** Writes a primitive; with a grid its positions are written as integers on it (see VertexQuantizer). */
        private static VertexAttribute unitNormalAttribute(VertexAttribute a) {
            float[] unit = unitNormals(a);
            return unit == null ? null : new VertexAttribute(a.name(), 3, a.count(), MemorySegment.ofArray(unit));
        }

        private ObjectNode primitive(Primitive source, VertexQuantizer.Grid grid) {
            // glTF indexes all attributes together: a vertex is split only where some value differs, none unused.
            Primitive p = DistinctVertices.of(source, scratch);
            ObjectNode o = MAPPER.createObjectNode();
            ObjectNode attrs = o.putObject("attributes");
            long n = p.vertexCount();
            int material = -1;
            if (p.material() >= 0 && p.material() < scene.materials().size()) {
                material = untextured.containsKey(p.material()) && TexCoordGrids.lacksTexCoords(p,
                        scene.materials().get(p.material()), scene.textures().size())
                        ? untextured.get(p.material()) : p.material();
            }
            // only a primitive written with the material itself reads its UVs through the material's transform
            Map<Integer, VertexQuantizer.UvGrid> uv = uvGrids.getOrDefault(material, Map.of());
            for (VertexAttribute a : p.attributes().values()) {
                String name = a.name();
                int c = a.components();
                int bits = VertexQuantizer.bitsFor(encoding, name, c);
                if (name.equals("POSITION") && grid != null) {
                    attrs.put(name, packedAccessor(VertexQuantizer.positions(a, n, grid, encoding.positionBits())));
                } else if (name.equals("POSITION")) {
                    attrs.put(name, floatAccessor(a.data(), n, 3, true, ARRAY_BUFFER));
                } else if (bits > 0 && (name.equals("NORMAL") || name.equals("TANGENT"))) {
                    VertexAttribute unit = name.equals("NORMAL") ? unitNormalAttribute(a) : a;
                    if (unit != null && name.equals("NORMAL") && encoding.meshoptCompression() && bits >= 2) {
                        int accessor = packedAccessor(VertexQuantizer.octahedral(unit, n, bits));
                        // MeshoptPacking compresses this view with the filter its data was encoded for
                        ((ObjectNode) views.get(accessors.get(accessor).get("bufferView").asInt()))
                                .putObject("extensions").putObject(MeshoptPacking.EXTENSION)
                                .put("filter", "OCTAHEDRAL");
                        attrs.put(name, accessor);
                    } else if (unit != null) {
                        attrs.put(name, packedAccessor(VertexQuantizer.signed(unit, n, c, bits)));
                    }
                } else if (bits > 0 && name.startsWith("TEXCOORD_") && uv.containsKey(texCoordSet(name))) {
                    attrs.put(name, packedAccessor(VertexQuantizer.texCoords(a, n, uv.get(texCoordSet(name)))));
                } else if (bits > 0 && (name.startsWith("COLOR_") || VertexQuantizer.withinUnit(a, n))) {
                    attrs.put(name, packedAccessor(VertexQuantizer.unsigned(a, n, c, bits)));
                } else if (name.startsWith("JOINTS_")) {
                    if (c == 4) {
                        attrs.put(name, jointsAccessor(a));
                    }
                } else if (name.equals("NORMAL") && c == 3) {
                    float[] unit = unitNormals(a);
                    if (unit != null) {
                        attrs.put(name, floatAccessor(MemorySegment.ofArray(unit), n, 3, false, ARRAY_BUFFER));
                    }
                } else if ((name.equals("TANGENT") && c == 4)
                        || (name.startsWith("TEXCOORD_") && c == 2) || (name.startsWith("COLOR_") && (c == 3 || c == 4))
                        || (name.startsWith("WEIGHTS_") && c == 4) || (name.startsWith("_") && c <= 4)) {
                    attrs.put(name, floatAccessor(a.data(), n, c, false, ARRAY_BUFFER));
                } else if (c <= 4) {
                    attrs.put("_" + name, floatAccessor(a.data(), n, c, false, ARRAY_BUFFER));
                }
            }
            if (p.topology() != Topology.POINTS) {
                o.put("indices", indexAccessor(p));
            }
            // triangles are the default mode: compact (quantized) output leaves it out
            if (p.topology() != Topology.TRIANGLES || !encoding.quantized()) {
                o.put("mode", switch (p.topology()) {
                    case TRIANGLES -> 4;
                    case LINES -> 1;
                    case POINTS -> 0;
                });
            }
            if (material >= 0) {
                o.put("material", material);
            }
            if (!p.targets().isEmpty()) {
                ArrayNode ts = o.putArray("targets");
                for (Map<String, VertexAttribute> t : p.targets()) {
                    ObjectNode tj = ts.addObject();
                    for (VertexAttribute a : t.values()) {
                        if (a.components() == 3 || (a.name().equals("TANGENT") && a.components() == 3)) {
                            tj.put(a.name(), floatAccessor(a.data(), n, 3, a.name().equals("POSITION"),
                                    ARRAY_BUFFER));
                        }
                    }
                }
            }
            return o;
        }

        private void images() {
            List<Texture> textures = scene.textures();
            if (textures.isEmpty()) {
                return;
            }
            ArrayNode images = MAPPER.createArrayNode();
            ArrayNode samplers = MAPPER.createArrayNode();
            ArrayNode texs = MAPPER.createArrayNode();
            Map<byte[], Integer> imageIndex = new IdentityHashMap<>();
            Map<Texture.Sampler, Integer> samplerIndex = new HashMap<>();
            Set<String> names = new HashSet<>();
            for (Texture t : textures) {
                ObjectNode tj = texs.addObject();
                if (!t.sampler().isDefault()) {
                    Integer si = samplerIndex.get(t.sampler());
                    if (si == null) {
                        ObjectNode s = samplers.addObject();
                        Texture.Sampler ts = t.sampler();
                        if (ts.magFilter() != 0) {
                            s.put("magFilter", ts.magFilter());
                        }
                        if (ts.minFilter() != 0) {
                            s.put("minFilter", ts.minFilter());
                        }
                        s.put("wrapS", ts.wrapS()).put("wrapT", ts.wrapT());
                        si = samplers.size() - 1;
                        samplerIndex.put(t.sampler(), si);
                    }
                    tj.put("sampler", si);
                }
                String mime = t.mimeType() == null ? "" : t.mimeType().toLowerCase(Locale.ROOT);
                boolean known = mime.equals("image/png") || mime.equals("image/jpeg") || mime.equals("image/ktx2")
                        || mime.equals("image/webp");
                if (t.bytes() == null || t.bytes().length == 0 || !known) {
                    continue;
                }
                Integer ii = imageIndex.get(t.bytes());
                if (ii == null) {
                    ObjectNode ij = images.addObject();
                    if (glb) {
                        int start = bin.align4();
                        bin.put(t.bytes());
                        ij.put("bufferView", view(start, t.bytes().length, 0)).put("mimeType", mime);
                    } else {
                        String name = unique(names, t.name() == null || t.name().isBlank() ? "image" + images.size()
                                : t.name(), GltfMaterials.extensionFor(mime));
                        externalImages.put(name, t.bytes());
                        ij.put("uri", uri(name));
                    }
                    ii = images.size() - 1;
                    imageIndex.put(t.bytes(), ii);
                }
                switch (mime) {
                    case "image/ktx2" -> extension(tj, "KHR_texture_basisu", ii, true);
                    case "image/webp" -> extension(tj, "EXT_texture_webp", ii, true);
                    default -> tj.put("source", ii);
                }
            }
            root.set("textures", texs);
            if (!images.isEmpty()) {
                root.set("images", images);
            }
            if (!samplers.isEmpty()) {
                root.set("samplers", samplers);
            }
        }

        private void extension(ObjectNode texture, String name, int image, boolean require) {
            texture.putObject("extensions").putObject(name).put("source", image);
            used.add(name);
            if (require) {
                required.add(name);
            }
        }

        private String unique(Set<String> names, String name, String ext) {
            String base = name.replaceAll("[\\\\/:*?\"<>|]", "_");
            String lower = base.toLowerCase(Locale.ROOT);
            if (!lower.endsWith("." + ext) && !(ext.equals("jpg") && lower.endsWith(".jpeg"))) {
                base = base + "." + ext;
            }
            String gltfName = Format.stem(file) + ".gltf";
            String candidate = base;
            int k = 1;
            while (names.contains(candidate.toLowerCase(Locale.ROOT)) || candidate.equalsIgnoreCase(gltfName)
                    || candidate.equalsIgnoreCase(Format.stem(file) + ".bin")) {
                int dot = base.lastIndexOf('.');
                candidate = base.substring(0, dot) + "_" + k++ + base.substring(dot);
            }
            names.add(candidate.toLowerCase(Locale.ROOT));
            return candidate;
        }

        private void materials() {
            if (scene.materials().isEmpty()) {
                return;
            }
            ArrayNode ms = root.putArray("materials");
            int textures = scene.textures().size();
            for (int i = 0; i < scene.materials().size(); i++) {
                Material m = scene.materials().get(i);
                material(ms.addObject(), m, m.name(), textures, uvGrids.getOrDefault(i, Map.of()));
            }
            // glTF forbids a texture on a primitive without the UV set it reads: such primitives get a copy
            // of their material without textures.
            scene.forEachPlacedMesh((mesh, t) -> {
                for (Primitive p : mesh.primitives()) {
                    int i = p.material();
                    if (i >= 0 && i < scene.materials().size() && !untextured.containsKey(i)
                            && TexCoordGrids.lacksTexCoords(p, scene.materials().get(i), textures)) {
                        untextured.put(i, ms.size());
                        Material m = scene.materials().get(i);
                        material(ms.addObject(), m, (m.name() == null ? "" : m.name()) + " (no UVs)", 0, Map.of());
                    }
                }
            });
        }

        /**
         * Writes one material; with {@code textures} 0 every texture reference is left out. A texture read through
         * a UV set in {@code uv} gets that grid's KHR_texture_transform.
         */
        private void material(ObjectNode o, Material m, String name, int textures,
                              Map<Integer, VertexQuantizer.UvGrid> uv) {
            if (name != null && !name.isEmpty()) {
                o.put("name", name);
            }
            ObjectNode pbr = o.putObject("pbrMetallicRoughness");
            float[] bc = m.baseColorFactor();
            if (bc != null && bc.length == 4 && !(bc[0] == 1 && bc[1] == 1 && bc[2] == 1 && bc[3] == 1)) {
                ArrayNode a = pbr.putArray("baseColorFactor");
                for (float v : bc) {
                    a.add(clamp01(v));
                }
            }
            if (m.metallicFactor() != 1f) {
                pbr.put("metallicFactor", clamp01(m.metallicFactor()));
            }
            if (m.roughnessFactor() != 1f) {
                pbr.put("roughnessFactor", clamp01(m.roughnessFactor()));
            }
            textureInfo(pbr, "baseColorTexture", m.baseColorTexture(), m, textures, uv);
            textureInfo(pbr, "metallicRoughnessTexture", m.metallicRoughnessTexture(), m, textures, uv);
            textureInfo(o, "normalTexture", m.normalTexture(), m, textures, uv);
            textureInfo(o, "occlusionTexture", m.occlusionTexture(), m, textures, uv);
            textureInfo(o, "emissiveTexture", m.emissiveTexture(), m, textures, uv);
            float[] ef = m.emissiveFactor();
            if (ef != null && ef.length == 3 && (ef[0] != 0 || ef[1] != 0 || ef[2] != 0)) {
                ArrayNode a = o.putArray("emissiveFactor");
                for (float v : ef) {
                    a.add(clamp01(v));
                }
            }
            if (m.alphaMode() != AlphaMode.OPAQUE) {
                o.put("alphaMode", m.alphaMode().name());
                if (m.alphaMode() == AlphaMode.MASK && m.alphaCutoff() != 0.5f) {
                    o.put("alphaCutoff", Math.max(0f, m.alphaCutoff()));
                }
            }
            if (m.doubleSided()) {
                o.put("doubleSided", true);
            }
            if (!m.extensions().isEmpty()) {
                ObjectNode ext = o.putObject("extensions");
                for (Map.Entry<String, String> e : m.extensions().entrySet()) {
                    try {
                        JsonNode value = MAPPER.readTree(e.getValue());
                        if (value != null && value.isObject() && texturesValid(value, textures)) {
                            ext.set(e.getKey(), value);
                            used.add(e.getKey());
                        }
                    } catch (JsonProcessingException ex) {
                        // Not JSON: nothing a glTF file could hold; skipped.
                    }
                }
                if (ext.isEmpty()) {
                    o.remove("extensions");
                }
            }
        }

        private static int texCoordSet(String name) {
            try {
                return Integer.parseInt(name.substring("TEXCOORD_".length()));
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        private static float clamp01(float v) {
            return Float.isFinite(v) ? Math.max(0f, Math.min(1f, v)) : 0f;
        }

        private static boolean texturesValid(JsonNode n, int textures) {
            if (n.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getKey().endsWith("Texture") && e.getValue().isObject()) {
                        int i = e.getValue().path("index").asInt(-1);
                        if (i < 0 || i >= textures) {
                            return false;
                        }
                    }
                    if (!texturesValid(e.getValue(), textures)) {
                        return false;
                    }
                }
            }
            return true;
        }

        private void textureInfo(ObjectNode parent, String slot, int index, Material m, int textures,
                                 Map<Integer, VertexQuantizer.UvGrid> uv) {
            if (index < 0 || index >= textures) {
                return;
            }
            ObjectNode t = parent.putObject(slot).put("index", index);
            TextureSlot s = m.slot(slot);
            if (s.texCoord() != 0) {
                t.put("texCoord", s.texCoord());
            }
            if (s.scale() != 1f) {
                if (slot.equals("occlusionTexture")) {
                    t.put("strength", clamp01(s.scale()));
                } else if (slot.equals("normalTexture")) {
                    t.put("scale", s.scale());
                }
            }
            TextureSlot.UvTransform x = s.transform();
            VertexQuantizer.UvGrid grid = uv.get(s.texCoord());
            if (grid != null) {
                // TexCoordGrids gives no grid to a set a transformed texture reads: this is the only transform
                ObjectNode tt = t.putObject("extensions").putObject("KHR_texture_transform");
                double[] offset = grid.offset();
                double[] scale = grid.scale();
                tt.putArray("offset").add((float) offset[0]).add((float) offset[1]);
                tt.putArray("scale").add((float) scale[0]).add((float) scale[1]);
                used.add("KHR_texture_transform");
            } else if (x != null) {
                ObjectNode tt = t.putObject("extensions").putObject("KHR_texture_transform");
                if (x.offsetU() != 0 || x.offsetV() != 0) {
                    tt.putArray("offset").add(x.offsetU()).add(x.offsetV());
                }
                if (x.rotation() != 0) {
                    tt.put("rotation", x.rotation());
                }
                if (x.scaleU() != 1 || x.scaleV() != 1) {
                    tt.putArray("scale").add(x.scaleU()).add(x.scaleV());
                }
                if (x.texCoord() >= 0) {
                    tt.put("texCoord", x.texCoord());
                }
                used.add("KHR_texture_transform");
            }
        }

        private void skins() {
            if (scene.skins().isEmpty()) {
                return;
            }
            ArrayNode skins = root.putArray("skins");
            for (Skin s : scene.skins()) {
                ObjectNode o = skins.addObject();
                if (s.name() != null && !s.name().isEmpty()) {
                    o.put("name", s.name());
                }
                ArrayNode joints = o.putArray("joints");
                s.joints().forEach(j -> joints.add(nodeIndex.get(j)));
                if (s.skeleton() != null) {
                    o.put("skeleton", nodeIndex.get(s.skeleton()));
                }
                if (s.inverseBindMatrices() != null) {
                    o.put("inverseBindMatrices", floatAccessor(s.inverseBindMatrices(), s.joints().size(), 16, false,
                            0));
                }
            }
        }

        private void animations() {
            List<ObjectNode> out = new ArrayList<>();
            for (Animation a : scene.animations()) {
                ObjectNode o = MAPPER.createObjectNode();
                if (a.name() != null && !a.name().isEmpty()) {
                    o.put("name", a.name());
                }
                ArrayNode samplers = o.putArray("samplers");
                Map<Integer, Integer> samplerIndex = new HashMap<>();
                ArrayNode channels = o.putArray("channels");
                for (Animation.Channel c : a.channels()) {
                    Integer node = nodeIndex.get(c.target());
                    if (node == null || c.sampler() < 0 || c.sampler() >= a.samplers().size()) {
                        continue;
                    }
                    Integer si = samplerIndex.get(c.sampler());
                    if (si == null) {
                        Animation.Sampler s = a.samplers().get(c.sampler());
                        int comps = c.path() == Animation.Path.WEIGHTS ? 1 : s.components();
                        long count = s.valueCount() / comps;
                        ObjectNode sj = samplers.addObject();
                        sj.put("input", floatAccessor(s.times(), s.keyCount(), 1, true, 0));
                        sj.put("output", floatAccessor(s.values(), count, comps, false, 0));
                        if (s.interpolation() != Animation.Interpolation.LINEAR) {
                            sj.put("interpolation", s.interpolation().name());
                        }
                        si = samplers.size() - 1;
                        samplerIndex.put(c.sampler(), si);
                    }
                    channels.addObject().put("sampler", si).putObject("target").put("node", node)
                            .put("path", c.path().name().toLowerCase(Locale.ROOT));
                }
                if (!channels.isEmpty()) {
                    out.add(o);
                }
            }
            if (!out.isEmpty()) {
                root.putArray("animations").addAll(out);
            }
        }
    }
}
