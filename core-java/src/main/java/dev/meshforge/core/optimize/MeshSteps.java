// Optimize steps that work primitive by primitive: weld and the vertex-cache / vertex-fetch order.
package dev.meshforge.core.optimize;

import dev.meshforge.core.io.internal.DistinctVertices;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.VertexAttribute;
import org.lwjgl.util.meshoptimizer.MeshOptimizer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Weld merges a primitive's vertices that agree in every attribute and morph-target displacement, bit for bit
 * (glTF indexes all attributes together, so a vertex differing in any attribute must stay apart), drops the
 * triangles that then name one vertex twice (never drawn) and the vertices left unused. Reorder runs
 * meshoptimizer's vertex-cache optimizer on the triangles, then numbers the vertices in the order the triangles
 * first use them (vertex-fetch order), moving every attribute, morph target and float64 position alike.
 */
public final class MeshSteps {
    private MeshSteps() {
    }

    /** The end of a weld report line: what was dropped, after the count. */
    private static final String DROPPED = " triangles with a repeated vertex (no area, never drawn) dropped";

    /**
     * Welds every primitive, then drops the triangles that name one vertex twice (no area: never drawn, as
     * gltfpack drops them); a primitive left without triangles is removed. Returns one line for each mesh that lost
     * triangles, by name (the unnamed ones together).
     */
    public static List<String> weld(Scene scene) {
        List<String> changes = new ArrayList<>();
        long[] unnamed = {0, 0};
        forEachMesh(scene, m -> {
            long dropped = 0;
            List<Primitive> kept = new ArrayList<>();
            for (Primitive p : m.primitives()) {
                Primitive welded = DistinctVertices.of(p, scene.arena());
                Primitive drawn = withoutRepeatedVertices(welded, scene.arena());
                dropped += welded.triangleCount() - (drawn == null ? 0 : drawn.triangleCount());
                if (drawn != null) {
                    // fewer triangles may leave vertices unused: the weld drops them (no vertex merges again)
                    kept.add(drawn == welded ? welded : DistinctVertices.of(drawn, scene.arena()));
                }
            }
            m.primitives().clear();
            m.primitives().addAll(kept);
            if (dropped == 0) {
                return;
            }
            String gone = kept.isEmpty() ? " (none left: the mesh is left out)" : "";
            if (m.name().isEmpty()) {
                unnamed[0] += dropped;
                unnamed[1]++;
            } else {
                changes.add("mesh '" + m.name() + "': " + dropped + DROPPED + gone);
            }
        });
        if (unnamed[0] > 0) {
            changes.add(unnamed[1] + " unnamed meshes: " + unnamed[0] + DROPPED);
        }
        return changes;
    }

    /**
     * {@code p} without its triangles that use one vertex twice: {@code p} itself when it has none (or is not
     * triangles), null when it has nothing else.
     */
    private static Primitive withoutRepeatedVertices(Primitive p, Arena arena) {
        if (p.topology() != Topology.TRIANGLES) {
            return p;
        }
        long triangles = p.triangleCount();
        long drawn = 0;
        for (long t = 0; t < triangles; t++) {
            int a = p.index(3 * t), b = p.index(3 * t + 1), c = p.index(3 * t + 2);
            if (a != b && b != c && a != c) {
                drawn++;
            }
        }
        if (drawn == triangles) {
            return p;
        }
        if (drawn == 0) {
            return null;
        }
        MemorySegment indices = arena.allocate(ValueLayout.JAVA_INT, drawn * 3);
        long at = 0;
        for (long t = 0; t < triangles; t++) {
            int a = p.index(3 * t), b = p.index(3 * t + 1), c = p.index(3 * t + 2);
            if (a != b && b != c && a != c) {
                indices.setAtIndex(ValueLayout.JAVA_INT, at++, a);
                indices.setAtIndex(ValueLayout.JAVA_INT, at++, b);
                indices.setAtIndex(ValueLayout.JAVA_INT, at++, c);
            }
        }
        Primitive out = new Primitive(Topology.TRIANGLES, p.positions(), indices, drawn * 3);
        for (VertexAttribute a : p.attributes().values()) {
            out.put(a);
        }
        p.targets().forEach(out::addTarget);
        return out.positions64(p.positions64()).material(p.material());
    }

    public static void reorder(Scene scene) {
        forEachPrimitive(scene, p -> p.topology() == Topology.TRIANGLES && p.triangleCount() > 0
                ? reorder(p, scene.arena()) : p);
    }

    private static void forEachPrimitive(Scene scene, UnaryOperator<Primitive> step) {
        forEachMesh(scene, m -> m.primitives().replaceAll(step));
    }

    /** Each mesh a node places, once however many nodes place it. */
    private static void forEachMesh(Scene scene, java.util.function.Consumer<Mesh> step) {
        Set<Mesh> meshes = Collections.newSetFromMap(new IdentityHashMap<>());
        scene.forEachPlacedMesh((m, t) -> {
            if (meshes.add(m)) {
                step.accept(m);
            }
        });
    }

    private static Primitive reorder(Primitive p, Arena arena) {
        long n = p.indexCount();
        long vertices = p.vertexCount();
        MemorySegment cached = arena.allocate(ValueLayout.JAVA_INT, n);
        MeshOptimizer.meshopt_optimizeVertexCache(ints(cached, n), ints(p.indices(), n), vertices);
        MemorySegment remap = arena.allocate(ValueLayout.JAVA_INT, vertices);
        long unique = MeshOptimizer.meshopt_optimizeVertexFetchRemap(ints(remap, vertices), ints(cached, n));
        MemorySegment indices = arena.allocate(ValueLayout.JAVA_INT, n);
        MeshOptimizer.meshopt_remapIndexBuffer(ints(indices, n), ints(cached, n), n, ints(remap, vertices));
        int[] map = remap.toArray(ValueLayout.JAVA_INT);
        Primitive out = new Primitive(p.topology(), gather(p.positions(), map, unique, arena), indices, n);
        for (VertexAttribute a : p.attributes().values()) {
            if (!a.name().equals(VertexAttribute.POSITION)) {
                out.put(gather(a, map, unique, arena));
            }
        }
        for (Map<String, VertexAttribute> target : p.targets()) {
            Map<String, VertexAttribute> moved = new LinkedHashMap<>();
            target.values().forEach(a -> moved.put(a.name(), gather(a, map, unique, arena)));
            out.addTarget(moved);
        }
        MemorySegment exact = p.positions64();
        if (exact != null) {
            MemorySegment moved = arena.allocate(ValueLayout.JAVA_DOUBLE, unique * 3);
            for (int v = 0; v < map.length; v++) {
                if (map[v] >= 0) {
                    MemorySegment.copy(exact, v * 24L, moved, map[v] * 24L, 24);
                }
            }
            out.positions64(moved);
        }
        out.material(p.material());
        // the same vertices renumbered, unused ones left out: distinct when the input's were
        return out.verticesDistinct(p.verticesDistinct());
    }

    /** Vertex {@code v} of {@code a} moved to {@code map[v]}; vertices mapped to -1 (unused) are left out. */
    private static VertexAttribute gather(VertexAttribute a, int[] map, long count, Arena arena) {
        int c = a.components();
        MemorySegment data = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, count * c));
        for (int v = 0; v < map.length; v++) {
            if (map[v] >= 0) {
                MemorySegment.copy(a.data(), (long) v * c * 4, data, (long) map[v] * c * 4, c * 4L);
            }
        }
        return new VertexAttribute(a.name(), c, count, data);
    }

    private static IntBuffer ints(MemorySegment s, long count) {
        return s.asSlice(0, count * 4).asByteBuffer().order(ByteOrder.nativeOrder()).asIntBuffer();
    }
}
