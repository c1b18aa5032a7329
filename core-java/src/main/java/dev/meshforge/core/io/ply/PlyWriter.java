// Writes a scene as one PLY mesh in world space: binary little endian by default, ASCII on request.
package dev.meshforge.core.io.ply;

import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.io.FloatList;
import dev.meshforge.core.io.SceneWriter;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.VertexAttribute;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PLY output. All primitives of all mesh placements are merged into one vertex element and one face element,
 * in world space (normals by the inverse transpose; mirroring placements keep outward winding by swapping two
 * corners). Written per vertex: {@code float x y z}; {@code float nx ny nz} when any primitive has NORMAL;
 * {@code uchar red green blue alpha} when any has COLOR_0 (0..1 scaled to 0..255, alpha 255 when absent);
 * {@code float s t} when any has TEXCOORD_0, with V flipped back to PLY's bottom-left origin ({@code t = 1 - v}).
 * Primitives that lack an attribute others have get zero normals, opaque white and texture coordinates (0, 0).
 * A placement's used vertices that the file would hold alike (position, colour) are written once, so a mesh split
 * per attribute arrives connected; where their normals differ (hard edges), the file has no normals, with a
 * warning, since PLY cannot hold a normal per corner. Where their texture coordinates differ (UV seams), each face
 * also holds its corners' coordinates as {@code list uchar float texcoord} (u v a corner), the per-corner form
 * MeshLab reads and writes; the vertex's {@code s t} are then its first corner's, for readers that take
 * vertex coordinates only (Blender 3.4's PLY importer), with a warning naming how many vertices lie on seams.
 * Triangles are written as {@code list uchar uint vertex_indices}; points and lines contribute their vertices
 * only, and a scene without triangles has no face element. Floats in ASCII are written in their shortest exact
 * decimal form, so both encodings read back bit for bit. Coordinates are written as they are: PLY has no unit.
 */
public final class PlyWriter implements SceneWriter {
    private static final String COLOR = "COLOR_0";
    private static final String TEXCOORD = "TEXCOORD_0";

    /**
     * One primitive placed once: {@code remap} gives each source vertex its number among its placement's written
     * vertices (-1 when unused), {@code written} the source vertices this part adds, {@code base} the file-wide
     * number of its placement's first vertex.
     */
    private record Part(Primitive primitive, Transform transform, int[] remap, int[] written, long base) {
    }

    /** What a written vertex is told apart by: its position and colour as written. */
    private record Key(int x, int y, int z, int rgba) {
    }

    /**
     * The vertices one placement has written so far, with the normal and texture coordinates each was first
     * written with, and which of them have corners that differ in either.
     */
    private static final class Shared {
        final Map<Key, Integer> ids = new HashMap<>();
        final FloatList firstNormals = new FloatList(96);
        final FloatList firstUvs = new FloatList(64);
        final java.util.BitSet differing = new java.util.BitSet();
        final java.util.BitSet seams = new java.util.BitSet();
    }

    @Override
    public void write(Scene scene, Path file, WriteOptions options) throws IOException {
        List<Mesh> meshes = new ArrayList<>();
        List<Transform> transforms = new ArrayList<>();
        scene.forEachPlacedMesh((mesh, t) -> {
            meshes.add(mesh);
            transforms.add(t);
        });
        long triangles = 0;
        boolean normals = false;
        boolean colors = false;
        boolean uvs = false;
        for (Mesh m : meshes) {
            for (Primitive p : m.primitives()) {
                triangles += p.triangleCount();
                normals |= p.attribute(VertexAttribute.NORMAL) != null;
                colors |= p.attribute(COLOR) != null;
                uvs |= p.attribute(TEXCOORD) != null;
            }
        }
        // A placement's primitives share the vertices written alike, so a mesh split per attribute (as glTF needs)
        // or per material arrives connected; unused vertices are left out.
        List<Part> parts = new ArrayList<>();
        long vertices = 0;
        long hardEdges = 0;
        long seams = 0;
        for (int i = 0; i < meshes.size(); i++) {
            Shared shared = new Shared();
            long base = vertices;
            for (Primitive p : meshes.get(i).primitives()) {
                Part part = share(p, transforms.get(i), colors, uvs, shared, base);
                parts.add(part);
                vertices += part.written.length;
            }
            hardEdges += shared.differing.cardinality();
            seams += shared.seams.cardinality();
            if (vertices > 0xFFFF_FFFFL) {
                throw new LimitExceededException(file + ": the scene has more than 4294967295 vertices, more than "
                        + "uint32 face indices can address");
            }
        }
        if (normals && hardEdges > 0) {
            normals = false;
            scene.warn(file + ": PLY holds one normal a vertex, and " + hardEdges + " shared positions have corners "
                    + "with different normals (hard edges), so normals were left out; readers compute them");
        }
        boolean cornerUvs = uvs && seams > 0 && triangles > 0;
        if (cornerUvs) {
            scene.warn(file + ": " + seams + " vertices lie on texture seams; their corners' coordinates are in "
                    + "the faces' texcoord lists (as MeshLab reads them), and a reader of vertex s t only "
                    + "(Blender 3.4) sees one of them");
        }
        String header = header(options.ascii(), vertices, triangles, normals, colors, uvs, cornerUvs);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            Records records = options.ascii() ? new AsciiRecords(out) : new BinaryRecords(out);
            float[] record = new float[12];
            for (Part part : parts) {
                writeVertices(part, normals, colors, uvs, record, records);
            }
            int[] tri = new int[3];
            float[] wedge = cornerUvs ? new float[6] : null;
            for (Part part : parts) {
                Primitive p = part.primitive;
                if (p.topology() == Topology.TRIANGLES) {
                    boolean mirror = part.transform.determinant3() < 0;
                    VertexAttribute uv = p.attribute(TEXCOORD);
                    boolean hasUv = uv != null && uv.components() >= 2;
                    for (long t = 0; t < p.triangleCount(); t++) {
                        for (int k = 0; k < 3; k++) {
                            int v = p.index(t * 3 + (mirror && k > 0 ? 3 - k : k));
                            tri[k] = (int) (part.base + part.remap[v]);
                            if (wedge != null) {
                                wedge[2 * k] = hasUv ? uv.get(v, 0) : 0f;
                                wedge[2 * k + 1] = hasUv ? 1f - uv.get(v, 1) : 1f;
                            }
                        }
                        records.triangle(tri, wedge);
                    }
                }
            }
            records.flush();
        }
    }

    /**
     * Numbers the used vertices of a placed primitive by what the file holds of them (world position, colour),
     * continuing the placement's numbering in {@code shared}; marks the written vertices whose corners disagree
     * on the normal or on the texture coordinates.
     */
    private static Part share(Primitive p, Transform t, boolean colors, boolean uvs, Shared shared, long base) {
        boolean[] used = p.usedVertices();
        int[] remap = new int[used.length];
        int[] written = new int[used.length];
        VertexAttribute pos = p.positions();
        VertexAttribute col = colors ? p.attribute(COLOR) : null;
        VertexAttribute uv = uvs ? p.attribute(TEXCOORD) : null;
        boolean hasUv = uv != null && uv.components() >= 2;
        VertexAttribute nrm = p.attribute(VertexAttribute.NORMAL);
        if (nrm != null && nrm.components() < 3) {
            nrm = null;
        }
        double[] world = new double[3];
        int count = 0;
        for (int v = 0; v < used.length; v++) {
            if (!used[v]) {
                remap[v] = -1;
                continue;
            }
            worldPosition(pos, t, v, world);
            int rgba = 0;
            if (col != null) {
                for (int c = 0; c < 4; c++) {
                    rgba = rgba << 8 | toByte(c < col.components() ? col.get(v, c) : 1f);
                }
            }
            Key key = new Key(bits(world[0]), bits(world[1]), bits(world[2]), rgba);
            int next = shared.ids.size();
            Integer id = shared.ids.putIfAbsent(key, next);
            for (int k = 0; k < 3; k++) {
                float n = nrm == null ? 0f : nrm.get(v, k) + 0f;
                if (id == null) {
                    shared.firstNormals.add(n);
                } else if (Float.floatToIntBits(n) != Float.floatToIntBits(shared.firstNormals.array()[3 * id + k])) {
                    shared.differing.set(id);
                }
            }
            for (int k = 0; k < 2; k++) {
                float c = hasUv ? uv.get(v, k) + 0f : 0f;
                if (id == null) {
                    shared.firstUvs.add(c);
                } else if (Float.floatToIntBits(c) != Float.floatToIntBits(shared.firstUvs.array()[2 * id + k])) {
                    shared.seams.set(id);
                }
            }
            if (id == null) {
                id = next;
                written[count++] = v;
            }
            remap[v] = id;
        }
        return new Part(p, t, remap, java.util.Arrays.copyOf(written, count), base);
    }

    private static int bits(double coordinate) {
        return Float.floatToIntBits((float) coordinate + 0f);
    }

    private static void worldPosition(VertexAttribute pos, Transform t, int v, double[] out) {
        if (t.isIdentity()) {
            out[0] = pos.get(v, 0);
            out[1] = pos.get(v, 1);
            out[2] = pos.get(v, 2);
        } else {
            t.applyToPoint(pos.get(v, 0), pos.get(v, 1), pos.get(v, 2), out);
        }
    }

    private static String header(boolean ascii, long vertices, long triangles, boolean normals, boolean colors,
                                 boolean uvs, boolean cornerUvs) {
        StringBuilder h = new StringBuilder("ply\nformat ")
                .append(ascii ? "ascii" : "binary_little_endian").append(" 1.0\n")
                .append("comment written by meshforge\n")
                .append("element vertex ").append(vertices).append('\n')
                .append("property float x\nproperty float y\nproperty float z\n");
        if (normals) {
            h.append("property float nx\nproperty float ny\nproperty float nz\n");
        }
        if (colors) {
            h.append("property uchar red\nproperty uchar green\nproperty uchar blue\nproperty uchar alpha\n");
        }
        if (uvs) {
            h.append("property float s\nproperty float t\n");
        }
        if (triangles > 0) {
            h.append("element face ").append(triangles).append('\n')
                    .append("property list uchar uint vertex_indices\n");
            if (cornerUvs) {
                h.append("property list uchar float texcoord\n");
            }
        }
        return h.append("end_header\n").toString();
    }

    /**
     * Writes the vertices of one part. {@code record} receives per vertex: xyz, then normal, then RGBA in 0..1,
     * then s t, each group present only when its flag is set.
     */
    private static void writeVertices(Part part, boolean normals, boolean colors, boolean uvs, float[] record,
                                      Records out) throws IOException {
        Primitive p = part.primitive;
        Transform t = part.transform;
        boolean identity = t.isIdentity();
        double[] normalMatrix = normalMatrix(t);
        VertexAttribute pos = p.positions();
        VertexAttribute nrm = p.attribute(VertexAttribute.NORMAL);
        VertexAttribute col = p.attribute(COLOR);
        VertexAttribute uv = p.attribute(TEXCOORD);
        double[] world = new double[3];
        for (int v : part.written) {
            int n = 0;
            worldPosition(pos, t, v, world);
            record[n++] = (float) world[0];
            record[n++] = (float) world[1];
            record[n++] = (float) world[2];
            if (normals) {
                if (nrm == null || nrm.components() < 3) {
                    record[n++] = 0;
                    record[n++] = 0;
                    record[n++] = 0;
                } else if (identity) {
                    record[n++] = nrm.get(v, 0);
                    record[n++] = nrm.get(v, 1);
                    record[n++] = nrm.get(v, 2);
                } else {
                    n = transformNormal(normalMatrix, nrm.get(v, 0), nrm.get(v, 1), nrm.get(v, 2), record, n);
                }
            }
            if (colors) {
                for (int c = 0; c < 4; c++) {
                    record[n++] = col != null && c < col.components() ? col.get(v, c) : 1f;
                }
            }
            if (uvs) {
                boolean has = uv != null && uv.components() >= 2;
                record[n++] = has ? uv.get(v, 0) : 0f;
                record[n++] = has ? 1f - uv.get(v, 1) : 1f;
            }
            out.vertex(record, normals, colors, uvs);
        }
    }

    /** The cofactor matrix of the transform's 3x3 part, signed so that it maps normals outward: row-major. */
    private static double[] normalMatrix(Transform t) {
        double[] a0 = {t.get(0, 0), t.get(1, 0), t.get(2, 0)};
        double[] a1 = {t.get(0, 1), t.get(1, 1), t.get(2, 1)};
        double[] a2 = {t.get(0, 2), t.get(1, 2), t.get(2, 2)};
        double[] c0 = cross(a1, a2);
        double[] c1 = cross(a2, a0);
        double[] c2 = cross(a0, a1);
        double sign = t.determinant3() < 0 ? -1 : 1;
        // Columns c0, c1, c2 form det(A) * A^-T; the sign makes it a positive multiple of A^-T.
        return new double[] {
                sign * c0[0], sign * c1[0], sign * c2[0],
                sign * c0[1], sign * c1[1], sign * c2[1],
                sign * c0[2], sign * c1[2], sign * c2[2]};
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static int transformNormal(double[] m, float x, float y, float z, float[] out, int at) {
        double nx = m[0] * x + m[1] * y + m[2] * z;
        double ny = m[3] * x + m[4] * y + m[5] * z;
        double nz = m[6] * x + m[7] * y + m[8] * z;
        double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
        double s = len > 0 ? 1 / len : 0;
        out[at] = (float) (nx * s);
        out[at + 1] = (float) (ny * s);
        out[at + 2] = (float) (nz * s);
        return at + 3;
    }

    private static int toByte(float unit) {
        float c = Math.max(0f, Math.min(1f, unit));
        return Math.round(c * 255f);
    }

    /** The body encoding: one vertex record, one triangle record at a time. */
    private interface Records {
        void vertex(float[] r, boolean normals, boolean colors, boolean uvs) throws IOException;

        /** One triangle, with its corners' u v (PLY's orientation) when {@code uvs} is not null. */
        void triangle(int[] corners, float[] uvs) throws IOException;

        void flush() throws IOException;
    }

    private static final class BinaryRecords implements Records {
        private final OutputStream out;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        BinaryRecords(OutputStream out) {
            this.out = out;
        }

        private void room(int bytes) throws IOException {
            if (buf.remaining() < bytes) {
                flush();
            }
        }

        @Override
        public void vertex(float[] r, boolean normals, boolean colors, boolean uvs) throws IOException {
            room(48);
            int n = 0;
            buf.putFloat(r[n++]).putFloat(r[n++]).putFloat(r[n++]);
            if (normals) {
                buf.putFloat(r[n++]).putFloat(r[n++]).putFloat(r[n++]);
            }
            if (colors) {
                for (int c = 0; c < 4; c++) {
                    buf.put((byte) toByte(r[n++]));
                }
            }
            if (uvs) {
                buf.putFloat(r[n++]).putFloat(r[n]);
            }
        }

        @Override
        public void triangle(int[] corners, float[] uvs) throws IOException {
            room(38);
            buf.put((byte) 3).putInt(corners[0]).putInt(corners[1]).putInt(corners[2]);
            if (uvs != null) {
                buf.put((byte) 6);
                for (float c : uvs) {
                    buf.putFloat(c);
                }
            }
        }

        @Override
        public void flush() throws IOException {
            out.write(buf.array(), 0, buf.position());
            buf.clear();
        }
    }

    private static final class AsciiRecords implements Records {
        private final OutputStream out;
        private final StringBuilder line = new StringBuilder(128);

        AsciiRecords(OutputStream out) {
            this.out = out;
        }

        private void emit() throws IOException {
            line.append('\n');
            byte[] b = new byte[line.length()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) line.charAt(i);
            }
            out.write(b);
            line.setLength(0);
        }

        @Override
        public void vertex(float[] r, boolean normals, boolean colors, boolean uvs) throws IOException {
            int n = 0;
            line.append(r[n++]).append(' ').append(r[n++]).append(' ').append(r[n++]);
            if (normals) {
                line.append(' ').append(r[n++]).append(' ').append(r[n++]).append(' ').append(r[n++]);
            }
            if (colors) {
                for (int c = 0; c < 4; c++) {
                    line.append(' ').append(toByte(r[n++]));
                }
            }
            if (uvs) {
                line.append(' ').append(r[n++]).append(' ').append(r[n]);
            }
            emit();
        }

        @Override
        public void triangle(int[] corners, float[] uvs) throws IOException {
            line.append("3 ").append(Integer.toUnsignedString(corners[0])).append(' ')
                    .append(Integer.toUnsignedString(corners[1])).append(' ')
                    .append(Integer.toUnsignedString(corners[2]));
            if (uvs != null) {
                line.append(" 6");
                for (float c : uvs) {
                    line.append(' ').append(c);
                }
            }
            emit();
        }

        @Override
        public void flush() {
        }
    }
}
