// Reads FBX (binary and ASCII, 6100-7700, legacy 5800 geometry in Model nodes) into a scene.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.io.SceneReader;
import dev.meshforge.core.io.internal.SceneFill;
import dev.meshforge.core.io.internal.CompanionFolder;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.Units;
import dev.meshforge.core.scene.UpAxis;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * FBX in both encodings. Builds the model hierarchy with the full FBX transform, meshes (polygons triangulated,
 * layers mapped to attributes, one primitive per material), materials and textures, skins, blend shapes and
 * animations. The scene keeps the file's unit ({@code UnitScaleFactor} centimetres) and up axis; the file's
 * axis system is turned into a right-handed one with that up axis on the root nodes. Malformed input raises a
 * {@link dev.meshforge.core.BadInputException} naming the file, the byte offset or line and the defect.
 */
public final class FbxReader implements SceneReader {
    @Override
    public Scene read(Path file, ReadOptions options) throws IOException {
        return build(FbxDocument.open(file, options), options);
    }

    /** Reads FBX bytes already in memory; {@code name} is used in messages and to find external textures. */
    public static Scene read(Path name, byte[] bytes, ReadOptions options) {
        return build(FbxDocument.parse(name, bytes, options), options);
    }

    private static Scene build(FbxDocument doc, ReadOptions options) {
        // The geometry's working arrays live in native memory that the read frees when it ends (work).
        try (doc; Arena work = Arena.ofShared()) {
            return SceneFill.fillOrClose(new Scene(), scene -> new Build(doc, scene, work, options).run());
        }
    }

    /** One read: the document, the scene being filled and the models made so far. */
    static final class Build {
        final FbxDocument doc;
        final Scene scene;
        final ReadOptions options;
        private final Arena work;
        final Map<Object, Node> nodes = new LinkedHashMap<>();
        final Map<Object, FbxGeometry.Built> meshes = new HashMap<>();
        /** The node each built geometry is placed at, for skins and shapes. */
        final Map<Object, Node> geometryNode = new HashMap<>();
        final Map<Object, Transform> geometryBind = new HashMap<>();
        private final Map<Object, int[]> sharedSlots = new HashMap<>();
        Transform axes = Transform.IDENTITY;
        FbxMaterials materials;

        Build(FbxDocument doc, Scene scene, Arena work, ReadOptions options) {
            this.doc = doc;
            this.work = work;
            this.scene = scene;
            this.options = options;
        }

        void run() {
            doc.warnings.forEach(scene::warn);
            if (doc.root.child("Objects") == null) {
                scene.warn("FBX " + doc.version + " keeps model placements only in its takes (animation), which "
                        + "this reader does not evaluate; models are placed at their own origins");
            }
            globalSettings();
            materials = new FbxMaterials(doc, scene, new CompanionFolder(doc.file, options));
            materials.readAll();
            FbxGeometry geometry = new FbxGeometry(doc, scene, work, options.maxTriangles(), options.fanTriangulation());
            for (Map.Entry<Object, FbxNode> e : doc.objects.entrySet()) {
                FbxNode o = e.getValue();
                if (o.name.equals("Model")) {
                    Node n = new Node(doc.nameOf(o));
                    Map<String, FbxNode> props = doc.properties(o);
                    n.local(requireFinite(FbxTransforms.local(props), n.name(), props));
                    nodes.put(e.getKey(), n);
                }
            }
            for (Map.Entry<Object, Node> e : nodes.entrySet()) {
                Object id = e.getKey();
                FbxNode model = doc.objects.get(id);
                Map<String, FbxNode> props = doc.properties(model);
                Transform geometric = requireFinite(FbxTransforms.geometric(props), doc.nameOf(model), props);
                int[] mats = materials.slotsOf(id);
                FbxNode geomNode = null;
                Object geomId = id;
                if (model.child("Vertices") != null) {
                    geomNode = model;
                } else {
                    for (Object g : doc.childObjects(id, "Geometry")) {
                        FbxNode gn = doc.objects.get(g);
                        if (gn.child("Vertices") != null && gn.child("PolygonVertexIndex") != null) {
                            geomNode = gn;
                            geomId = g;
                            break;
                        }
                    }
                }
                if (geomNode != null) {
                    // A geometry placed by several models is one mesh (instancing) unless a geometric transform
                    // or a different material list makes the placements differ.
                    FbxGeometry.Built shared = meshes.get(geomId);
                    if (shared != null && geometric.isIdentity() && java.util.Arrays.equals(mats, sharedSlots.get(geomId))) {
                        e.getValue().mesh(shared.mesh());
                        continue;
                    }
                    sharedSlots.put(geomId, mats);
                    FbxGeometry.Built built = geometry.build(geomNode, e.getValue().name(), geometric, mats);
                    if (built != null && !built.mesh().primitives().isEmpty()) {
                        e.getValue().mesh(built.mesh());
                        meshes.put(geomId, built);
                        geometryNode.put(geomId, e.getValue());
                    }
                }
            }
            hierarchy();
            if (!axes.isIdentity()) {
                for (Node root : scene.roots()) {
                    root.local(axes.then(root.local()));
                }
            }
            new FbxDeformers(this).run();
        }

        /**
         * Places each model under its parent model (its first OO connection to one). The parent chains are walked
         * iteratively with each model's depth remembered, so a long chain costs its length once; a chain that
         * returns to its start or runs deeper than {@link ReadOptions#maxNodeDepth} is refused.
         */
        private void hierarchy() {
            Map<Object, Object> parentOf = new HashMap<>();
            for (Object id : nodes.keySet()) {
                for (FbxDocument.Connection c : doc.parents(id)) {
                    if (c.type().equals("OO") && nodes.containsKey(c.parent())) {
                        if (c.parent().equals(id)) {
                            throw new BadInputException(doc.file, "model '" + nodes.get(id).name() + "' is connected "
                                    + "to itself as its parent");
                        }
                        parentOf.put(id, c.parent());
                        break;
                    }
                }
            }
            Map<Object, Integer> depth = new HashMap<>();
            for (Object id : nodes.keySet()) {
                List<Object> chain = new ArrayList<>();
                java.util.Set<Object> onChain = new java.util.HashSet<>();
                Object at = id;
                while (at != null && !depth.containsKey(at)) {
                    if (!onChain.add(at)) {
                        StringBuilder names = new StringBuilder();
                        for (Object x : chain.subList(chain.indexOf(at), chain.size())) {
                            names.append("'").append(nodes.get(x).name()).append("' -> ");
                        }
                        throw new BadInputException(doc.file, "the model hierarchy has a cycle: " + names + "'"
                                + nodes.get(at).name() + "'");
                    }
                    chain.add(at);
                    at = parentOf.get(at);
                }
                int d = at == null ? 0 : depth.get(at);
                for (int k = chain.size() - 1; k >= 0; k--) {
                    d++;
                    if (d > options.maxNodeDepth()) {
                        throw new LimitExceededException(doc.file + ": its model hierarchy is deeper than "
                                + options.maxNodeDepth() + " levels (model '" + nodes.get(chain.get(k)).name()
                                + "'), the limit (ReadOptions.maxNodeDepth)");
                    }
                    depth.put(chain.get(k), d);
                }
            }
            for (Map.Entry<Object, Node> e : nodes.entrySet()) {
                Object p = parentOf.get(e.getKey());
                if (p != null) {
                    nodes.get(p).add(e.getValue());
                } else {
                    scene.addRoot(e.getValue());
                }
            }
        }

        /** The transform, refused where a NaN or infinity in a property (a pivot, say) would reach the vertices. */
        private Transform requireFinite(Transform t, String model, Map<String, FbxNode> props) {
            for (double v : t.toArray()) {
                if (!Double.isFinite(v)) {
                    String culprit = "";
                    for (Map.Entry<String, FbxNode> p : props.entrySet()) {
                        for (Object x : p.getValue().props) {
                            if (culprit.isEmpty() && x instanceof Number num && !Double.isFinite(num.doubleValue())) {
                                culprit = " (property " + p.getKey() + " holds " + num + ")";
                            }
                        }
                    }
                    throw new BadInputException(doc.file, "model '" + model + "': its transform is not finite"
                            + culprit);
                }
            }
            return t;
        }

        private void globalSettings() {
            FbxNode gs = doc.root.child("GlobalSettings");
            Map<String, FbxNode> g = gs == null ? Map.of() : doc.properties(gs);
            double unit = FbxDocument.number(g, "UnitScaleFactor", 1);
            if (!(unit > 0) || !Double.isFinite(unit)) {
                scene.warn("GlobalSettings: UnitScaleFactor " + unit + " is not a positive number; centimetres assumed");
                unit = 1;
            }
            int up = (int) FbxDocument.number(g, "UpAxis", 1);
            boolean zUp = up == 2;
            axes = FbxTransforms.axisConversion(g, zUp);
            scene.units(new Units(unit / 100.0, zUp ? UpAxis.Z : UpAxis.Y, gs != null));
        }
    }
}
