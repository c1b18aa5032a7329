// A rendered image in memory: 8-bit sRGB with straight (not premultiplied) alpha, top row first.
package dev.meshforge.render;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * @param width  pixels
 * @param height pixels
 * @param rgba   {@code width * height * 4} bytes: R, G, B (sRGB) and A of each pixel, rows from the top
 */
public record RgbaImage(int width, int height, byte[] rgba) {
    public RgbaImage {
        if (rgba.length != (long) width * height * 4) {
            throw new IllegalArgumentException(width + " x " + height + " RGBA needs " + (long) width * height * 4
                    + " bytes, not " + rgba.length);
        }
    }

    /** Channel {@code c} (0 R, 1 G, 2 B, 3 A) of pixel (x, y), 0..255. */
    public int get(int x, int y, int c) {
        return rgba[(y * width + x) * 4 + c] & 0xFF;
    }

    /** Whether every pixel is fully opaque. */
    public boolean opaque() {
        for (int i = 3; i < rgba.length; i += 4) {
            if (rgba[i] != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** As a Java2D image: ARGB where the image has any transparency, RGB otherwise. */
    public BufferedImage toBufferedImage() {
        boolean alpha = !opaque();
        BufferedImage image = new BufferedImage(width, height,
                alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 4;
                row[x] = (rgba[i + 3] & 0xFF) << 24 | (rgba[i] & 0xFF) << 16 | (rgba[i + 1] & 0xFF) << 8
                        | (rgba[i + 2] & 0xFF);
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }

    /** Writes a PNG (with an alpha channel only where the image has transparency). */
    public void writePng(Path file) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".part");
            if (!ImageIO.write(toBufferedImage(), "png", tmp.toFile())) {
                throw new IllegalStateException("this Java runtime has no PNG writer");
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
