// Optimize step: primitives of static, single-placed meshes that share a material become one, in world space.
package dev.meshforge.core.optimize;

import dev.meshforge.core.scene.Animation;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.VertexAttribute;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Bakes the node transforms of static geometry into the vertices and joins the primitives that draw with the same
 * material, topology and attributes into one, as gltfpack does: fewer draw calls, accessors and JSON, and one
 * compressed stream a kind instead of many short ones. Static means: the mesh is placed by one node only (an
 * instanced mesh stays shared), that node has no skin and no morph weights, the mesh no morph targets, neither the
 * node nor any ancestor is an animation's target, and the node's world transform is invertible. Only primitives
 * that actually join another move; each joined primitive becomes a new unnamed mesh on a new unnamed root node
 * (a mesh a material rather than one for all: the writer quantizes positions on a grid over each mesh's box, so a
 * material's parts that span less of the scene keep a finer grid).
 * Meshes left without primitives are taken off their nodes, and nodes then placing nothing are removed, each by
 * name. Positions and the float64 copy are transformed in double precision, normals by the inverse transpose,
 * tangents by the matrix (their handedness flipped with a mirroring transform), and a mirroring transform reverses
 * the triangles' winding so that they keep facing out.
 */
public final class MergeMeshes {
    /** The largest vertex count of a joined primitive: its indices stay non-negative ints. */
    static final long MAX_VERTICES = Integer.MAX_VALUE;

    private MergeMeshes() {
    }

    private record Placed(Node node, Transform world, Primitive primitive) {
    }

    public static List<String> run(Scene scene) {
        List<String> changes = new ArrayList<>();
        Set<Node> animated = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Animation a : scene.animations()) {
            a.channels().forEach(c -> animated.add(c.target()));
        }
        Map<Mesh, Integer> placements = new IdentityHashMap<>();
        scene.forEachPlacedMesh((m, t) -> placements.merge(m, 1, Integer::sum));
        Map<String, List<Placed>> groups = new LinkedHashMap<>();
        for (Node root : scene.roots()) {
            collect(root, Transform.IDENTITY, false, animated, placements, groups);
        }
        List<Primitive> joined = new ArrayList<>();
        Set<Mesh> touched = Collections.newSetFromMap(new IdentityHashMap<>());
        for (List<Placed> group : groups.values()) {
            long vertices = group.stream().mapToLong(p -> p.primitive().vertexCount()).sum();
            if (group.size() < 2 || vertices > MAX_VERTICES) {
                continue;
            }
            joined.add(join(group, scene.arena()));
            for (Placed p : group) {
                Mesh m = p.node().mesh();
                m.primitives().remove(p.primitive());
                touched.add(m);
            }
            changes.add(group.size() + " primitives of material " + materialName(scene, group.get(0))
                    + " joined in world space, from " + String.join(", ", group.stream()
                    .map(p -> "mesh " + Dedup.name(p.node().mesh()) + " at node " + Dedup.name(p.node()))
                    .distinct().toList()));
        }
        if (joined.isEmpty()) {
            return changes;
        }
        scene.forEachPlacedNode((n, t) -> {
            if (n.mesh() != null && touched.contains(n.mesh()) && n.mesh().primitives().isEmpty()) {
                changes.add("mesh " + Dedup.name(n.mesh()) + ", all of it joined, from node " + Dedup.name(n));
                n.mesh(null);
            }
        });
        Prune.emptyNodes(scene, changes);
        // each joined primitive gets a mesh of its own, so that the writer's position grid spans only its box
        joined.forEach(q -> scene.addRoot(new Node("").mesh(new Mesh("").add(q))));
        return changes;
    }

    private static String materialName(Scene scene, Placed p) {
        int m = p.primitive().material();
        return m >= 0 && m < scene.materials().size() ? Dedup.name(scene.materials().get(m).name(), m) : "(default)";
    }

    private static void collect(Node n, Transform parent, boolean movedByAnimation, Set<Node> animated,
                                Map<Mesh, Integer> placements, Map<String, List<Placed>> groups) {
        Transform world = parent.then(n.local());
        boolean moving = movedByAnimation || animated.contains(n);
        Mesh m = n.mesh();
        if (m != null && !moving && n.skin() == null && n.weights() == null && placements.get(m) == 1
                && m.weights().length == 0 && invertible(world)) {
            for (Primitive p : m.primitives()) {
                if (p.topology() != Topology.POINTS && p.targets().isEmpty() && p.indexCount() > 0) {
                    groups.computeIfAbsent(key(p), k -> new ArrayList<>()).add(new Placed(n, world, p));
                }
            }
        }
        for (Node c : n.children()) {
            collect(c, world, moving, animated, placements, groups);
        }
    }

    private static boolean invertible(Transform t) {
        double d = t.determinant3();
        return Double.isFinite(d) && Math.abs(d) > 1e-30 && t.get(3, 0) == 0 && t.get(3, 1) == 0
                && t.get(3, 2) == 0 && t.get(3, 3) == 1;
    }

    /** Primitives join when they draw alike: material, topology, each attribute's name and width, float64 copy. */
    private static String key(Primitive p) {
        StringBuilder k = new StringBuilder().append(p.material()).append('/').append(p.topology())
                .append('/').append(p.positions64() != null);
        new TreeMap<>(p.attributes()).forEach((name, a) -> k.append('/').append(name).append(':')
                .append(a.components()));
        return k.toString();
    }

    private static Primitive join(List<Placed> group, Arena arena) {
        Primitive first = group.get(0).primitive();
        long vertices = group.stream().mapToLong(p -> p.primitive().vertexCount()).sum();
        long indices = group.stream().mapToLong(p -> p.primitive().indexCount()).sum();
        boolean exact = first.positions64() != null;
        MemorySegment pos = arena.allocate(ValueLayout.JAVA_FLOAT, vertices * 3);
        MemorySegment pos64 = exact ? arena.allocate(ValueLayout.JAVA_DOUBLE, vertices * 3) : null;
        MemorySegment idx = arena.allocate(ValueLayout.JAVA_INT, indices);
        Map<String, MemorySegment> others = new LinkedHashMap<>();
        first.attributes().values().forEach(a -> {
            if (!a.name().equals(VertexAttribute.POSITION)) {
                others.put(a.name(), arena.allocate(ValueLayout.JAVA_FLOAT, vertices * a.components()));
            }
        });
        long vBase = 0;
        long iBase = 0;
        double[] in = new double[3];
        double[] out = new double[3];
        for (Placed placed : group) {
            Primitive p = placed.primitive();
            Transform t = placed.world();
            boolean mirror = t.determinant3() < 0;
            double[] normalMatrix = cofactors(t, mirror);
            long n = p.vertexCount();
            for (long v = 0; v < n; v++) {
                p.position(v, in);
                t.applyToPoint(in[0], in[1], in[2], out);
                for (int c = 0; c < 3; c++) {
                    pos.setAtIndex(ValueLayout.JAVA_FLOAT, (vBase + v) * 3 + c, (float) out[c]);
                    if (pos64 != null) {
                        pos64.setAtIndex(ValueLayout.JAVA_DOUBLE, (vBase + v) * 3 + c, out[c]);
                    }
                }
            }
            for (Map.Entry<String, MemorySegment> e : others.entrySet()) {
                VertexAttribute a = p.attribute(e.getKey());
                int c = a.components();
                MemorySegment to = e.getValue();
                if (e.getKey().equals(VertexAttribute.NORMAL) && c == 3) {
                    directions(a, normalMatrix, to, vBase, 0);
                } else if (e.getKey().equals("TANGENT") && (c == 3 || c == 4)) {
                    directions(a, linear(t), to, vBase, mirror ? -1 : 1);
                } else {
                    MemorySegment.copy(a.data(), 0, to, vBase * c * 4, n * c * 4);
                }
            }
            long m = p.indexCount();
            boolean flip = mirror && p.topology() == Topology.TRIANGLES;
            for (long i = 0; i < m; i++) {
                // a mirrored triangle's second and third corners swap, so that it keeps facing the same way
                long from = flip && i % 3 != 0 ? (i % 3 == 1 ? i + 1 : i - 1) : i;
                idx.setAtIndex(ValueLayout.JAVA_INT, iBase + i, (int) (p.index(from) + vBase));
            }
            vBase += n;
            iBase += m;
        }
        Primitive q = new Primitive(first.topology(), new VertexAttribute(VertexAttribute.POSITION, 3, vertices, pos),
                idx, indices);
        first.attributes().values().forEach(a -> {
            if (!a.name().equals(VertexAttribute.POSITION)) {
                q.put(new VertexAttribute(a.name(), a.components(), vertices, others.get(a.name())));
            }
        });
        return q.positions64(pos64).material(first.material());
    }

    /** The 3x3 part of {@code t}, row-major. */
    private static double[] linear(Transform t) {
        double[] r = new double[9];
        for (int row = 0; row < 3; row++) {
            for (int c = 0; c < 3; c++) {
                r[row * 3 + c] = t.get(row, c);
            }
        }
        return r;
    }

    /**
     * The cofactor matrix of {@code t}'s 3x3 part, row-major: the inverse transpose times the determinant, so it
     * turns normals the right way up to their length; negated for a mirroring transform, whose determinant is
     * negative.
     */
    private static double[] cofactors(Transform t, boolean mirror) {
        double[] a = linear(t);
        double s = mirror ? -1 : 1;
        return new double[] {
                s * (a[4] * a[8] - a[5] * a[7]), s * (a[5] * a[6] - a[3] * a[8]), s * (a[3] * a[7] - a[4] * a[6]),
                s * (a[2] * a[7] - a[1] * a[8]), s * (a[0] * a[8] - a[2] * a[6]), s * (a[1] * a[6] - a[0] * a[7]),
                s * (a[1] * a[5] - a[2] * a[4]), s * (a[2] * a[3] - a[0] * a[5]), s * (a[0] * a[4] - a[1] * a[3])};
    }

    /**
     * Directions of {@code a} (xyz of each record) times the row-major {@code matrix}, normalized where not zero,
     * into {@code to} from vertex {@code base}; a fourth component (a tangent's handedness) is multiplied by
     * {@code sign} when not 0.
     */
    private static void directions(VertexAttribute a, double[] matrix, MemorySegment to, long base, int sign) {
        int c = a.components();
        for (long v = 0; v < a.count(); v++) {
            double x = a.get(v, 0);
            double y = a.get(v, 1);
            double z = a.get(v, 2);
            double nx = matrix[0] * x + matrix[1] * y + matrix[2] * z;
            double ny = matrix[3] * x + matrix[4] * y + matrix[5] * z;
            double nz = matrix[6] * x + matrix[7] * y + matrix[8] * z;
            double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
            if (len > 0 && Double.isFinite(len)) {
                nx /= len;
                ny /= len;
                nz /= len;
            }
            long at = (base + v) * c;
            to.setAtIndex(ValueLayout.JAVA_FLOAT, at, (float) nx);
            to.setAtIndex(ValueLayout.JAVA_FLOAT, at + 1, (float) ny);
            to.setAtIndex(ValueLayout.JAVA_FLOAT, at + 2, (float) nz);
            if (c == 4) {
                float w = a.get(v, 3);
                to.setAtIndex(ValueLayout.JAVA_FLOAT, at + 3, sign != 0 ? w * sign : w);
            }
        }
    }
}
