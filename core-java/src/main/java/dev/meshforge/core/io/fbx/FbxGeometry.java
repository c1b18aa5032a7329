// Turns an FBX mesh geometry (polygons, layers) into triangle primitives, one per material.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.VertexAttribute;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code Vertices} ({@link FbxControlPoints}), the layer elements ({@link FbxLayers}) and
 * {@code PolygonVertexIndex}, whose polygons {@link FbxPolygonScan} cuts into the triangles of one part a material;
 * {@link FbxGather} then fills each part's vertex buffers. Says in the scene's warnings what it skipped or changed.
 */
final class FbxGeometry {
    /**
     * The built mesh and, per primitive, the control point of each of its vertices as ints in native memory of the
     * read (for skins and shapes; valid until the read ends).
     */
    record Built(Mesh mesh, List<MemorySegment> controlPoints, int controlPointCount) {
    }

    private final FbxDocument doc;
    private final Scene scene;
    /** Native memory of the read for the working arrays (shared: the gather runs on the common pool too). */
    private final Arena work;
    private final long maxTriangles;
    private final boolean fanTriangulation;
    /** The triangles of the geometries built so far, of the read's limit. */
    private long triangles;

    FbxGeometry(FbxDocument doc, Scene scene, Arena work, long maxTriangles, boolean fanTriangulation) {
        this.fanTriangulation = fanTriangulation;
        this.work = work;
        this.doc = doc;
        this.scene = scene;
        this.maxTriangles = maxTriangles;
    }

    /**
     * @param geometric  the model's geometric transform, baked into positions and normals
     * @param materials  scene material index for each material slot of the model
     */
    Built build(FbxNode g, String name, Transform geometric, int[] materials) {
        FbxValues v = g.childValues("Vertices");
        FbxInts pvi = g.childIndices("PolygonVertexIndex");
        if (v == null || pvi == null) {
            return null;
        }
        FbxControlPoints points = FbxControlPoints.of(v, geometric, work);
        if (points.nonFinite() > 0) {
            scene.warn("geometry '" + name + "' (" + doc.where(g) + "): " + points.nonFinite()
                    + " non-finite vertex coordinate(s) set to 0");
        }
        FbxLayers layers = FbxLayers.of(g);
        FbxPolygonScan.Result scan = new FbxPolygonScan(pvi, points, layers, scene, work, fanTriangulation,
                maxTriangles - triangles, doc.file + ": more than " + maxTriangles
                + " triangles (ReadOptions.maxTriangles)").run();
        triangles += scan.triangles();
        warn(g, name, points.count(), scan);
        Transform normalMatrix = geometric.isIdentity() ? null : FbxGather.normalMatrix(geometric);
        Mesh mesh = new Mesh(name);
        List<MemorySegment> cps = new ArrayList<>();
        float[] unitNormals = null;
        for (Map.Entry<Integer, FbxPart> e : scan.parts().entrySet()) {
            FbxPart part = e.getValue();
            int nv = part.size();
            FbxGather.Buffers buffers = FbxGather.Buffers.of(scene, layers, nv);
            if (layers.normals() != null && unitNormals == null && layers.normals().values().length() / 3 < nv) {
                // Fewer normal values than vertices (indexed normals): each value is made a unit normal once.
                unitNormals = FbxGather.unitNormals(layers.normals(), normalMatrix);
            }
            MemorySegment cpOf = part.corners();
            new FbxGather(pvi, points.positions(), layers, unitNormals, normalMatrix, cpOf, part.polygons(), buffers)
                    .run(nv);
            int indexCount = part.indices.size();
            MemorySegment is = part.indices.into(scene);
            Primitive prim = new Primitive(Topology.TRIANGLES,
                    new VertexAttribute(VertexAttribute.POSITION, 3, nv, buffers.positions()), is, indexCount);
            if (buffers.normals() != null) {
                prim.put(new VertexAttribute(VertexAttribute.NORMAL, 3, nv, buffers.normals()));
            }
            for (int u = 0; u < buffers.uvs().length; u++) {
                prim.put(new VertexAttribute("TEXCOORD_" + u, 2, nv, buffers.uvs()[u]));
            }
            if (buffers.colors() != null) {
                prim.put(new VertexAttribute("COLOR_0", 4, nv, buffers.colors()));
            }
            int slot = e.getKey();
            prim.material(materials != null && slot >= 0 && slot < materials.length ? materials[slot] : -1);
            mesh.add(prim);
            cps.add(cpOf);
        }
        return new Built(mesh, cps, points.count());
    }

    /** Warns of the faces the scan skipped or cut as fans and of the layer values it did not find. */
    private void warn(FbxNode g, String name, int controlPoints, FbxPolygonScan.Result scan) {
        if (scan.skipped() > 0) {
            scene.warn("geometry '" + name + "' (" + doc.where(g) + "): " + scan.skipped() + " face(s) with fewer "
                    + "than 3 indices skipped (the first is polygon " + scan.firstSkipped() + ")");
        }
        if (scan.badIndex() > 0) {
            scene.warn("geometry '" + name + "' (" + doc.where(g) + "): " + scan.badIndex() + " face(s) refer to "
                    + "vertices beyond the " + controlPoints + " control points and were skipped");
        }
        if (scan.degenerate() > 0) {
            scene.warn("geometry '" + name + "': " + scan.degenerate() + " polygon(s) are not simple "
                    + "(self-intersecting or flat); they were cut as fans");
        }
        if (scan.missing() > 0) {
            scene.warn("geometry '" + name + "': " + scan.missing() + " layer value reference(s) out of range, "
                    + "zeros used");
        }
    }
}
