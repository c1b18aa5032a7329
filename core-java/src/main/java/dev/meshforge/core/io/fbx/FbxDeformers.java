// Skins (clusters), blend shapes and skeletal animation of an FBX file, applied to the built scene.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Skin;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.VertexAttribute;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Skins: a geometry's {@code Skin} deformer holds one {@code Cluster} per bone with control point indices and
 * weights; each vertex keeps its four largest weights, normalised, as JOINTS_0/WEIGHTS_0. The inverse bind
 * matrix of a joint is {@code TransformLink^-1 * Transform} (bone and mesh at bind time), with the bind pose
 * standing in for a missing TransformLink; in files Blender wrote, Transform is already relative to the bone.
 * Blend shapes: each {@code BlendShapeChannel} becomes a morph target of position (and normal) deltas, its {@code DeformPercent} the default weight. Animations: each
 * {@code AnimationStack} is sampled at the key times of its curves; the full FBX transform is evaluated there
 * and split into translation, rotation and scale keys; DeformPercent curves on blend-shape channels become a
 * morph-weight channel of the mesh's node.
 */
final class FbxDeformers {
    private static final double KTIME_PER_SECOND = 46_186_158_000.0;
    private static final int MAX_KEYS = 100_000;

    private final FbxReader.Build b;
    private final FbxDocument doc;
    private final Scene scene;

    /**
     * Whether the file's clusters hold {@code Transform} relative to their bone (TransformLink^-1 x the mesh's
     * world matrix), as Blender's exporter writes and its importer reads them, instead of the mesh's world matrix
     * the FBX SDK writes: a Blender file read the SDK's way places every bone a second TransformLink away.
     */
    private final boolean boneRelativeClusters;
    /** BlendShapeChannel ids and the morph targets they became, for their DeformPercent animation. */
    private final Map<Object, ShapeChannel> shapeChannels = new HashMap<>();

    FbxDeformers(FbxReader.Build build) {
        this.b = build;
        this.doc = build.doc;
        this.scene = build.scene;
        FbxNode header = doc.root.child("FBXHeaderExtension");
        FbxNode creator = doc.root.child("Creator");
        if (creator == null && header != null) {
            creator = header.child("Creator");
        }
        this.boneRelativeClusters = creator != null && !creator.props.isEmpty()
                && creator.string(0).startsWith("Blender");
    }

    void run() {
        Map<Object, Transform> bindPose = bindPose();
        for (Map.Entry<Object, FbxGeometry.Built> e : b.meshes.entrySet()) {
            Object geom = e.getKey();
            for (Object d : doc.childObjects(geom, "Deformer")) {
                String sub = doc.subclassOf(doc.objects.get(d));
                if (sub.equals("Skin")) {
                    skin(d, e.getValue(), b.geometryNode.get(geom), bindPose);
                } else if (sub.equals("BlendShape")) {
                    blendShape(d, e.getValue(), b.geometryNode.get(geom));
                }
            }
        }
        for (Map.Entry<Object, FbxNode> e : doc.objects.entrySet()) {
            if (e.getValue().name.equals("AnimationStack")) {
                animation(e.getKey(), e.getValue());
            }
        }
    }

    private Map<Object, Transform> bindPose() {
        Map<Object, Transform> out = new HashMap<>();
        for (FbxNode o : doc.objects.values()) {
            if (o.name.equals("Pose") && doc.subclassOf(o).equals("BindPose")) {
                for (FbxNode pn : o.all("PoseNode")) {
                    FbxNode node = pn.child("Node");
                    double[] m = pn.childDoubles("Matrix");
                    if (node != null && m != null && m.length >= 16) {
                        Object id = node.prop(0) instanceof Number n ? (Object) n.longValue() : node.string(0);
                        out.putIfAbsent(id, FbxTransforms.matrix(m));
                    }
                }
            }
        }
        return out;
    }

    private void skin(Object skinId, FbxGeometry.Built built, Node meshNode, Map<Object, Transform> bindPose) {
        List<Node> joints = new ArrayList<>();
        List<Transform> inverseBinds = new ArrayList<>();
        int cps = built.controlPointCount();
        // Per control point: up to 4 (joint, weight) pairs, kept sorted by weight.
        int[] jointOf = new int[cps * 4];
        float[] weightOf = new float[cps * 4];
        int clusters = 0;
        int weighted = 0;
        for (Object c : doc.childObjects(skinId, "Deformer")) {
            FbxNode cluster = doc.objects.get(c);
            if (!doc.subclassOf(cluster).equals("Cluster")) {
                continue;
            }
            Object boneId = null;
            for (Object m : doc.childObjects(c, "Model")) {
                boneId = m;
                break;
            }
            Node bone = boneId == null ? null : b.nodes.get(boneId);
            if (bone == null) {
                continue;
            }
            int joint = joints.indexOf(bone);
            if (joint < 0) {
                joint = joints.size();
                joints.add(bone);
                Transform mesh = FbxTransforms.matrix(cluster.childDoubles("Transform"));
                double[] link = cluster.childDoubles("TransformLink");
                Transform linkT = link != null && link.length >= 16 ? FbxTransforms.matrix(link)
                        : bindPose.getOrDefault(boneId, Transform.IDENTITY);
                if (boneRelativeClusters) {
                    mesh = linkT.then(mesh);
                }
                inverseBinds.add(FbxTransforms.inverse(linkT).then(mesh));
            }
            clusters++;
            int[] idx = cluster.childInts("Indexes");
            double[] w = cluster.childDoubles("Weights");
            if (idx == null || w == null) {
                continue;
            }
            weighted++;
            for (int i = 0; i < Math.min(idx.length, w.length); i++) {
                int cp = idx[i];
                float weight = (float) w[i];
                if (cp < 0 || cp >= cps || !(weight > 0)) {
                    continue;
                }
                insert(jointOf, weightOf, cp * 4, joint, weight);
            }
        }
        if (joints.isEmpty()) {
            return;
        }
        if (weighted == 0) {
            scene.warn("skin '" + doc.nameOf(doc.objects.get(skinId)) + "': its " + clusters
                    + " clusters weight no control point; every vertex follows the first joint");
        }
        addSkeleton(joints, inverseBinds, meshNode);
        MemorySegment ibm = scene.allocateFloats(joints.size() * 16L);
        for (int j = 0; j < joints.size(); j++) {
            double[] m = inverseBinds.get(j).toArray();
            for (int k = 0; k < 16; k++) {
                ibm.setAtIndex(ValueLayout.JAVA_FLOAT, j * 16L + k, (float) m[k]);
            }
        }
        Skin skin = new Skin(doc.nameOf(doc.objects.get(skinId)), joints, null, ibm);
        scene.skins().add(skin);
        if (meshNode != null) {
            meshNode.skin(skin);
        }
        // Each control point's four joints and normalised weights, shared by all the vertices made from it.
        float[] cpJoints = new float[cps * 4];
        float[] cpWeights = new float[cps * 4];
        for (int o = 0; o < cps * 4; o += 4) {
            float sum = 0;
            for (int k = 0; k < 4; k++) {
                sum += weightOf[o + k];
            }
            for (int k = 0; k < 4; k++) {
                float w = sum > 0 ? weightOf[o + k] / sum : (k == 0 ? 1 : 0);
                cpJoints[o + k] = w > 0 ? jointOf[o + k] : 0;
                cpWeights[o + k] = w;
            }
        }
        for (int p = 0; p < built.mesh().primitives().size(); p++) {
            Primitive prim = built.mesh().primitives().get(p);
            MemorySegment cpOf = built.controlPoints().get(p);
            long n = prim.vertexCount();
            // Staged on the heap from the per-control-point values, a block of vertices at a time.
            MemorySegment js = scene.allocateFloats(n * 4);
            MemorySegment ws = scene.allocateFloats(n * 4);
            int block = (int) Math.min(n, 4096);
            float[] jf = new float[block * 4];
            float[] wf = new float[block * 4];
            for (int first = 0; first < n; first += block) {
                int m = (int) Math.min(block, n - first);
                for (int i = 0; i < m; i++) {
                    int o = cpOf.getAtIndex(ValueLayout.JAVA_INT, first + i) * 4;
                    int d = i * 4;
                    jf[d] = cpJoints[o];
                    jf[d + 1] = cpJoints[o + 1];
                    jf[d + 2] = cpJoints[o + 2];
                    jf[d + 3] = cpJoints[o + 3];
                    wf[d] = cpWeights[o];
                    wf[d + 1] = cpWeights[o + 1];
                    wf[d + 2] = cpWeights[o + 2];
                    wf[d + 3] = cpWeights[o + 3];
                }
                MemorySegment.copy(jf, 0, js, ValueLayout.JAVA_FLOAT, first * 16L, m * 4);
                MemorySegment.copy(wf, 0, ws, ValueLayout.JAVA_FLOAT, first * 16L, m * 4);
            }
            prim.put(new VertexAttribute("JOINTS_0", 4, n, js));
            prim.put(new VertexAttribute("WEIGHTS_0", 4, n, ws));
        }
    }

    /**
     * Completes a skin's joints with the rest of its skeleton: the LimbNode models above and below the
     * clustered bones (end bones and roots carry no weights but belong to the rig). Their inverse bind matrices
     * follow their parent's bind matrix where the parent is a joint, else the rest pose of the scene graph.
     */
    private void addSkeleton(List<Node> joints, List<Transform> inverseBinds, Node meshNode) {
        Map<Node, Node> parent = new java.util.IdentityHashMap<>();
        Map<Node, Transform> world = new java.util.IdentityHashMap<>();
        for (Node r : scene.roots()) {
            index(r, null, Transform.IDENTITY, parent, world);
        }
        java.util.Set<Node> limbs = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Map.Entry<Object, Node> e : b.nodes.entrySet()) {
            String sub = doc.subclassOf(doc.objects.get(e.getKey()));
            if (sub.equals("LimbNode") || sub.equals("Limb") || sub.equals("Root")) {
                limbs.add(e.getValue());
            }
        }
        // Tops in the order of the joints that lead to them, so that the added joints (and with them the inverse
        // bind matrices) come out in the same order on every run.
        java.util.Set<Node> tops = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<Node> topOrder = new ArrayList<>();
        for (Node j : joints) {
            Node top = j;
            while (parent.get(top) != null && limbs.contains(parent.get(top))) {
                top = parent.get(top);
            }
            if (tops.add(top)) {
                topOrder.add(top);
            }
        }
        Transform meshWorld = meshNode == null ? Transform.IDENTITY : world.getOrDefault(meshNode, Transform.IDENTITY);
        // each joint's world matrix at bind time: a clustered bone's from its cluster
        Map<Node, Transform> bindWorld = new java.util.IdentityHashMap<>();
        for (int j = 0; j < joints.size(); j++) {
            bindWorld.put(joints.get(j), meshWorld.then(FbxTransforms.inverse(inverseBinds.get(j))));
        }
        List<Node> stack = new ArrayList<>(topOrder.reversed());
        while (!stack.isEmpty()) {
            Node n = stack.removeLast();
            if ((limbs.contains(n) || tops.contains(n)) && !joints.contains(n)) {
                // a bone without a cluster (an end bone, say) keeps its place under its parent's bind matrix, as
                // importers place it (Blender: a leaf under a bone bound away from its rest pose)
                Transform parentBind = parent.get(n) == null ? null : bindWorld.get(parent.get(n));
                Transform bind = parentBind != null ? parentBind.then(n.local())
                        : world.getOrDefault(n, Transform.IDENTITY);
                bindWorld.put(n, bind);
                joints.add(n);
                inverseBinds.add(FbxTransforms.inverse(bind).then(meshWorld));
            }
            for (Node c : n.children()) {
                if (limbs.contains(c)) {
                    stack.add(c);
                }
            }
        }
    }

    private static void index(Node n, Node p, Transform parentWorld, Map<Node, Node> parent,
                              Map<Node, Transform> world) {
        if (world.containsKey(n)) {
            return;
        }
        parent.put(n, p);
        Transform w = parentWorld.then(n.local());
        world.put(n, w);
        for (Node c : n.children()) {
            index(c, n, w, parent, world);
        }
    }

    /** Keeps the four largest weights of one control point (at {@code o}), largest first. */
    private static void insert(int[] joints, float[] weights, int o, int joint, float weight) {
        for (int k = 0; k < 4; k++) {
            if (weights[o + k] > 0 && joints[o + k] == joint) {
                weights[o + k] += weight;
                return;
            }
        }
        int at = 4;
        while (at > 0 && weights[o + at - 1] < weight) {
            at--;
        }
        if (at >= 4) {
            return;
        }
        for (int k = 3; k > at; k--) {
            joints[o + k] = joints[o + k - 1];
            weights[o + k] = weights[o + k - 1];
        }
        joints[o + at] = joint;
        weights[o + at] = weight;
    }

    private void blendShape(Object shapeId, FbxGeometry.Built built, Node node) {
        List<float[]> deltas = new ArrayList<>();
        List<Object> channelIds = new ArrayList<>();
        List<float[]> normalDeltas = new ArrayList<>();
        List<Float> weights = new ArrayList<>();
        int cps = built.controlPointCount();
        for (Object ch : doc.childObjects(shapeId, "Deformer")) {
            FbxNode channel = doc.objects.get(ch);
            List<Object> shapes = doc.childObjects(ch, "Geometry");
            if (shapes.isEmpty()) {
                continue;
            }
            // In-between shapes: the last one is the full (100%) shape.
            FbxNode shape = doc.objects.get(shapes.get(shapes.size() - 1));
            int[] idx = shape.childInts("Indexes");
            double[] v = shape.childDoubles("Vertices");
            double[] nrm = shape.childDoubles("Normals");
            if (idx == null || v == null) {
                continue;
            }
            float[] d = new float[cps * 3];
            float[] nd = nrm != null ? new float[cps * 3] : null;
            for (int i = 0; i < idx.length && i * 3 + 2 < v.length; i++) {
                int cp = idx[i];
                if (cp < 0 || cp >= cps) {
                    continue;
                }
                for (int k = 0; k < 3; k++) {
                    d[cp * 3 + k] = (float) v[i * 3 + k];
                    if (nd != null && i * 3 + k < nrm.length) {
                        nd[cp * 3 + k] = (float) nrm[i * 3 + k];
                    }
                }
            }
            deltas.add(d);
            normalDeltas.add(nd);
            channelIds.add(ch);
            Map<String, FbxNode> p = doc.properties(channel);
            weights.add((float) (channel.childNumber("DeformPercent", FbxDocument.number(p, "DeformPercent", 0))
                    / 100.0));
        }
        if (deltas.isEmpty()) {
            return;
        }
        Mesh mesh = built.mesh();
        int first = mesh.primitives().isEmpty() ? 0 : mesh.primitives().get(0).targets().size();
        for (int t = 0; t < channelIds.size(); t++) {
            shapeChannels.put(channelIds.get(t), new ShapeChannel(mesh, node, first + t));
        }
        for (int p = 0; p < mesh.primitives().size(); p++) {
            Primitive prim = mesh.primitives().get(p);
            MemorySegment cpOf = built.controlPoints().get(p);
            long n = prim.vertexCount();
            for (int t = 0; t < deltas.size(); t++) {
                float[] d = deltas.get(t);
                MemorySegment seg = scene.allocateFloats(n * 3);
                for (int vi = 0; vi < n; vi++) {
                    int cp = cpOf.getAtIndex(ValueLayout.JAVA_INT, vi);
                    for (int k = 0; k < 3; k++) {
                        seg.setAtIndex(ValueLayout.JAVA_FLOAT, vi * 3L + k, d[cp * 3 + k]);
                    }
                }
                Map<String, VertexAttribute> target = new LinkedHashMap<>();
                target.put(VertexAttribute.POSITION, new VertexAttribute(VertexAttribute.POSITION, 3, n, seg));
                prim.addTarget(target);
            }
        }
        float[] w = new float[weights.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.max(0, Math.min(1, weights.get(i)));
        }
        mesh.weights(w);
    }

    /** The morph target a BlendShapeChannel became: its mesh, a node placing it, the target's number. */
    private record ShapeChannel(Mesh mesh, Node node, int target) {
    }

    /** One curve: key times (seconds) and values. */
    private record Curve(double[] times, double[] values) {
        double at(double t, double fallback) {
            if (times.length == 0) {
                return fallback;
            }
            if (t <= times[0]) {
                return values[0];
            }
            int last = times.length - 1;
            if (t >= times[last]) {
                return values[last];
            }
            int lo = 0;
            int hi = last;
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                if (times[mid] <= t) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            double f = (t - times[lo]) / (times[hi] - times[lo]);
            return values[lo] + (values[hi] - values[lo]) * f;
        }
    }

    private void animation(Object stackId, FbxNode stack) {
        // model -> property ("Lcl Translation", ...) -> 3 curves (null where the component is not animated)
        Map<Object, Map<String, Curve[]>> animated = new LinkedHashMap<>();
        // mesh -> target -> its DeformPercent curve (percent), from curve nodes on BlendShapeChannels
        Map<Mesh, Map<Integer, Curve>> morphs = new java.util.IdentityHashMap<>();
        Map<Mesh, Node> morphNodes = new java.util.IdentityHashMap<>();
        for (Object layer : doc.childObjects(stackId, "AnimationLayer")) {
            for (Object cn : doc.childObjects(layer, "AnimationCurveNode")) {
                for (FbxDocument.Connection c : doc.parents(cn)) {
                    ShapeChannel shape = shapeChannels.get(c.parent());
                    if (c.type().equals("OP") && shape != null && shape.node() != null
                            && "DeformPercent".equals(c.property())) {
                        for (FbxDocument.Connection cc : doc.children(cn)) {
                            FbxNode curve = doc.objects.get(cc.child());
                            Curve parsed = curve == null || !curve.name.equals("AnimationCurve") ? null : curve(curve);
                            if (parsed != null && parsed.times.length > 0) {
                                morphs.computeIfAbsent(shape.mesh(), k -> new HashMap<>())
                                        .putIfAbsent(shape.target(), parsed);
                                morphNodes.putIfAbsent(shape.mesh(), shape.node());
                            }
                        }
                        continue;
                    }
                    if (!c.type().equals("OP") || !b.nodes.containsKey(c.parent())) {
                        continue;
                    }
                    String prop = c.property();
                    if (!prop.equals("Lcl Translation") && !prop.equals("Lcl Rotation")
                            && !prop.equals("Lcl Scaling")) {
                        continue;
                    }
                    Curve[] curves = animated.computeIfAbsent(c.parent(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(prop, k -> new Curve[3]);
                    for (FbxDocument.Connection cc : doc.children(cn)) {
                        FbxNode curve = doc.objects.get(cc.child());
                        if (curve == null || !curve.name.equals("AnimationCurve")) {
                            continue;
                        }
                        String p = cc.property();
                        int axis = p.endsWith("X") ? 0 : p.endsWith("Y") ? 1 : p.endsWith("Z") ? 2 : -1;
                        Curve parsed = curve(curve);
                        if (axis >= 0 && parsed != null && curves[axis] == null) {
                            curves[axis] = parsed;
                        }
                    }
                }
            }
        }
        List<dev.meshforge.core.scene.Animation.Sampler> samplers = new ArrayList<>();
        List<dev.meshforge.core.scene.Animation.Channel> channels = new ArrayList<>();
        double start = Double.POSITIVE_INFINITY;
        for (Map<String, Curve[]> m : animated.values()) {
            for (Curve[] cs : m.values()) {
                for (Curve c : cs) {
                    if (c != null && c.times.length > 0) {
                        start = Math.min(start, c.times[0]);
                    }
                }
            }
        }
        for (Map<Integer, Curve> m : morphs.values()) {
            for (Curve c : m.values()) {
                start = Math.min(start, c.times[0]);
            }
        }
        if (start == Double.POSITIVE_INFINITY) {
            return;
        }
        for (Map.Entry<Mesh, Map<Integer, Curve>> e : morphs.entrySet()) {
            morphWeights(e.getKey(), morphNodes.get(e.getKey()), e.getValue(), start, samplers, channels);
        }
        for (Map.Entry<Object, Map<String, Curve[]>> e : animated.entrySet()) {
            Node node = b.nodes.get(e.getKey());
            Map<String, FbxNode> props = doc.properties(doc.objects.get(e.getKey()));
            java.util.TreeSet<Double> times = new java.util.TreeSet<>();
            for (Curve[] cs : e.getValue().values()) {
                for (Curve c : cs) {
                    if (c != null) {
                        for (double t : c.times) {
                            times.add(t);
                        }
                    }
                }
            }
            if (times.isEmpty() || times.size() > MAX_KEYS) {
                if (times.size() > MAX_KEYS) {
                    scene.warn("animation of '" + node.name() + "': more than " + MAX_KEYS + " keys, not read");
                }
                continue;
            }
            boolean root = scene.roots().contains(node);
            int n = times.size();
            float[] tt = new float[n];
            float[] tv = new float[n * 3];
            float[] rv = new float[n * 4];
            float[] sv = new float[n * 3];
            int k = 0;
            for (double t : times) {
                Map<String, FbxNode> at = new HashMap<>(props);
                for (Map.Entry<String, Curve[]> pc : e.getValue().entrySet()) {
                    double[] base = FbxDocument.vector(props, pc.getKey(),
                            pc.getKey().equals("Lcl Scaling") ? new double[] {1, 1, 1} : new double[3]);
                    FbxNode p = new FbxNode("P");
                    p.props.add(pc.getKey());
                    p.props.add("");
                    p.props.add("");
                    p.props.add("A");
                    for (int a = 0; a < 3; a++) {
                        Curve c = pc.getValue()[a];
                        p.props.add(c == null ? base[a] : c.at(t, base[a]));
                    }
                    at.put(pc.getKey(), p);
                }
                Transform local = FbxTransforms.local(at);
                if (root) {
                    local = b.axes.then(local);
                }
                double[] trs = local.toTrs();
                tt[k] = (float) (t - start);
                for (int a = 0; a < 3; a++) {
                    tv[k * 3 + a] = (float) trs[a];
                    sv[k * 3 + a] = (float) trs[7 + a];
                }
                for (int a = 0; a < 4; a++) {
                    rv[k * 4 + a] = (float) trs[3 + a];
                }
                if (k > 0) {
                    // Keep the shortest path between successive rotations.
                    double dot = 0;
                    for (int a = 0; a < 4; a++) {
                        dot += rv[k * 4 + a] * rv[(k - 1) * 4 + a];
                    }
                    if (dot < 0) {
                        for (int a = 0; a < 4; a++) {
                            rv[k * 4 + a] = -rv[k * 4 + a];
                        }
                    }
                }
                k++;
            }
            MemorySegment times32 = segment(tt);
            samplers.add(new dev.meshforge.core.scene.Animation.Sampler(times32, n, segment(tv), n * 3L, 3,
                    dev.meshforge.core.scene.Animation.Interpolation.LINEAR));
            channels.add(new dev.meshforge.core.scene.Animation.Channel(samplers.size() - 1, node,
                    dev.meshforge.core.scene.Animation.Path.TRANSLATION));
            samplers.add(new dev.meshforge.core.scene.Animation.Sampler(times32, n, segment(rv), n * 4L, 4,
                    dev.meshforge.core.scene.Animation.Interpolation.LINEAR));
            channels.add(new dev.meshforge.core.scene.Animation.Channel(samplers.size() - 1, node,
                    dev.meshforge.core.scene.Animation.Path.ROTATION));
            samplers.add(new dev.meshforge.core.scene.Animation.Sampler(times32, n, segment(sv), n * 3L, 3,
                    dev.meshforge.core.scene.Animation.Interpolation.LINEAR));
            channels.add(new dev.meshforge.core.scene.Animation.Channel(samplers.size() - 1, node,
                    dev.meshforge.core.scene.Animation.Path.SCALE));
        }
        if (!channels.isEmpty()) {
            String name = doc.nameOf(stack);
            scene.animations().add(new dev.meshforge.core.scene.Animation(name, samplers, channels));
        }
    }

    /**
     * A WEIGHTS channel on {@code node}: every target's weight (its curve's percent / 100, else the mesh's default
     * weight) at each key time of any of the mesh's DeformPercent curves.
     */
    private void morphWeights(Mesh mesh, Node node, Map<Integer, Curve> curves, double start,
                              List<dev.meshforge.core.scene.Animation.Sampler> samplers,
                              List<dev.meshforge.core.scene.Animation.Channel> channels) {
        int targets = mesh.primitives().isEmpty() ? 0 : mesh.primitives().get(0).targets().size();
        java.util.TreeSet<Double> times = new java.util.TreeSet<>();
        curves.values().forEach(c -> java.util.Arrays.stream(c.times).forEach(times::add));
        if (targets == 0 || times.size() > MAX_KEYS) {
            return;
        }
        float[] rest = mesh.weights();
        int n = times.size();
        float[] tt = new float[n];
        float[] wv = new float[n * targets];
        int k = 0;
        for (double t : times) {
            tt[k] = (float) (t - start);
            for (int j = 0; j < targets; j++) {
                double fallback = rest != null && j < rest.length ? rest[j] : 0;
                Curve c = curves.get(j);
                wv[k * targets + j] = (float) (c == null ? fallback : c.at(t, 100 * fallback) / 100.0);
            }
            k++;
        }
        samplers.add(new dev.meshforge.core.scene.Animation.Sampler(segment(tt), n, segment(wv), (long) n * targets,
                targets, dev.meshforge.core.scene.Animation.Interpolation.LINEAR));
        channels.add(new dev.meshforge.core.scene.Animation.Channel(samplers.size() - 1, node,
                dev.meshforge.core.scene.Animation.Path.WEIGHTS));
    }

    private MemorySegment segment(float[] v) {
        MemorySegment s = scene.allocateFloats(Math.max(1, v.length));
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_FLOAT, 0, v.length);
        return s;
    }

    private static Curve curve(FbxNode c) {
        FbxNode kt = c.child("KeyTime");
        double[] values = c.childDoubles("KeyValueFloat");
        if (kt == null || values == null) {
            return null;
        }
        long[] raw;
        if (kt.props.size() == 1 && kt.props.get(0) instanceof long[] l) {
            raw = l;
        } else {
            double[] d = kt.doubles();
            raw = new long[d.length];
            for (int i = 0; i < d.length; i++) {
                raw[i] = (long) d[i];
            }
        }
        int n = Math.min(raw.length, values.length);
        double[] t = new double[n];
        double[] v = new double[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            double s = raw[i] / KTIME_PER_SECOND;
            if (!Double.isFinite(values[i]) || (m > 0 && s <= t[m - 1])) {
                continue;
            }
            t[m] = s;
            v[m] = values[i];
            m++;
        }
        return new Curve(java.util.Arrays.copyOf(t, m), java.util.Arrays.copyOf(v, m));
    }
}
