// Writes a textured torus of about 100k triangles as GLB: the render benchmarks' generated input, which both
// meshforge and f3d read from the same file.
package dev.meshforge.benchmarks;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Texture;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.VertexAttribute;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * A torus (radii 1 and 0.35, Y up) of {@code 2 * rings * segments} triangles with smooth normals and UVs, a 1024²
 * checker base colour texture (PNG) and a half-rough dielectric material. The seam's vertices are doubled, so that
 * the UVs run 0..1 around both circles.
 */
final class TexturedTorusGlb {
    private TexturedTorusGlb() {
    }

    static void write(Path file, int rings, int segments) throws IOException {
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
        try (Scene s = new Scene()) {
            Primitive prim = new Primitive(Topology.TRIANGLES, floats(s, VertexAttribute.POSITION, 3, p),
                    ints(s, idx), idx.length);
            prim.put(floats(s, VertexAttribute.NORMAL, 3, n));
            prim.put(floats(s, "TEXCOORD_0", 2, uv));
            s.textures().add(new Texture("checker", "image/png", checker(1024, 16)));
            s.materials().add(new Material("checker", new float[] {1, 1, 1, 1}, 0, 0.5f, 0, -1, -1, -1, -1,
                    new float[3], false));
            prim.material(0);
            s.addRoot(new Node("torus").mesh(new Mesh("torus").add(prim)));
            Formats.write(s, file, Format.GLB, WriteOptions.DEFAULTS);
        }
    }

    private static byte[] checker(int size, int squares) throws IOException {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int cell = size / squares;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                boolean dark = ((x / cell) + (y / cell)) % 2 == 0;
                image.setRGB(x, y, dark ? 0x2a4d8f : 0xe8c547);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
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
