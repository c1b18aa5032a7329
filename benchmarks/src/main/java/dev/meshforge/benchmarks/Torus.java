// A torus scene with smooth normals and UVs, generated in memory: the benchmarks' large input for every format.
package dev.meshforge.benchmarks;

import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.VertexAttribute;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A torus (radii 1 and 0.35, Y up) of {@code 2 * rings * segments} triangles with smooth normals and UVs in one
 * primitive of one mesh under one node. The seam's vertices are doubled, so that the UVs run 0..1 around both
 * circles.
 */
final class Torus {
    private Torus() {
    }

    static Scene scene(int rings, int segments) {
        int columns = rings + 1;
        int rows = segments + 1;
        float[] p = new float[columns * rows * 3];
        float[] n = new float[columns * rows * 3];
        float[] uv = new float[columns * rows * 2];
        for (int i = 0; i < columns; i++) {
            double u = 2 * Math.PI * i / rings;
            for (int j = 0; j < rows; j++) {
                double v = 2 * Math.PI * j / segments;
                int k = i * rows + j;
                double r = 1 + 0.35 * Math.cos(v);
                p[k * 3] = (float) (r * Math.cos(u));
                p[k * 3 + 1] = (float) (0.35 * Math.sin(v));
                p[k * 3 + 2] = (float) (r * Math.sin(u));
                n[k * 3] = (float) (Math.cos(v) * Math.cos(u));
                n[k * 3 + 1] = (float) Math.sin(v);
                n[k * 3 + 2] = (float) (Math.cos(v) * Math.sin(u));
                uv[k * 2] = (float) i / rings;
                uv[k * 2 + 1] = (float) j / segments;
            }
        }
        int[] idx = new int[rings * segments * 6];
        int t = 0;
        for (int i = 0; i < rings; i++) {
            for (int j = 0; j < segments; j++) {
                int a = i * rows + j;
                int b = (i + 1) * rows + j;
                // Counter-clockwise seen from outside.
                idx[t++] = a;
                idx[t++] = a + 1;
                idx[t++] = b;
                idx[t++] = b;
                idx[t++] = a + 1;
                idx[t++] = b + 1;
            }
        }
        Scene s = new Scene();
        Primitive prim = new Primitive(Topology.TRIANGLES, floats(s, VertexAttribute.POSITION, 3, p),
                ints(s, idx), idx.length);
        prim.put(floats(s, VertexAttribute.NORMAL, 3, n));
        prim.put(floats(s, "TEXCOORD_0", 2, uv));
        s.addRoot(new Node("torus").mesh(new Mesh("torus").add(prim)));
        return s;
    }

    private static VertexAttribute floats(Scene s, String name, int components, float[] values) {
        MemorySegment seg = s.allocateFloats(values.length);
        MemorySegment.copy(values, 0, seg, ValueLayout.JAVA_FLOAT, 0, values.length);
        return new VertexAttribute(name, components, values.length / components, seg);
    }

    private static MemorySegment ints(Scene s, int[] values) {
        MemorySegment seg = s.allocateInts(values.length);
        MemorySegment.copy(values, 0, seg, ValueLayout.JAVA_INT, 0, values.length);
        return seg;
    }
}
