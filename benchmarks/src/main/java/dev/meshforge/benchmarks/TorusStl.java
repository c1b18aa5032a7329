// Writes a closed, manifold torus of a chosen triangle count as binary STL: the benchmarks' generated input.
package dev.meshforge.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A torus of {@code 2 * rings * segments} triangles, outward facing, radii 40 and 15 (millimetres). */
final class TorusStl {
    private TorusStl() {
    }

    static void write(Path file, int rings, int segments) throws IOException {
        long triangles = 2L * rings * segments;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer header = ByteBuffer.allocate(84).order(ByteOrder.LITTLE_ENDIAN);
            header.position(80);
            header.putInt((int) triangles);
            header.flip();
            ch.write(header);
            ByteBuffer buf = ByteBuffer.allocate(50 * 4096).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < rings; i++) {
                for (int j = 0; j < segments; j++) {
                    float[] a = point(i, j, rings, segments);
                    float[] b = point(i + 1, j, rings, segments);
                    float[] c = point(i + 1, j + 1, rings, segments);
                    float[] d = point(i, j + 1, rings, segments);
                    put(buf, a, b, c);
                    put(buf, a, c, d);
                    if (buf.remaining() < 100) {
                        buf.flip();
                        ch.write(buf);
                        buf.clear();
                    }
                }
            }
            buf.flip();
            ch.write(buf);
        }
    }

    private static float[] point(int i, int j, int rings, int segments) {
        double u = 2 * Math.PI * (i % rings) / rings;
        double v = 2 * Math.PI * (j % segments) / segments;
        double r = 40 + 15 * Math.cos(v);
        return new float[] {(float) (r * Math.cos(u)), (float) (r * Math.sin(u)), (float) (15 * Math.sin(v))};
    }

    private static void put(ByteBuffer buf, float[] a, float[] b, float[] c) {
        buf.putFloat(0).putFloat(0).putFloat(0);
        for (float[] p : new float[][] {a, b, c}) {
            buf.putFloat(p[0]).putFloat(p[1]).putFloat(p[2]);
        }
        buf.putShort((short) 0);
    }
}
