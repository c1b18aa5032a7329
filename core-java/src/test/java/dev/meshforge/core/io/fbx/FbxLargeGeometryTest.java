// A geometry large enough that its vertices are gathered in several runs (helpers): every value where it belongs.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.VertexAttribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class FbxLargeGeometryTest {
    @TempDir
    Path tmp;

    /**
     * A 300 x 300 grid of quads with a normal and a UV per vertex, written as binary FBX: normals are written per
     * corner, so the 540,000 corners read back as 540,000 vertices, more than eight runs of the gather. Each read
     * corner must carry the position, normal and UV of the grid vertex it was written from.
     */
    @Test
    void everyCornerOfALargeGeometryReadsBackWithItsOwnValues() throws IOException {
        int side = 300;
        int rows = side + 1;
        float[] p = new float[rows * rows * 3];
        float[] n = new float[rows * rows * 3];
        float[] uv = new float[rows * rows * 2];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < rows; j++) {
                int k = i * rows + j;
                double a = i * 0.01;
                double b = j * 0.013;
                p[k * 3] = i;
                p[k * 3 + 1] = j * 0.5f;
                p[k * 3 + 2] = (float) Math.sin(a + b);
                n[k * 3] = (float) (Math.cos(a) * Math.cos(b));
                n[k * 3 + 1] = (float) Math.sin(b);
                n[k * 3 + 2] = (float) (Math.sin(a) * Math.cos(b));
                uv[k * 2] = (float) i / side;
                uv[k * 2 + 1] = (float) j / side;
            }
        }
        // Each quad (i, j) as two triangles: corners by their offset from the quad's first vertex.
        int[] quad = {0, rows, 1, rows, rows + 1, 1};
        int[] idx = new int[side * side * quad.length];
        for (int q = 0; q < side * side; q++) {
            int first = (q / side) * rows + q % side;
            for (int c = 0; c < quad.length; c++) {
                idx[q * quad.length + c] = first + quad[c];
            }
        }
        Path file = tmp.resolve("grid.fbx");
        try (Scene s = new Scene()) {
            Primitive prim = new Primitive(Topology.TRIANGLES, floats(s, VertexAttribute.POSITION, 3, p),
                    ints(s, idx), idx.length);
            prim.put(floats(s, VertexAttribute.NORMAL, 3, n));
            prim.put(floats(s, "TEXCOORD_0", 2, uv));
            s.addRoot(new Node("grid").mesh(new Mesh("grid").add(prim)));
            Formats.write(s, file, Format.FBX, WriteOptions.DEFAULTS);
        }
        try (Scene back = Formats.read(file)) {
            Primitive q = back.roots().get(0).mesh().primitives().get(0);
            assertEquals(idx.length, q.indexCount());
            assertEquals(idx.length, q.vertexCount(), "one vertex per corner (normals written per corner)");
            MemorySegment ri = q.indices();
            VertexAttribute rp = q.attribute(VertexAttribute.POSITION);
            VertexAttribute rn = q.attribute(VertexAttribute.NORMAL);
            VertexAttribute ruv = q.attribute("TEXCOORD_0");
            assertNotNull(rn);
            assertNotNull(ruv);
            for (int c = 0; c < idx.length; c++) {
                long v = Integer.toUnsignedLong(ri.getAtIndex(ValueLayout.JAVA_INT, c));
                int k = idx[c];
                for (int d = 0; d < 3; d++) {
                    assertEquals(p[k * 3 + d], rp.data().getAtIndex(ValueLayout.JAVA_FLOAT, v * 3 + d),
                            "corner " + c + " position " + d);
                    assertEquals(n[k * 3 + d], rn.data().getAtIndex(ValueLayout.JAVA_FLOAT, v * 3 + d), 1e-6,
                            "corner " + c + " normal " + d);
                }
                for (int d = 0; d < 2; d++) {
                    assertEquals(uv[k * 2 + d], ruv.data().getAtIndex(ValueLayout.JAVA_FLOAT, v * 2 + d), 1e-6,
                            "corner " + c + " uv " + d);
                }
            }
        }
    }

    private static VertexAttribute floats(Scene s, String name, int components, float[] values) {
        return new VertexAttribute(name, components, values.length / components,
                s.allocateFloats(values.length).copyFrom(MemorySegment.ofArray(values)));
    }

    private static MemorySegment ints(Scene s, int[] values) {
        return s.allocateInts(values.length).copyFrom(MemorySegment.ofArray(values));
    }
}
