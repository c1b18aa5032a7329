// Writes the scene's skins as FBX Skin deformers with one Cluster per joint, and a bind pose.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Skin;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.VertexAttribute;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * For each skinned mesh node: a {@code Skin} deformer on its geometry and one {@code Cluster} per joint with the
 * control points (the geometry's merged vertices) it weights. {@code Transform} is the mesh node's rest world
 * matrix and {@code TransformLink} = Transform x inverse(inverse bind matrix), the bone's world matrix at bind
 * time, as FBX consumers compute {@code TransformLink^-1 * Transform} back. A BindPose lists both.
 */
final class FbxSkinWriter {
    private FbxSkinWriter() {
    }

    interface Connector {
        void connect(String type, long child, long parent, String property);
    }

    /**
     * @param controlPoints per mesh, the control point of each triangle-primitive vertex in order (-1: unused);
     *                      vertices merged into one control point carry the same skinning
     */
    static void write(Scene scene, FbxNode objects, Map<Node, Long> models, Map<Mesh, Long> geometries,
                      Map<Mesh, int[]> controlPoints, LongSupplier ids, Connector connect, Consumer<String> count) {
        Map<Node, Transform> world = new IdentityHashMap<>();
        for (Node r : scene.roots()) {
            index(r, Transform.IDENTITY, world);
        }
        Map<Mesh, Boolean> done = new IdentityHashMap<>();
        for (Map.Entry<Node, Long> e : models.entrySet()) {
            Node node = e.getKey();
            Skin skin = node.skin();
            Mesh mesh = node.mesh();
            if (skin == null || mesh == null || !geometries.containsKey(mesh) || done.containsKey(mesh)) {
                continue;
            }
            done.put(mesh, true);
            List<Primitive> prims = new ArrayList<>();
            for (Primitive p : mesh.primitives()) {
                if (p.topology() == Topology.TRIANGLES && p.triangleCount() > 0) {
                    prims.add(p);
                }
            }
            int joints = skin.joints().size();
            List<List<Integer>> idx = new ArrayList<>();
            List<List<Double>> wts = new ArrayList<>();
            for (int j = 0; j < joints; j++) {
                idx.add(new ArrayList<>());
                wts.add(new ArrayList<>());
            }
            int base = 0;
            int[] cpOf = controlPoints.get(mesh);
            java.util.BitSet written = new java.util.BitSet();
            for (Primitive p : prims) {
                VertexAttribute js = p.attribute("JOINTS_0");
                VertexAttribute ws = p.attribute("WEIGHTS_0");
                if (js != null && ws != null) {
                    for (long v = 0; v < p.vertexCount(); v++) {
                        int cp = cpOf[base + (int) v];
                        if (cp < 0 || written.get(cp)) {
                            continue; // unused, or merged with a vertex of the same skinning already written
                        }
                        written.set(cp);
                        for (int k = 0; k < Math.min(4, Math.min(js.components(), ws.components())); k++) {
                            int j = Math.round(js.get(v, k));
                            float w = ws.get(v, k);
                            if (w > 0 && j >= 0 && j < joints) {
                                idx.get(j).add(cp);
                                wts.get(j).add((double) w);
                            }
                        }
                    }
                }
                base += (int) p.vertexCount();
            }
            Transform meshWorld = world.getOrDefault(node, Transform.IDENTITY);
            long skinId = ids.getAsLong();
            FbxNode sk = FbxWriterNodes.leaf("Deformer", skinId, skin.name() + "\u0000\u0001Deformer", "Skin");
            sk.children.add(FbxWriterNodes.leaf("Version", 101));
            sk.children.add(FbxWriterNodes.leaf("Link_DeformAcuracy", 50.0));
            objects.children.add(sk);
            count.accept("Deformer");
            connect.connect("OO", skinId, geometries.get(mesh), null);
            long poseId = ids.getAsLong();
            FbxNode pose = FbxWriterNodes.leaf("Pose", poseId, "BindPose\u0000\u0001Pose", "BindPose");
            pose.children.add(FbxWriterNodes.leaf("Type", "BindPose"));
            pose.children.add(FbxWriterNodes.leaf("Version", 100));
            List<FbxNode> poseNodes = new ArrayList<>();
            poseNodes.add(poseNode(e.getValue(), meshWorld));
            for (int j = 0; j < joints; j++) {
                Node joint = skin.joints().get(j);
                Long jointModel = models.get(joint);
                if (jointModel == null) {
                    continue;
                }
                Transform ibm = Transform.IDENTITY;
                if (skin.inverseBindMatrices() != null) {
                    double[] m = new double[16];
                    for (int k = 0; k < 16; k++) {
                        m[k] = skin.inverseBindMatrices().getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, j * 16L + k);
                    }
                    ibm = Transform.of(m);
                }
                Transform link = meshWorld.then(FbxTransforms.inverse(ibm));
                long cid = ids.getAsLong();
                FbxNode c = FbxWriterNodes.leaf("Deformer", cid, joint.name() + "\u0000\u0001SubDeformer", "Cluster");
                c.children.add(FbxWriterNodes.leaf("Version", 100));
                c.children.add(FbxWriterNodes.leaf("UserData", "", ""));
                c.children.add(FbxWriterNodes.leaf("Indexes", idx.get(j).stream().mapToInt(Integer::intValue).toArray()));
                c.children.add(FbxWriterNodes.leaf("Weights", wts.get(j).stream().mapToDouble(Double::doubleValue)
                        .toArray()));
                c.children.add(FbxWriterNodes.leaf("Transform", meshWorld.toArray()));
                c.children.add(FbxWriterNodes.leaf("TransformLink", link.toArray()));
                objects.children.add(c);
                count.accept("Deformer");
                connect.connect("OO", cid, skinId, null);
                connect.connect("OO", jointModel, cid, null);
                poseNodes.add(poseNode(jointModel, link));
            }
            pose.children.add(FbxWriterNodes.leaf("NbPoseNodes", poseNodes.size()));
            pose.children.addAll(poseNodes);
            objects.children.add(pose);
            count.accept("Pose");
        }
    }

    private static FbxNode poseNode(long model, Transform matrix) {
        FbxNode pn = new FbxNode("PoseNode");
        pn.children.add(FbxWriterNodes.leaf("Node", model));
        pn.children.add(FbxWriterNodes.leaf("Matrix", matrix.toArray()));
        return pn;
    }

    private static void index(Node n, Transform parent, Map<Node, Transform> world) {
        if (world.containsKey(n)) {
            return;
        }
        Transform w = parent.then(n.local());
        world.put(n, w);
        for (Node c : n.children()) {
            index(c, w, world);
        }
    }
}
