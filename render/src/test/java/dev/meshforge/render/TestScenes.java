// Scenes built in memory for the analytic render tests: a quad and a grid of spheres.
package dev.meshforge.render;

import dev.meshforge.core.scene.AlphaMode;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.VertexAttribute;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;

final class TestScenes {
    private TestScenes() {
    }

    /** sRGB byte to the linear value a material factor holds. */
    static float linear(int srgb) {
        double v = srgb / 255.0;
        return (float) (v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
    }

    /** A unit quad in the XY plane facing +Z (the front camera), with one material. */
    static Scene quad(Material material) {
        Scene s = new Scene();
        float[] p = {-1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 1, 0};
        float[] n = {0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1};
        int[] idx = {0, 1, 2, 0, 2, 3};
        Primitive prim = new Primitive(Topology.TRIANGLES, attribute(s, VertexAttribute.POSITION, 3, p),
                ints(s, idx), idx.length);
        prim.put(attribute(s, VertexAttribute.NORMAL, 3, n));
        s.materials().add(material);
        prim.material(0);
        s.addRoot(new Node("quad").mesh(new Mesh("quad").add(prim)));
        return s;
    }

    /** An unlit material of the given sRGB colour. */
    static Material unlit(int r, int g, int b) {
        return new Material("unlit", new float[] {linear(r), linear(g), linear(b), 1}, 0, 1, -1, -1, -1, -1, -1,
                new float[3], false, AlphaMode.OPAQUE, 0.5f, Map.of(), Map.of("KHR_materials_unlit", "{}"));
    }

    /** A UV sphere of radius 1 with smooth normals. */
    static Primitive sphere(Scene s, int segments, int rings) {
        int vertices = (segments + 1) * (rings + 1);
        float[] p = new float[vertices * 3];
        int k = 0;
        for (int r = 0; r <= rings; r++) {
            double theta = Math.PI * r / rings;
            for (int i = 0; i <= segments; i++) {
                double phi = 2 * Math.PI * i / segments;
                p[k++] = (float) (Math.sin(theta) * Math.cos(phi));
                p[k++] = (float) Math.cos(theta);
                p[k++] = (float) (-Math.sin(theta) * Math.sin(phi));
            }
        }
        int[] idx = new int[segments * rings * 6];
        k = 0;
        for (int r = 0; r < rings; r++) {
            for (int i = 0; i < segments; i++) {
                int a = r * (segments + 1) + i;
                int b = a + segments + 1;
                idx[k++] = a;
                idx[k++] = b;
                idx[k++] = a + 1;
                idx[k++] = a + 1;
                idx[k++] = b;
                idx[k++] = b + 1;
            }
        }
        Primitive prim = new Primitive(Topology.TRIANGLES, attribute(s, VertexAttribute.POSITION, 3, p), ints(s, idx),
                idx.length);
        prim.put(attribute(s, VertexAttribute.NORMAL, 3, p.clone()));
        return prim;
    }

    /**
     * White spheres in a row per metallic value (rows) and roughness value (columns), on the XY plane facing +Z.
     */
    static Scene sphereGrid(float[] metallic, float[] roughness) {
        Scene s = new Scene();
        Node root = new Node("grid");
        s.addRoot(root);
        for (int row = 0; row < metallic.length; row++) {
            for (int col = 0; col < roughness.length; col++) {
                s.materials().add(new Material("m" + row + "r" + col, new float[] {1, 1, 1, 1}, metallic[row],
                        roughness[col], -1, -1, -1, -1, -1, new float[3], false));
                Primitive sphere = sphere(s, 48, 24).material(s.materials().size() - 1);
                root.add(new Node("s").mesh(new Mesh("s").add(sphere))
                        .local(Transform.translation(col * 2.5, -row * 2.5, 0)));
            }
        }
        return s;
    }

    static VertexAttribute attribute(Scene s, String name, int components, float[] values) {
        MemorySegment seg = s.allocateFloats(values.length);
        MemorySegment.copy(values, 0, seg, ValueLayout.JAVA_FLOAT, 0, values.length);
        return new VertexAttribute(name, components, values.length / components, seg);
    }

    static MemorySegment ints(Scene s, int[] values) {
        MemorySegment seg = s.allocateInts(values.length);
        MemorySegment.copy(values, 0, seg, ValueLayout.JAVA_INT, 0, values.length);
        return seg;
    }
}
