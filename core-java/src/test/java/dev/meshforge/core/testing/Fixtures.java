// Small meshes, STL byte builders and a PNG the tests make themselves.
package dev.meshforge.core.testing;

import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.VertexAttribute;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Test geometry: an outward-facing unit cube as 12 triangles, STL encodings of triangle lists, a tiny PNG. */
public final class Fixtures {
    private Fixtures() {
    }

    /** The corners of the unit cube [0,1]^3, the vertices of {@link #cubeTriangles()}: testdata/cube.obj's. */
    public static float[][] cubeCorners() {
        return cubeObj().stream().filter(l -> l.startsWith("v ")).map(l -> {
            String[] f = l.split(" ");
            return new float[] {Float.parseFloat(f[1]), Float.parseFloat(f[2]), Float.parseFloat(f[3])};
        }).toArray(float[][]::new);
    }

    /** The unit cube's 12 outward triangles as corner indices, two a face: -z, +z, -y, +x, +y, -x. */
    public static int[][] cubeTriangles() {
        return cubeObj().stream().filter(l -> l.startsWith("f ")).map(l -> {
            String[] f = l.split(" ");
            return new int[] {Integer.parseInt(f[1]) - 1, Integer.parseInt(f[2]) - 1, Integer.parseInt(f[3]) - 1};
        }).toArray(int[][]::new);
    }

    private static java.util.List<String> cubeObj() {
        try {
            return java.nio.file.Files.readAllLines(TestData.file("cube.obj"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unit cube [0,1]^3, 12 outward triangles, 9 floats each (corners a, b, c). */
    public static float[][] cube() {
        float[][] v = cubeCorners();
        int[][] f = cubeTriangles();
        float[][] tris = new float[f.length][9];
        for (int t = 0; t < f.length; t++) {
            for (int k = 0; k < 3; k++) {
                System.arraycopy(v[f[t][k]], 0, tris[t], k * 3, 3);
            }
        }
        return tris;
    }

    /** A 4 x 4 black PNG with one pixel of colour {@code rgb} (0xRRGGBB) at column x, row y. */
    public static byte[] dotPng(int x, int y, int rgb) {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        image.setRGB(x, y, rgb);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Binary STL with the given 80-byte header text, declared count and triangles. */
    public static byte[] binaryStl(String header, long declaredCount, float[][] triangles) {
        ByteBuffer b = ByteBuffer.allocate(84 + 50 * triangles.length).order(ByteOrder.LITTLE_ENDIAN);
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        b.put(h, 0, Math.min(80, h.length));
        b.position(80);
        b.putInt((int) declaredCount);
        for (float[] t : triangles) {
            b.putFloat(0).putFloat(0).putFloat(0);
            for (float x : t) {
                b.putFloat(x);
            }
            b.putShort((short) 0);
        }
        return b.array();
    }

    /** ASCII STL with the chosen line ending; keywords in the given case. */
    public static String asciiStl(String name, float[][] triangles, String eol, boolean upperCase) {
        StringBuilder sb = new StringBuilder();
        sb.append("solid ").append(name).append(eol);
        for (float[] t : triangles) {
            sb.append("facet normal 0 0 0").append(eol).append(" outer loop").append(eol);
            for (int k = 0; k < 3; k++) {
                sb.append("  vertex ").append(t[k * 3]).append(' ').append(t[k * 3 + 1]).append(' ')
                        .append(t[k * 3 + 2]).append(eol);
            }
            sb.append(" endloop").append(eol).append("endfacet").append(eol);
        }
        sb.append("endsolid ").append(name).append(eol);
        String s = sb.toString();
        return upperCase ? s.replace("solid", "SOLID").replace("facet", "FACET").replace("vertex", "VERTEX")
                .replace("outer loop", "OUTER LOOP").replace("endloop", "ENDLOOP").replace("normal", "NORMAL")
                .toUpperCase(Locale.ROOT) : s;
    }

    /**
     * Two placements ("left cube", and "right cube" 3 along x) of one unit-cube mesh split as far as a mesh can be:
     * every triangle with its own three vertices (its face's normal, UVs (0,0), (1,0), (0,1)), plus one unused
     * vertex: 37 vertices, 12 triangles.
     */
    public static Scene splitCube() {
        float[][] corners = cubeCorners();
        int[][] tris = cubeTriangles();
        Scene scene = new Scene();
        int n = tris.length * 3 + 1;
        MemorySegment pos = scene.allocateFloats(3L * n);
        MemorySegment nor = scene.allocateFloats(3L * n);
        MemorySegment uv = scene.allocateFloats(2L * n);
        MemorySegment idx = scene.allocateInts(3L * tris.length);
        // every triangle gets its own three corners: the most split a mesh can be (36 vertices + 1 unused)
        for (int t = 0; t < tris.length; t++) {
            float[] a = corners[tris[t][0]], b = corners[tris[t][1]], c = corners[tris[t][2]];
            float[] e1 = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
            float[] e2 = {c[0] - a[0], c[1] - a[1], c[2] - a[2]};
            float[] normal = {e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]};
            for (int k = 0; k < 3; k++) {
                int v = 3 * t + k;
                MemorySegment.copy(corners[tris[t][k]], 0, pos, ValueLayout.JAVA_FLOAT, 12L * v, 3);
                MemorySegment.copy(normal, 0, nor, ValueLayout.JAVA_FLOAT, 12L * v, 3);
                uv.setAtIndex(ValueLayout.JAVA_FLOAT, 2L * v, k == 1 ? 1 : 0);
                uv.setAtIndex(ValueLayout.JAVA_FLOAT, 2L * v + 1, k == 2 ? 1 : 0);
                idx.setAtIndex(ValueLayout.JAVA_INT, v, v);
            }
        }
        pos.setAtIndex(ValueLayout.JAVA_FLOAT, 3L * (n - 1), 50f); // the unused vertex, far away
        Primitive p = new Primitive(Topology.TRIANGLES, new VertexAttribute(VertexAttribute.POSITION, 3, n, pos), idx,
                3L * tris.length);
        p.put(new VertexAttribute(VertexAttribute.NORMAL, 3, n, nor));
        p.put(new VertexAttribute("TEXCOORD_0", 2, n, uv));
        Mesh box = new Mesh("box").add(p);
        scene.addRoot(new Node("left cube").mesh(box));
        scene.addRoot(new Node("right cube").local(Transform.translation(3, 0, 0)).mesh(box));
        return scene;
    }
}
