// A scene's triangles merged in world space for a kernel call, and the way back from kernel buffers to a scene.
package dev.meshforge.core.ops.internal;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.TriangleMesh;
import dev.meshforge.core.scene.VertexAttribute;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Every tool that hands the whole model to the kernel (repair, hollow, scale, simplify) sees it the same way:
 * all placements depth first, their triangle primitives with triangles, in the order of
 * {@link Scene#worldTriangles}; the carried vertex attributes of {@link AttributeLayout} gathered in that
 * vertex order. The way back is a one-mesh scene over the kernel's buffers.
 */
public final class WorldMesh {
    private final Scene scene;
    private final List<Primitive> primitives = new ArrayList<>();

    public WorldMesh(Scene scene) {
        this.scene = scene;
        forEachTrianglePrimitive((p, t) -> primitives.add(p));
    }

    /**
     * The scene's world mesh for a tool that needs triangles.
     *
     * @param doing what the tool does, for the refusal ("repair", "hollow")
     * @throws BadInputException when the scene has no triangles
     */
    public static WorldMesh withTriangles(Scene scene, String doing) {
        WorldMesh world = new WorldMesh(scene);
        if (world.isEmpty()) {
            throw new BadInputException(null, "it has no triangles to " + doing + " (points or lines only, or empty)");
        }
        return world;
    }

    /** The triangle primitives with triangles, in placement order (a primitive placed twice is listed twice). */
    public List<Primitive> primitives() {
        return primitives;
    }

    public boolean isEmpty() {
        return primitives.isEmpty();
    }

    /** World-space positions (float64 where a reader kept them) and indices, in {@code arena}. */
    public TriangleMesh triangles(Arena arena) {
        return scene.worldTriangles(arena);
    }

    /** Visits the triangle primitives with their world transforms, in placement order. */
    public void forEachTrianglePrimitive(BiConsumer<Primitive, Transform> visitor) {
        scene.forEachPlacedMesh((Mesh mesh, Transform t) -> {
            for (Primitive p : mesh.primitives()) {
                if (p.topology() == Topology.TRIANGLES && p.triangleCount() > 0) {
                    visitor.accept(p, t);
                }
            }
        });
    }

    /**
     * The carried attributes of every vertex in world order as {@code layout} places them, {@code layout.width()}
     * floats a vertex; {@code extra} fills further floats of each primitive's block (e.g. the base-colour
     * transfer's), given the primitive, the data and the index of its first float. Null where the layout is empty.
     */
    public MemorySegment attributes(AttributeLayout layout, BlockFiller extra, long vertexCount, Arena arena) {
        int width = layout.width();
        if (width == 0) {
            return null;
        }
        MemorySegment data = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, vertexCount * width));
        long[] base = {0};
        forEachTrianglePrimitive((p, t) -> {
            layout.gather(p, data, base[0]);
            if (extra != null) {
                extra.fill(p, data, base[0] * width);
            }
            base[0] += p.vertexCount();
        });
        return data;
    }

    /**
     * The world-space bounding box {min, max} of every vertex an element uses (all of a point primitive's), in
     * float64 from the exact positions where a reader kept them; null when the scene has none.
     */
    public static double[][] bounds(Scene scene) {
        double[][] box = {{Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY},
                {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}};
        double[] w = new double[3];
        scene.forEachPlacedMesh((mesh, t) -> {
            for (Primitive p : mesh.primitives()) {
                boolean[] used = p.usedVertices();
                for (int v = 0; v < used.length; v++) {
                    if (!used[v]) {
                        continue;
                    }
                    p.position(v, w);
                    t.applyToPoint(w[0], w[1], w[2], w);
                    for (int k = 0; k < 3; k++) {
                        box[0][k] = Math.min(box[0][k], w[k]);
                        box[1][k] = Math.max(box[1][k], w[k]);
                    }
                }
            }
        });
        return box[0][0] <= box[1][0] ? box : null;
    }

    /** Fills a primitive's share of a gathered attribute block. */
    @FunctionalInterface
    public interface BlockFiller {
        void fill(Primitive p, MemorySegment data, long firstFloat);
    }

    /**
     * A triangle primitive over kernel output copied into {@code out}'s arena: positions, indices and, for each
     * slot {@code keep} accepts, its attribute unpacked from the packed per-vertex {@code attributes}.
     */
    public static Primitive primitive(Scene out, MemorySegment positions, long vertexCount, MemorySegment indices,
                                      long triangleCount, AttributeLayout layout, MemorySegment attributes,
                                      java.util.function.Predicate<AttributeLayout.Slot> keep) {
        Primitive p = new Primitive(Topology.TRIANGLES, new VertexAttribute(VertexAttribute.POSITION, 3, vertexCount,
                positions), indices, 3 * triangleCount);
        if (attributes != null) {
            for (AttributeLayout.Slot s : layout.slots()) {
                if (keep.test(s)) {
                    p.put(layout.unpack(s, attributes, vertexCount, out));
                }
            }
        }
        return p;
    }

    /** Makes {@code p} the one mesh of {@code out}, under one root node. */
    public static void addAsOnlyMesh(Scene out, String name, Primitive p) {
        out.addRoot(new Node(name).mesh(new Mesh(name).add(p)));
    }

    /** A primitive of the given triangles of {@code all}, over a compact copy of the vertices they use. */
    public static Primitive subset(Scene out, Primitive all, List<Integer> triangles) {
        Map<Integer, Integer> remap = new LinkedHashMap<>();
        MemorySegment idx = out.allocateInts(Math.max(1, 3L * triangles.size()));
        long i = 0;
        for (int t : triangles) {
            for (int k = 0; k < 3; k++) {
                int v = all.index(3L * t + k);
                Integer to = remap.get(v);
                if (to == null) {
                    to = remap.size();
                    remap.put(v, to);
                }
                idx.setAtIndex(ValueLayout.JAVA_INT, i++, to);
            }
        }
        Primitive p = null;
        for (VertexAttribute a : all.attributes().values()) {
            MemorySegment seg = out.allocateFloats(Math.max(1, (long) remap.size() * a.components()));
            long bytes = (long) a.components() * Float.BYTES;
            for (Map.Entry<Integer, Integer> e : remap.entrySet()) {
                MemorySegment.copy(a.data(), e.getKey() * bytes, seg, e.getValue() * bytes, bytes);
            }
            VertexAttribute copy = new VertexAttribute(a.name(), a.components(), remap.size(), seg);
            if (p == null) {
                p = new Primitive(Topology.TRIANGLES, copy, idx, 3L * triangles.size());
            } else {
                p.put(copy);
            }
        }
        return p;
    }
}
