// The in-memory scene every reader fills and every writer, op and the kernel read: off-heap, arena-owned.
package dev.meshforge.core.scene;

import dev.meshforge.core.scene.internal.KernelPages;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A scene: a forest of {@link Node}s placing {@link Mesh}es, with materials, textures, skins, animations, units
 * and the warnings the reader raised. Vertex and index data live in segments of this scene's {@link Arena};
 * closing the scene frees them, after which no segment of it may be touched.
 */
public final class Scene implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final List<Node> roots = new ArrayList<>();
    private final List<Material> materials = new ArrayList<>();
    private final List<Texture> textures = new ArrayList<>();
    private final List<Skin> skins = new ArrayList<>();
    private final List<Animation> animations = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private Units units = Units.GLTF;

    /**
     * Whether a buffer of a closed scene (or read), kept for reuse, is zeroed before any later scene takes it, even
     * one that {@link #allocateFilled} hands out unzeroed. On by default (property {@code
     * meshforge.scrubReusedPages=false} for off): then no scene can ever see bytes of an earlier one, whatever a
     * reader leaves unwritten, which a process serving several accounts needs. A process whose reads are all one
     * caller's (the one-shot command line) may switch it off to skip that memset; see ARCHITECTURE.md.
     */
    public static void zeroReusedBuffers(boolean on) {
        KernelPages.scrubReused(on);
    }

    /**
     * As {@link #zeroReusedBuffers}, for the default a process picks for itself: the property {@code
     * meshforge.scrubReusedPages} wins where it is set ({@code false} off, any other value on).
     */
    public static void zeroReusedBuffersUnlessSet(boolean on) {
        KernelPages.scrubReusedUnlessSet(on);
    }

    /** The arena that owns this scene's buffers. */
    public Arena arena() {
        return arena;
    }

    /** A zeroed segment for {@code count} float32 values, owned by this scene. */
    public MemorySegment allocateFloats(long count) {
        return allocate(ValueLayout.JAVA_FLOAT, count);
    }

    /** A zeroed segment for {@code count} uint32 values, owned by this scene. */
    public MemorySegment allocateInts(long count) {
        return allocate(ValueLayout.JAVA_INT, count);
    }

    /**
     * A segment for {@code count} values of {@code element}, owned by this scene, for a buffer that its reader writes
     * in full before anything reads it (a binary PLY's vertex records, an OBJ's gathered vertices): its contents are
     * not promised to be zero. From {@link KernelPages#HUGE_PAGE} it is a mapping of {@link KernelPages#reused}
     * without a memset (about 5 % of a 2M-triangle OBJ read went to zeroing scene buffers) where {@link
     * #zeroReusedBuffers} is off, zero where it is on (the default); smaller, or where no mapping can be had, it is
     * allocated as {@link #allocateFloats} allocates.
     */
    public MemorySegment allocateFilled(ValueLayout element, long count) {
        if (count > 0 && count <= Long.MAX_VALUE / element.byteSize() && element.byteAlignment() <= KernelPages.PAGE
                && count * element.byteSize() >= KernelPages.HUGE_PAGE) {
            MemorySegment mapped = KernelPages.reused(arena, count * element.byteSize(), false);
            if (mapped != null) {
                return mapped;
            }
        }
        return allocate(element, count);
    }

    /**
     * Allocates zeroed buffers owned by this scene, as {@link #allocateFloats} does: for a reader that fills
     * buffers of other element types (or through an API that takes an allocator).
     */
    public SegmentAllocator buffers() {
        return this::allocateBytes;
    }

    private MemorySegment allocate(ValueLayout element, long count) {
        if (count < 0 || count > Long.MAX_VALUE / element.byteSize()) {
            return arena.allocate(element, count); // its own refusal of the size
        }
        return allocateBytes(count * element.byteSize(), element.byteAlignment());
    }

    /**
     * Buffers from {@link KernelPages#HUGE_PAGE} are zeroed mappings of {@link KernelPages#reused}, whose pages an
     * earlier read has mostly faulted in already.
     */
    private MemorySegment allocateBytes(long bytes, long alignment) {
        // Both constants, so a small buffer does not initialise KernelPages (see KernelPages.HUGE_PAGE).
        if (alignment <= KernelPages.PAGE && bytes >= KernelPages.HUGE_PAGE) {
            MemorySegment mapped = KernelPages.reused(arena, bytes, true);
            if (mapped != null) {
                return mapped;
            }
        }
        return arena.allocate(bytes, alignment);
    }

    public List<Node> roots() {
        return roots;
    }

    public Scene addRoot(Node node) {
        roots.add(Objects.requireNonNull(node, "node"));
        return this;
    }

    public List<Material> materials() {
        return materials;
    }

    public List<Texture> textures() {
        return textures;
    }

    public List<Skin> skins() {
        return skins;
    }

    public List<Animation> animations() {
        return animations;
    }

    public Units units() {
        return units;
    }

    public Scene units(Units units) {
        this.units = Objects.requireNonNull(units, "units");
        return this;
    }

    /** What the reader could not represent or had to guess, in reading order. */
    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    public void warn(String warning) {
        warnings.add(warning);
    }

    /**
     * Rewrites every warning so far: a reader that read through a stand-in file (a model extracted from an
     * archive into a private folder) names the real source instead.
     */
    public void rewriteWarnings(java.util.function.UnaryOperator<String> rewrite) {
        warnings.replaceAll(rewrite);
    }

    /** Calls {@code visitor} for every mesh placement with its world transform, depth first. */
    public void forEachPlacedMesh(BiConsumer<Mesh, Transform> visitor) {
        forEachPlacedNode((node, world) -> {
            if (node.mesh() != null) {
                visitor.accept(node.mesh(), world);
            }
        });
    }

    /**
     * Calls {@code visitor} for every node with its world transform, depth first, parents before children. The
     * walk keeps its own stack, so that no hierarchy is too deep for it; a node that is its own ancestor is an
     * IllegalStateException (readers refuse such files before they make a scene).
     */
    public void forEachPlacedNode(BiConsumer<Node, Transform> visitor) {
        record Step(Node node, Transform parent, boolean leaving) {
        }
        Map<Node, Boolean> onPath = new IdentityHashMap<>();
        java.util.ArrayDeque<Step> stack = new java.util.ArrayDeque<>();
        for (int r = roots.size() - 1; r >= 0; r--) {
            stack.push(new Step(roots.get(r), Transform.IDENTITY, false));
        }
        while (!stack.isEmpty()) {
            Step step = stack.pop();
            if (step.leaving()) {
                onPath.remove(step.node());
                continue;
            }
            Node node = step.node();
            if (onPath.put(node, Boolean.TRUE) != null) {
                throw new IllegalStateException("node '" + node.name() + "' is its own ancestor");
            }
            Transform world = step.parent().then(node.local());
            visitor.accept(node, world);
            stack.push(new Step(node, null, true));
            List<Node> children = node.children();
            for (int c = children.size() - 1; c >= 0; c--) {
                stack.push(new Step(children.get(c), world, false));
            }
        }
    }

    /** Triangles over all placements: instances count once each. */
    public long triangleCount() {
        long[] n = {0};
        forEachPlacedMesh((mesh, t) -> n[0] += mesh.triangleCount());
        return n[0];
    }

    /**
     * All triangles of the scene in world space, merged. A scene made of one untransformed triangle primitive
     * is returned as views of its own buffers without copying; otherwise the merged copy is allocated in
     * {@code scratch} with float64 positions, so that node transforms are applied without float32 rounding.
     * Primitives that carry {@link Primitive#positions64()} contribute those exact coordinates.
     * Mirroring transforms keep outward winding by swapping two corners.
     */
    public TriangleMesh worldTriangles(Arena scratch) {
        List<Mesh> meshes = new ArrayList<>();
        List<Transform> placements = new ArrayList<>();
        forEachPlacedMesh((mesh, t) -> {
            meshes.add(mesh);
            placements.add(t);
        });
        List<Primitive> triangles = new ArrayList<>();
        List<Transform> triangleTransforms = new ArrayList<>();
        for (int i = 0; i < meshes.size(); i++) {
            for (Primitive p : meshes.get(i).primitives()) {
                if (p.topology() == Topology.TRIANGLES && p.triangleCount() > 0) {
                    triangles.add(p);
                    triangleTransforms.add(placements.get(i));
                }
            }
        }
        if (triangles.size() == 1 && triangleTransforms.get(0).isIdentity()) {
            Primitive p = triangles.get(0);
            return p.positions64() != null
                    ? new TriangleMesh(p.positions64(), p.vertexCount(), p.indices(), p.triangleCount(), true)
                    : new TriangleMesh(p.positions().data(), p.vertexCount(), p.indices(), p.triangleCount());
        }
        long vertices = 0;
        long tris = 0;
        for (Primitive p : triangles) {
            vertices += p.vertexCount();
            tris += p.triangleCount();
        }
        if (vertices > 0xFFFF_FFFFL) {
            throw new IllegalStateException("the merged scene has " + vertices
                    + " vertices, more than uint32 indices can address");
        }
        MemorySegment pos = scratch.allocate(ValueLayout.JAVA_DOUBLE, Math.max(1, vertices * 3));
        MemorySegment idx = scratch.allocate(ValueLayout.JAVA_INT, Math.max(1, tris * 3));
        long vBase = 0;
        long iAt = 0;
        double[] out = new double[3];
        for (int k = 0; k < triangles.size(); k++) {
            Primitive p = triangles.get(k);
            Transform t = triangleTransforms.get(k);
            VertexAttribute src = p.positions();
            MemorySegment exact = p.positions64();
            for (long v = 0; v < p.vertexCount(); v++) {
                if (exact != null) {
                    t.applyToPoint(exact.getAtIndex(ValueLayout.JAVA_DOUBLE, 3 * v),
                            exact.getAtIndex(ValueLayout.JAVA_DOUBLE, 3 * v + 1),
                            exact.getAtIndex(ValueLayout.JAVA_DOUBLE, 3 * v + 2), out);
                } else {
                    t.applyToPoint(src.get(v, 0), src.get(v, 1), src.get(v, 2), out);
                }
                MemorySegment.copy(out, 0, pos, ValueLayout.JAVA_DOUBLE, (vBase + v) * 24, 3);
            }
            boolean mirror = t.determinant3() < 0;
            for (long tri = 0; tri < p.triangleCount(); tri++) {
                int a = p.index(tri * 3);
                int b = p.index(tri * 3 + 1);
                int c = p.index(tri * 3 + 2);
                idx.setAtIndex(ValueLayout.JAVA_INT, iAt++, (int) (vBase + Integer.toUnsignedLong(a)));
                idx.setAtIndex(ValueLayout.JAVA_INT, iAt++, (int) (vBase + Integer.toUnsignedLong(mirror ? c : b)));
                idx.setAtIndex(ValueLayout.JAVA_INT, iAt++, (int) (vBase + Integer.toUnsignedLong(mirror ? b : c)));
            }
            vBase += p.vertexCount();
        }
        return new TriangleMesh(pos, vertices, idx, tris, true);
    }

    @Override
    public void close() {
        arena.close();
    }
}
