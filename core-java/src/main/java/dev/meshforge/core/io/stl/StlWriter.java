// Writes a scene's triangles, in world space and millimetres, as binary (default) or ASCII STL.
package dev.meshforge.core.io.stl;

import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.SceneWriter;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.TriangleMesh;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * STL output. Every triangle of every placement is written in world space. Coordinates are in millimetres
 * when the scene declares its unit (a glTF in metres is scaled by 1000); a scene whose unit was only
 * assumed is written as it is. Facet normals are computed from the corners; floats are written in their
 * shortest exact decimal form, so an ASCII file reads back bit for bit.
 */
public final class StlWriter implements SceneWriter {

    @Override
    public void write(Scene scene, Path file, WriteOptions options) throws IOException {
        double scale = scene.units().declared() ? scene.units().toMillimetres() : 1.0;
        try (Arena scratch = Arena.ofConfined()) {
            TriangleMesh mesh = scene.worldTriangles(scratch);
            if (mesh.triangleCount() > 0xFFFF_FFFFL) {
                throw new LimitExceededException(file + ": binary STL holds at most 4294967295 triangles, the scene has "
                        + mesh.triangleCount());
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                if (options.ascii()) {
                    writeAscii(mesh, scale, out, solidName(file));
                } else {
                    writeBinary(mesh, scale, out);
                }
            }
        }
    }

    private static String solidName(Path file) {
        return Format.stem(file).replaceAll("\\s+", "_");
    }

    /** Fills corners[0..8] with the scaled corners of triangle t and normal[0..2] with its unit normal. */
    private static void triangle(TriangleMesh mesh, double scale, long t, float[] corners, float[] normal) {
        for (int k = 0; k < 3; k++) {
            long v = mesh.index(t * 3 + k);
            for (int a = 0; a < 3; a++) {
                corners[k * 3 + a] = (float) (mesh.coordinate(v, a) * scale);
            }
        }
        double ux = corners[3] - corners[0], uy = corners[4] - corners[1], uz = corners[5] - corners[2];
        double vx = corners[6] - corners[0], vy = corners[7] - corners[1], vz = corners[8] - corners[2];
        double nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
        double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
        if (len > 0) {
            normal[0] = (float) (nx / len);
            normal[1] = (float) (ny / len);
            normal[2] = (float) (nz / len);
        } else {
            normal[0] = normal[1] = normal[2] = 0f;
        }
    }

    private static void writeBinary(TriangleMesh mesh, double scale, OutputStream out) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(84).order(ByteOrder.LITTLE_ENDIAN);
        byte[] text = "binary STL written by meshforge; units: millimetres".getBytes(StandardCharsets.US_ASCII);
        header.put(text);
        header.position(80);
        header.putInt((int) mesh.triangleCount());
        out.write(header.array());
        ByteBuffer rec = ByteBuffer.allocate(50).order(ByteOrder.LITTLE_ENDIAN);
        float[] corners = new float[9];
        float[] normal = new float[3];
        for (long t = 0; t < mesh.triangleCount(); t++) {
            triangle(mesh, scale, t, corners, normal);
            rec.clear();
            for (float f : normal) {
                rec.putFloat(f);
            }
            for (float f : corners) {
                rec.putFloat(f);
            }
            rec.putShort((short) 0);
            out.write(rec.array());
        }
    }

    private static void writeAscii(TriangleMesh mesh, double scale, OutputStream out, String name)
            throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII), 1 << 16);
        w.write("solid " + name + "\n");
        float[] corners = new float[9];
        float[] normal = new float[3];
        for (long t = 0; t < mesh.triangleCount(); t++) {
            triangle(mesh, scale, t, corners, normal);
            w.write("  facet normal " + normal[0] + " " + normal[1] + " " + normal[2] + "\n    outer loop\n");
            for (int k = 0; k < 3; k++) {
                w.write("      vertex " + corners[k * 3] + " " + corners[k * 3 + 1] + " " + corners[k * 3 + 2] + "\n");
            }
            w.write("    endloop\n  endfacet\n");
        }
        w.write("endsolid " + name + "\n");
        w.flush();
    }
}
