// Vertex buffers that start unzeroed (binary float records) hold exactly the file's values, however dirty the memory.
package dev.meshforge.core.io.ply;

import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PlyFilledBuffersTest {
    private static final int VERTICES = 270_000;

    @TempDir
    Path dir;

    /**
     * 270,000 vertices of x y z, nx ny nz, red green blue (floats, no alpha), u v: every buffer is at least
     * KernelPages.HUGE_PAGE (the smallest, u v, 2.16 MB), so it starts unzeroed. The file is read three times, so that later reads get memory an earlier one wrote and freed;
     * every value must be the file's (v flipped, a missing alpha 1), none left from before.
     */
    @Test
    void everyComponentOfAnUnzeroedVertexBufferIsTheFilesValue() throws Exception {
        String header = "ply\nformat binary_little_endian 1.0\nelement vertex " + VERTICES + "\n"
                + "property float x\nproperty float y\nproperty float z\n"
                + "property float nx\nproperty float ny\nproperty float nz\n"
                + "property float red\nproperty float green\nproperty float blue\n"
                + "property float u\nproperty float v\n"
                + "element face 1\nproperty list uchar int vertex_indices\nend_header\n";
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(h.length + VERTICES * 11 * 4 + 13).order(ByteOrder.LITTLE_ENDIAN);
        b.put(h);
        for (int v = 0; v < VERTICES; v++) {
            for (int k = 0; k < 11; k++) {
                b.putFloat(value(v, k));
            }
        }
        b.put((byte) 3).putInt(0).putInt(1).putInt(VERTICES - 1);
        Path file = dir.resolve("filled.ply");
        Files.write(file, b.array());
        for (int read = 0; read < 3; read++) {
            try (Scene s = Formats.read(file)) {
                Primitive p = s.roots().getFirst().mesh().primitives().getFirst();
                assertEquals(VERTICES, p.vertexCount());
                for (int v = 0; v < VERTICES; v++) {
                    for (int k = 0; k < 3; k++) {
                        assertEquals(value(v, k), p.positions().get(v, k), "x y z of vertex " + v);
                        assertEquals(value(v, 3 + k), p.attribute("NORMAL").get(v, k), "normal of vertex " + v);
                        assertEquals(value(v, 6 + k), p.attribute("COLOR_0").get(v, k), "colour of vertex " + v);
                    }
                    assertEquals(1f, p.attribute("COLOR_0").get(v, 3), "alpha of vertex " + v);
                    assertEquals(value(v, 9), p.attribute("TEXCOORD_0").get(v, 0), "u of vertex " + v);
                    assertEquals((float) (1.0 - value(v, 10)), p.attribute("TEXCOORD_0").get(v, 1), "v of vertex " + v);
                }
            }
        }
    }

    /** A value per vertex and property that no other has, never 0. */
    private static float value(int vertex, int property) {
        return (vertex + 1) * 0.001f + property * 1000f + 0.5f;
    }
}
