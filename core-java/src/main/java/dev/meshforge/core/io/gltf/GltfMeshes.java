// Reads glTF meshes: primitives of every mode as indexed triangles, lines or points, with morph targets.
package dev.meshforge.core.io.gltf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.UnsupportedFeatureException;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.VertexAttribute;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Meshes are read once and shared by every node that places them. Strips and fans become triangle lists with
 * the winding the glTF specification gives each triangle; line loops and strips become line lists; primitives
 * without indices get sequential ones.
 */
final class GltfMeshes {
    static final int POINTS = 0;
    static final int LINES = 1;
    static final int LINE_LOOP = 2;
    static final int LINE_STRIP = 3;
    static final int TRIANGLES = 4;
    static final int TRIANGLE_STRIP = 5;
    static final int TRIANGLE_FAN = 6;

    private final GltfDocument doc;
    private final GltfJson json;
    private final AccessorDecoder accessors;
    private final Scene scene;
    private final ReadOptions options;
    private final JsonNode meshesJson;
    private final Map<Integer, Mesh> made = new HashMap<>();
    private long triangles;

    GltfMeshes(GltfDocument doc, AccessorDecoder accessors, Scene scene, ReadOptions options) {
        this.doc = doc;
        this.json = doc.json;
        this.accessors = accessors;
        this.scene = scene;
        this.options = options;
        this.meshesJson = json.array(doc.root, "meshes", "");
    }

    int count() {
        return meshesJson.size();
    }

    /** Triangles over the distinct meshes read so far (instances not multiplied). */
    long triangles() {
        return triangles;
    }

    Mesh mesh(int m) {
        Mesh done = made.get(m);
        if (done != null) {
            return done;
        }
        String where = "meshes[" + m + "]";
        JsonNode mj = json.element(meshesJson, m, where);
        Mesh mesh = new Mesh(json.string(mj, "name", "mesh" + m, where));
        JsonNode prims = json.array(mj, "primitives", where);
        for (int p = 0; p < prims.size(); p++) {
            Primitive primitive = primitive(json.element(prims, p, where + ".primitives[" + p + "]"),
                    where + ".primitives[" + p + "]");
            if (primitive != null) {
                mesh.add(primitive);
                triangles += primitive.triangleCount();
                if (triangles > options.maxTriangles()) {
                    throw new LimitExceededException(doc.file + ": holds more than " + options.maxTriangles()
                            + " triangles, the limit (ReadOptions.maxTriangles)");
                }
            }
        }
        JsonNode w = json.array(mj, "weights", where);
        if (!w.isEmpty()) {
            mesh.weights(json.floats(mj, "weights", w.size(), null, where));
        }
        made.put(m, mesh);
        return mesh;
    }

    private Primitive primitive(JsonNode pj, String where) {
        JsonNode attributes = json.object(pj, "attributes", where);
        JsonNode ext = json.object(pj, "extensions", where);
        if (ext.has("KHR_draco_mesh_compression") && !hasFallback(pj, attributes, where)) {
            throw new UnsupportedFeatureException(doc.file + ": " + where + " is compressed with "
                    + "KHR_draco_mesh_compression, which meshforge cannot decode (no Java Draco decoder), and has "
                    + "no uncompressed fallback");
        }
        if (ext.has("KHR_draco_mesh_compression")) {
            scene.warn(doc.file + ": " + where + " is Draco-compressed; its uncompressed fallback was read");
        }
        int mode = (int) json.integer(pj, "mode", TRIANGLES, where);
        if (mode < 0 || mode > 6) {
            throw json.bad(where, "mode " + mode + " is not a glTF primitive mode (0..6)");
        }
        int posAcc = json.index(attributes, "POSITION", accessors.count(), "accessor", where + ".attributes");
        if (posAcc < 0) {
            scene.warn(doc.file + ": " + where + " has no POSITION attribute and was skipped");
            return null;
        }
        AccessorDecoder.Floats pos = accessors.floats(posAcc, scene.buffers());
        if (pos.components() != 3) {
            throw json.bad(where, "POSITION (accessor " + posAcc + ") must be VEC3");
        }
        long n = pos.count();
        VertexAttribute positions = new VertexAttribute(VertexAttribute.POSITION, 3, n, pos.data());
        long bad = positions.firstNonFinite();
        if (bad >= 0) {
            for (int c = 0; c < 3; c++) {
                float x = pos.get(bad, c);
                if (!Float.isFinite(x)) {
                    throw json.bad(AccessorDecoder.where(posAcc), "POSITION of vertex " + bad + " has the non-finite "
                            + "coordinate " + x + "; positions must be finite numbers");
                }
            }
        }
        int idxAcc = json.index(pj, "indices", accessors.count(), "accessor", where);
        MemorySegment source = idxAcc < 0 ? null : accessors.indices(idxAcc, n,
                count -> scene.allocateFilled(ValueLayout.JAVA_INT, count), scene.arena(), where);
        long sourceCount = idxAcc < 0 ? n : accessors.elementCount(idxAcc);
        Primitive prim = switch (mode) {
            case POINTS -> {
                if (source != null) {
                    scene.warn(doc.file + ": " + where + " is an indexed POINTS primitive; its indices were dropped "
                            + "and all " + n + " vertices kept as points");
                }
                yield new Primitive(Topology.POINTS, positions, null, 0);
            }
            case LINES, LINE_LOOP, LINE_STRIP -> lines(mode, positions, source, sourceCount, where);
            default -> triangles(mode, positions, source, sourceCount, where);
        };
        for (Iterator<Map.Entry<String, JsonNode>> it = attributes.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (name.equals(VertexAttribute.POSITION)) {
                continue;
            }
            int acc = json.index(attributes, name, accessors.count(), "accessor", where + ".attributes");
            AccessorDecoder.Floats f = accessors.floats(acc, scene.buffers());
            if (f.count() != n) {
                throw json.bad(where, "attribute " + name + " (accessor " + acc + ") has " + f.count()
                        + " elements but POSITION has " + n);
            }
            VertexAttribute a = GltfAttributes.clean(doc, scene, name, f, where);
            if (a != null) {
                prim.put(a);
            }
        }
        JsonNode targets = json.array(pj, "targets", where);
        for (int t = 0; t < targets.size(); t++) {
            String tw = where + ".targets[" + t + "]";
            JsonNode tj = json.element(targets, t, tw);
            Map<String, VertexAttribute> target = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = tj.properties().iterator(); it.hasNext(); ) {
                String name = it.next().getKey();
                int acc = json.index(tj, name, accessors.count(), "accessor", tw);
                AccessorDecoder.Floats f = accessors.floats(acc, scene.buffers());
                if (f.count() != n) {
                    throw json.bad(tw, name + " (accessor " + acc + ") has " + f.count() + " elements but POSITION "
                            + "has " + n);
                }
                target.put(name, new VertexAttribute(name, f.components(), n, f.data()));
            }
            prim.addTarget(target);
        }
        int material = json.index(pj, "material", scene.materials().size(), "material", where);
        return prim.material(material);
    }

    private boolean hasFallback(JsonNode pj, JsonNode attributes, String where) {
        for (Iterator<Map.Entry<String, JsonNode>> it = attributes.properties().iterator(); it.hasNext(); ) {
            int acc = json.index(attributes, it.next().getKey(), accessors.count(), "accessor", where + ".attributes");
            if (!accessors.hasBufferView(acc)) {
                return false;
            }
        }
        int idx = json.index(pj, "indices", accessors.count(), "accessor", where);
        return idx < 0 || accessors.hasBufferView(idx);
    }

    private static int at(MemorySegment source, long i) {
        return source == null ? (int) i : source.getAtIndex(ValueLayout.JAVA_INT, i);
    }

    private Primitive triangles(int mode, VertexAttribute positions, MemorySegment source, long count,
                                String where) {
        if (mode == TRIANGLES) {
            long whole = count - count % 3;
            if (whole != count) {
                scene.warn(doc.file + ": " + where + " has " + count + " indices, not a multiple of 3; the last "
                        + (count - whole) + " were ignored");
            }
            if (whole / 3 > options.maxTriangles()) {
                throw new LimitExceededException(doc.file + ": " + where + " holds " + whole / 3 + " triangles, more "
                        + "than the limit of " + options.maxTriangles() + " (ReadOptions.maxTriangles)");
            }
            MemorySegment idx = source;
            if (idx == null) {
                idx = scene.allocateInts(Math.max(1, whole));
                for (long i = 0; i < whole; i++) {
                    idx.setAtIndex(ValueLayout.JAVA_INT, i, (int) i);
                }
            }
            return new Primitive(Topology.TRIANGLES, positions, idx, whole);
        }
        long tris = Math.max(0, count - 2);
        if (tris > options.maxTriangles()) {
            throw new LimitExceededException(doc.file + ": " + where + " holds " + tris + " triangles, more than the "
                    + "limit of " + options.maxTriangles() + " (ReadOptions.maxTriangles)");
        }
        MemorySegment idx = scene.allocateInts(Math.max(1, tris * 3));
        long o = 0;
        for (long i = 0; i < tris; i++) {
            int a;
            int b;
            int c;
            if (mode == TRIANGLE_STRIP) {
                // Odd triangles swap their last two corners so that all keep the first one's winding.
                a = at(source, i);
                b = at(source, i + 1 + (i & 1));
                c = at(source, i + 2 - (i & 1));
            } else {
                a = at(source, i + 1);
                b = at(source, i + 2);
                c = at(source, 0);
            }
            idx.setAtIndex(ValueLayout.JAVA_INT, o++, a);
            idx.setAtIndex(ValueLayout.JAVA_INT, o++, b);
            idx.setAtIndex(ValueLayout.JAVA_INT, o++, c);
        }
        return new Primitive(Topology.TRIANGLES, positions, idx, tris * 3);
    }

    private Primitive lines(int mode, VertexAttribute positions, MemorySegment source, long count, String where) {
        long segments = switch (mode) {
            case LINES -> count / 2;
            case LINE_STRIP -> Math.max(0, count - 1);
            default -> count < 2 ? 0 : count;
        };
        if (mode == LINES && count % 2 != 0) {
            scene.warn(doc.file + ": " + where + " has an odd number of line indices; the last was ignored");
        }
        if (segments > options.maxTriangles() * 3) {
            throw new LimitExceededException(doc.file + ": " + where + " holds " + segments + " line segments, more "
                    + "than the limit derived from ReadOptions.maxTriangles");
        }
        MemorySegment idx = scene.allocateInts(Math.max(1, segments * 2));
        for (long s = 0; s < segments; s++) {
            long a = mode == LINES ? 2 * s : s;
            long b = mode == LINES ? 2 * s + 1 : (s + 1) % count;
            idx.setAtIndex(ValueLayout.JAVA_INT, 2 * s, at(source, a));
            idx.setAtIndex(ValueLayout.JAVA_INT, 2 * s + 1, at(source, b));
        }
        return new Primitive(Topology.LINES, positions, idx, segments * 2);
    }
}
