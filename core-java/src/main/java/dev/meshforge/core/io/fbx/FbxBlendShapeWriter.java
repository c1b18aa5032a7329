// Writes morph targets as FBX blend shapes: one BlendShape deformer a geometry, a channel and Shape a target.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.VertexAttribute;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import static dev.meshforge.core.io.fbx.FbxWriterNodes.leaf;
import static dev.meshforge.core.io.fbx.FbxWriterNodes.p;
import static dev.meshforge.core.io.fbx.FbxWriterNodes.props;

/**
 * A target's POSITION displacements become a Shape geometry over the control points it moves (Indexes, and their
 * offsets as Vertices, as FBX shapes hold them), under a BlendShapeChannel at the mesh's default weight. Where
 * vertices merged into one control point are displaced differently, the first one's displacement is kept.
 * The channels' ids are returned per mesh, in target order, for the morph-weight animation to drive their
 * DeformPercent.
 */
final class FbxBlendShapeWriter {
    private FbxBlendShapeWriter() {
    }

    static Map<Mesh, long[]> write(Map<Mesh, Long> geometries, Map<Mesh, int[]> controlPoints, FbxNode objects,
                                   LongSupplier ids, FbxSkinWriter.Connector connect, Consumer<String> count) {
        Map<Mesh, long[]> channels = new java.util.IdentityHashMap<>();
        for (Map.Entry<Mesh, Long> g : geometries.entrySet()) {
            Mesh mesh = g.getKey();
            int[] cpOf = controlPoints.get(mesh);
            List<Primitive> prims = new ArrayList<>();
            int targets = Integer.MAX_VALUE;
            for (Primitive p : mesh.primitives()) {
                if (p.topology() == Topology.TRIANGLES && p.triangleCount() > 0) {
                    prims.add(p);
                    targets = Math.min(targets, p.targets().size());
                }
            }
            if (prims.isEmpty() || targets == 0 || cpOf == null) {
                continue;
            }
            long deformer = ids.getAsLong();
            objects.children.add(leaf("Deformer", deformer, mesh.name() + "\u0000\u0001Deformer", "BlendShape"));
            objects.children.get(objects.children.size() - 1).children.add(leaf("Version", 100));
            count.accept("Deformer");
            connect.connect("OO", deformer, g.getValue(), null);
            float[] weights = mesh.weights();
            long[] channelIds = new long[targets];
            channels.put(mesh, channelIds);
            for (int t = 0; t < targets; t++) {
                TreeMap<Integer, double[]> moved = new TreeMap<>();
                int base = 0;
                for (Primitive p : prims) {
                    VertexAttribute d = p.targets().get(t).get(VertexAttribute.POSITION);
                    for (int v = 0; d != null && v < p.vertexCount(); v++) {
                        int cp = cpOf[base + v];
                        double x = d.get(v, 0);
                        double y = d.get(v, 1);
                        double z = d.get(v, 2);
                        if (cp >= 0 && (x != 0 || y != 0 || z != 0)) {
                            moved.putIfAbsent(cp, new double[] {x, y, z});
                        }
                    }
                    base += (int) p.vertexCount();
                }
                int[] indexes = new int[moved.size()];
                double[] offsets = new double[moved.size() * 3];
                int i = 0;
                for (Map.Entry<Integer, double[]> e : moved.entrySet()) {
                    indexes[i] = e.getKey();
                    System.arraycopy(e.getValue(), 0, offsets, 3 * i++, 3);
                }
                String name = "target" + t;
                long channel = ids.getAsLong();
                channelIds[t] = channel;
                FbxNode ch = leaf("Deformer", channel, name + "\u0000\u0001SubDeformer", "BlendShapeChannel");
                ch.children.add(leaf("Version", 100));
                ch.children.add(leaf("DeformPercent", weights != null && t < weights.length ? 100.0 * weights[t] : 0.0));
                ch.children.add(leaf("FullWeights", new double[] {100.0}));
                ch.children.add(props(p("DeformPercent", "Number", "", "A",
                        weights != null && t < weights.length ? 100.0 * weights[t] : 0.0)));
                objects.children.add(ch);
                count.accept("Deformer");
                connect.connect("OO", channel, deformer, null);
                long shape = ids.getAsLong();
                FbxNode s = leaf("Geometry", shape, name + "\u0000\u0001Geometry", "Shape");
                s.children.add(leaf("Version", 100));
                s.children.add(leaf("Indexes", indexes));
                s.children.add(leaf("Vertices", offsets));
                s.children.add(leaf("Normals", new double[offsets.length]));
                objects.children.add(s);
                count.accept("Geometry");
                connect.connect("OO", shape, channel, null);
            }
        }
        return channels;
    }
}
