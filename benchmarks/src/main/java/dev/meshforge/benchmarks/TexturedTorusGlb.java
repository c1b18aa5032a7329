// Writes a textured torus of about 100k triangles as GLB: the render benchmarks' generated input, which both
// meshforge and f3d read from the same file.
package dev.meshforge.benchmarks;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Texture;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@link Torus} with a 1024² checker base colour texture (PNG) and a half-rough dielectric material.
 */
final class TexturedTorusGlb {
    private TexturedTorusGlb() {
    }

    static void write(Path file, int rings, int segments) throws IOException {
        try (Scene s = Torus.scene(rings, segments)) {
            Primitive prim = s.roots().getFirst().mesh().primitives().getFirst();
            s.textures().add(new Texture("checker", "image/png", checker(1024, 16)));
            s.materials().add(new Material("checker", new float[] {1, 1, 1, 1}, 0, 0.5f, 0, -1, -1, -1, -1,
                    new float[3], false));
            prim.material(0);
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
}
