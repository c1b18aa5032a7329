// A Scene on the GPU: one vertex array per primitive (shared by its placements), one draw per placement with its
// world matrix and resolved material, and the world-space points the camera frames.
package dev.meshforge.render.internal;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.VertexAttribute;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.lwjgl.opengl.GL33C.*;

/** GPU buffers and draw list of one scene; closing frees them. The GL context must be current. */
final class GpuScene implements AutoCloseable {
    /** A primitive's vertex array: which attributes it has, how to draw it. */
    record GpuPrimitive(int vao, int[] buffers, int mode, int count, boolean indexed, boolean hasNormals,
                        boolean[] referenced) {
    }

    /** One placement of one primitive. */
    record Draw(GpuPrimitive primitive, float[] model, float[] normalMatrix, boolean mirrored, GpuMaterial material,
                double[] centroid) {
    }

    final List<Draw> draws = new ArrayList<>();
    final TextureCache textures;
    final GpuMaterial.Library materials;
    /** World xyz of every vertex that an element uses: what the camera frames. */
    final float[] points;
    final int pointCount;
    /** Min xyz, max xyz of {@link #points}. */
    final double[] bounds;
    private final List<GpuPrimitive> uploaded = new ArrayList<>();

    GpuScene(Scene scene, List<String> warnings) {
        textures = new TextureCache(scene.textures(), warnings);
        materials = new GpuMaterial.Library(scene.materials(), textures, warnings);
        try {
            Map<Primitive, GpuPrimitive> byPrimitive = new IdentityHashMap<>();
            List<Mesh> meshes = new ArrayList<>();
            List<Transform> placements = new ArrayList<>();
            try {
                scene.forEachPlacedMesh((mesh, t) -> {
                    meshes.add(mesh);
                    placements.add(t);
                });
            } catch (IllegalStateException e) {
                throw new BadInputException(null, "the scene's node tree has a cycle (" + e.getMessage() + ")");
            }
            long total = 0;
            int skipped = 0;
            List<Primitive> drawnPrimitives = new ArrayList<>();
            List<Transform> drawnPlacements = new ArrayList<>();
            for (int m = 0; m < meshes.size(); m++) {
                for (Primitive p : meshes.get(m).primitives()) {
                    if (p.vertexCount() == 0 || (p.topology() != Topology.POINTS && p.indexCount() == 0)) {
                        continue;
                    }
                    GpuPrimitive g = byPrimitive.get(p);
                    if (g == null && !byPrimitive.containsKey(p)) {
                        g = upload(p, warnings);
                        byPrimitive.put(p, g);
                        if (g != null) {
                            uploaded.add(g);
                        }
                    }
                    if (g == null) {
                        skipped++;
                        continue;
                    }
                    Transform t = placements.get(m);
                    float[] model = Matrix4.fromDoubles(t.toArray());
                    double[] c = centroid(p, t);
                    draws.add(new Draw(g, model, Matrix4.normalMatrix(model), t.determinant3() < 0,
                            materials.get(p.material(), p.topology()), c));
                    drawnPrimitives.add(p);
                    drawnPlacements.add(t);
                    total += countReferenced(g);
                }
            }
            if (draws.isEmpty()) {
                throw new BadInputException(null, skipped > 0 ? "the scene's primitives all have indices outside their "
                        + "vertices, so nothing can be rendered" : "the scene has no triangles, lines or points to render");
            }
            if (total > Integer.MAX_VALUE / 3) {
                throw new BadInputException(null, "the scene places " + total + " vertices, more than the renderer frames");
            }
            points = new float[(int) total * 3];
            bounds = new double[] {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE,
                    -Double.MAX_VALUE, -Double.MAX_VALUE};
            int at = 0;
            double[] out = new double[3];
            for (int d = 0; d < draws.size(); d++) {
                GpuPrimitive g = draws.get(d).primitive();
                Transform t = drawnPlacements.get(d);
                VertexAttribute pos = drawnPrimitives.get(d).positions();
                for (int v = 0; v < g.referenced().length; v++) {
                    if (!g.referenced()[v]) {
                        continue;
                    }
                    t.applyToPoint(pos.get(v, 0), pos.get(v, 1), pos.get(v, 2), out);
                    for (int k = 0; k < 3; k++) {
                        points[at++] = (float) out[k];
                        bounds[k] = Math.min(bounds[k], out[k]);
                        bounds[k + 3] = Math.max(bounds[k + 3], out[k]);
                    }
                }
            }
            pointCount = at / 3;
            for (int k = 0; k < 6; k++) {
                if (!Double.isFinite(bounds[k])) {
                    throw new BadInputException(null, "the scene's placed vertices are not finite");
                }
            }
        } catch (RuntimeException | Error e) {
            // what was uploaded before the failure is freed here: the caller never gets the object to close
            close();
            throw e;
        }
    }

    private static long countReferenced(GpuPrimitive g) {
        long n = 0;
        for (boolean b : g.referenced()) {
            if (b) {
                n++;
            }
        }
        return n;
    }

    private static double[] centroid(Primitive p, Transform t) {
        VertexAttribute pos = p.positions();
        double[] min = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] max = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (long v = 0; v < p.vertexCount(); v++) {
            for (int k = 0; k < 3; k++) {
                min[k] = Math.min(min[k], pos.get(v, k));
                max[k] = Math.max(max[k], pos.get(v, k));
            }
        }
        double[] out = new double[3];
        t.applyToPoint((min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2, out);
        return out;
    }

    /** Uploads a primitive, or returns null (with a warning) when its indices point outside its vertices. */
    private static GpuPrimitive upload(Primitive p, List<String> warnings) {
        long vertices = p.vertexCount();
        if (vertices > Integer.MAX_VALUE) {
            warnings.add("a primitive of " + vertices + " vertices is too large to render; left out");
            return null;
        }
        boolean[] referenced = new boolean[(int) vertices];
        boolean indexed = p.topology() != Topology.POINTS;
        if (indexed) {
            MemorySegment idx = p.indices();
            for (long i = 0; i < p.indexCount(); i++) {
                long v = Integer.toUnsignedLong(idx.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i));
                if (v >= vertices) {
                    warnings.add("a primitive has index " + v + " at position " + i + " but only " + vertices
                            + " vertices; left out");
                    return null;
                }
                referenced[(int) v] = true;
            }
        } else {
            java.util.Arrays.fill(referenced, true);
        }
        int vao = glGenVertexArrays();
        glBindVertexArray(vao);
        List<Integer> buffers = new ArrayList<>();
        boolean hasNormals = false;
        try (Arena scratch = Arena.ofConfined()) {
            buffers.add(attribute(0, p.positions(), 3, scratch));
            VertexAttribute normal = p.attribute(VertexAttribute.NORMAL);
            if (normal != null && normal.components() == 3 && p.topology() == Topology.TRIANGLES) {
                buffers.add(attribute(1, normal, 3, scratch));
                hasNormals = true;
            } else {
                glVertexAttrib3f(1, 0, 0, 0);
            }
            VertexAttribute uv0 = p.attribute("TEXCOORD_0");
            if (uv0 != null && uv0.components() >= 2) {
                buffers.add(attribute(2, uv0, 2, scratch));
            } else {
                glVertexAttrib2f(2, 0, 0);
            }
            VertexAttribute uv1 = p.attribute("TEXCOORD_1");
            if (uv1 != null && uv1.components() >= 2) {
                buffers.add(attribute(3, uv1, 2, scratch));
            } else {
                glVertexAttrib2f(3, 0, 0);
            }
            VertexAttribute color = p.attribute("COLOR_0");
            if (color != null && (color.components() == 3 || color.components() == 4)) {
                buffers.add(attribute(4, color, color.components(), scratch));
            } else {
                glVertexAttrib4f(4, 1, 1, 1, 1);
            }
            if (indexed) {
                int ibo = glGenBuffers();
                buffers.add(ibo);
                glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, ibo);
                MemorySegment idx = nativeCopy(p.indices(), p.indexCount() * 4, scratch);
                nglBufferData(GL_ELEMENT_ARRAY_BUFFER, p.indexCount() * 4, idx.address(), GL_STATIC_DRAW);
            }
        }
        glBindVertexArray(0);
        int mode = switch (p.topology()) {
            case TRIANGLES -> GL_TRIANGLES;
            case LINES -> GL_LINES;
            case POINTS -> GL_POINTS;
        };
        int count = (int) Math.min(Integer.MAX_VALUE, indexed ? p.indexCount() : vertices);
        return new GpuPrimitive(vao, buffers.stream().mapToInt(Integer::intValue).toArray(), mode, count, indexed,
                hasNormals, referenced);
    }

    /**
     * A buffer for one attribute at {@code location}, reading the first {@code used} of its components. Generic
     * attributes left unset read as (0, 0, 0, 1), so vertex colours of three components get alpha 1.
     */
    private static int attribute(int location, VertexAttribute a, int used, Arena scratch) {
        int vbo = glGenBuffers();
        glBindBuffer(GL_ARRAY_BUFFER, vbo);
        long bytes = a.count() * a.components() * 4L;
        MemorySegment data = nativeCopy(a.data(), bytes, scratch);
        nglBufferData(GL_ARRAY_BUFFER, bytes, data.address(), GL_STATIC_DRAW);
        glVertexAttribPointer(location, used, GL_FLOAT, false, a.components() * 4, 0L);
        glEnableVertexAttribArray(location);
        return vbo;
    }

    // GL reads from an address: heap-backed segments (a scene built in memory) are copied off-heap first.
    private static MemorySegment nativeCopy(MemorySegment s, long bytes, Arena scratch) {
        if (s.isNative()) {
            return s;
        }
        MemorySegment copy = scratch.allocate(Math.max(1, bytes));
        MemorySegment.copy(s, 0, copy, 0, bytes);
        return copy;
    }

    @Override
    public void close() {
        for (GpuPrimitive g : uploaded) {
            glDeleteBuffers(g.buffers());
            glDeleteVertexArrays(g.vao());
        }
        uploaded.clear();
        textures.close();
    }
}
