package dev.meshforge.core.ops.internal;

import dev.meshforge.core.scene.Texture;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaseColorImageTest {
    private static final int NEAREST = 9728;
    private static final int LINEAR = 9729;
    private static final int CLAMP = 33071;
    private static final int MIRROR = 33648;
    private static final int REPEAT = 10497;

    /** A 4 x 1 PNG, encoded by ImageIO: texels black, sRGB 128 grey, white, red with alpha 51. */
    private static byte[] strip() throws IOException {
        BufferedImage image = new BufferedImage(4, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0xFF000000);
        image.setRGB(1, 0, 0xFF808080);
        image.setRGB(2, 0, 0xFFFFFFFF);
        image.setRGB(3, 0, 0x33FF0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static BaseColorImage decode(int filter, int wrap) throws Exception {
        return BaseColorImage.decode(new Texture("strip.png", "image/png", strip(),
                new Texture.Sampler(filter, 0, wrap, wrap)));
    }

    private static float[] at(BaseColorImage image, double u) {
        float[] rgba = new float[4];
        image.sample(u, 0.5, rgba);
        return rgba;
    }

    @Test
    void texelsAreConvertedFromSrgbToLinearButAlphaIsNot() throws Exception {
        BaseColorImage image = decode(NEAREST, REPEAT);
        assertEquals(4, image.width());
        assertEquals(1, image.height());
        // sRGB 128/255 is linear 0.2158605 (IEC 61966-2-1).
        assertArrayEquals(new float[] {0.2158605f, 0.2158605f, 0.2158605f, 1f}, at(image, 0.3), 1e-6f);
        assertArrayEquals(new float[] {1f, 0f, 0f, 0.2f}, at(image, 0.9), 1e-6f);
    }

    @Test
    void wrapModesFoldCoordinatesOutsideTheUnitSquare() throws Exception {
        // u = 1.1 is texel 4.4: repeat gives texel 0 (black), clamp texel 3 (red), mirror texel 3 (red);
        // u = -0.6 falls in texel -3: repeat gives texel 1 (grey), clamp texel 0, mirror texel 2 (white).
        assertEquals(0f, at(decode(NEAREST, REPEAT), 1.1)[0], 1e-6f);
        assertEquals(1f, at(decode(NEAREST, CLAMP), 1.1)[0], 1e-6f);
        assertEquals(0.2f, at(decode(NEAREST, MIRROR), 1.1)[3], 1e-6f);
        assertEquals(0.2158605f, at(decode(NEAREST, REPEAT), -0.6)[1], 1e-6f);
        assertEquals(0f, at(decode(NEAREST, CLAMP), -0.6)[1], 1e-6f);
        assertEquals(1f, at(decode(NEAREST, MIRROR), -0.6)[1], 1e-6f);
        assertEquals(3, BaseColorImage.wrap(-4, 4, MIRROR));
        assertEquals(0, BaseColorImage.wrap(-1, 4, MIRROR));
        assertEquals(3, BaseColorImage.wrap(7, 4, 0)); // an unknown mode repeats
    }

    @Test
    void bilinearFilteringBlendsLinearValuesBetweenTexelCentres() throws Exception {
        // Halfway between the centres of texel 1 (grey) and texel 2 (white): the mean of their linear values.
        float[] rgba = at(decode(LINEAR, REPEAT), 0.5);
        assertEquals((0.2158605f + 1f) / 2, rgba[0], 1e-6f);
        // On texel 2's centre: white alone.
        assertEquals(1f, at(decode(LINEAR, REPEAT), 0.625)[2], 1e-6f);
        // An unspecified filter (0) is linear too; near u = 0 the repeat blends texel 0 with texel 3.
        float[] edge = at(decode(0, REPEAT), 0.0);
        assertEquals(0.5f, edge[0], 1e-6f);
        assertEquals(0.6f, edge[3], 1e-6f);
    }

    @Test
    void bytesThatAreNoImageAreRefusedWithAReason() {
        var e = assertThrows(BaseColorImage.UndecodableException.class, () -> BaseColorImage.decode(
                new Texture("bad.png", "image/png", "not an image".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(e.getMessage().startsWith("could not be decoded as image/png: "), e.getMessage());
        var missing = assertThrows(BaseColorImage.UndecodableException.class,
                () -> BaseColorImage.decode(new Texture("gone.png", "image/png", null)));
        assertTrue(missing.getMessage().contains("no image data"), missing.getMessage());
    }
}
