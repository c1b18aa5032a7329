package dev.meshforge.core.optimize;

import dev.meshforge.core.io.Formats;
import dev.meshforge.core.ops.Optimize;
import dev.meshforge.core.ops.RunControl;
import dev.meshforge.core.ops.ToolResult;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Texture;
import dev.meshforge.core.testing.Fixtures;
import dev.meshforge.core.testing.GltfValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.util.ktx.KTX;
import org.lwjgl.util.ktx.ktxTexture;
import org.lwjgl.util.ktx.ktxTexture2;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Optimize's KTX2 step, checked by decoding what it wrote with libktx's own transcoder (Basis Universal to RGBA8)
 * and comparing the pixels with the image that went in, and by the Khronos validator.
 */
class TextureKtx2Test {
    @TempDir
    Path dir;

    /** A smooth two-axis gradient (red along x, green along y, blue 64), the kind of image ETC1S keeps well. */
    private static BufferedImage gradient(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (x * 255 / (w - 1)) << 16 | (y * 255 / (h - 1)) << 8 | 64);
            }
        }
        return image;
    }

    private static byte[] png(BufferedImage image) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** A decoded KTX2: its base size, level count, whether it was Basis data, and the base level as RGBA8. */
    private record Decoded(int width, int height, int levels, boolean basis, int transfer, byte[] rgba) {
    }

    private static Decoded decode(byte[] ktx2) {
        ByteBuffer in = MemoryUtil.memAlloc(ktx2.length);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            in.put(ktx2).flip();
            PointerBuffer made = stack.mallocPointer(1);
            assertEquals(KTX.KTX_SUCCESS, KTX.ktxTexture2_CreateFromMemory(in,
                    KTX.KTX_TEXTURE_CREATE_LOAD_IMAGE_DATA_BIT, made), "libktx reads the KTX2");
            ktxTexture2 t = ktxTexture2.create(made.get(0));
            try {
                boolean basis = KTX.ktxTexture2_NeedsTranscoding(t);
                int transfer = KTX.ktxTexture2_GetOETF(t);
                assertEquals(KTX.KTX_SUCCESS, KTX.ktxTexture2_TranscodeBasis(t, KTX.KTX_TTF_RGBA32, 0));
                ktxTexture generic = ktxTexture.create(made.get(0));
                PointerBuffer offset = stack.mallocPointer(1);
                assertEquals(KTX.KTX_SUCCESS, KTX.ktxTexture_GetImageOffset(generic, 0, 0, 0, offset));
                byte[] rgba = new byte[t.baseWidth() * t.baseHeight() * 4];
                KTX.ktxTexture_GetData(generic).get((int) offset.get(0), rgba);
                return new Decoded(t.baseWidth(), t.baseHeight(), t.numLevels(), basis, transfer, rgba);
            } finally {
                KTX.ktxTexture_Destroy(ktxTexture.create(made.get(0)));
            }
        } finally {
            MemoryUtil.memFree(in);
        }
    }

    private static Material textured(String name, int colour, int normal) {
        return new Material(name, new float[] {1, 1, 1, 1}, 0, 0.5f, colour, -1, normal, -1, -1,
                new float[] {0, 0, 0}, false);
    }

    private ToolResult<Optimize.Report> optimize(Scene s, Path out) {
        return Optimize.TOOL.run(s, Optimize.Preset.WEB.options(out).withKtx2(true), RunControl.DEFAULTS);
    }

    @Test
    void pngTexturesAreWrittenAsBasisKtx2ThatDecodeBackToTheirPixels() throws Exception {
        BufferedImage colour = gradient(128, 96);
        Path out = dir.resolve("ktx2.glb");
        try (Scene s = Fixtures.splitCube()) {
            s.roots().get(0).mesh().primitives().get(0).material(0);
            s.textures().add(new Texture("colour.png", "image/png", png(colour)));
            s.textures().add(new Texture("normal.png", "image/png", png(gradient(64, 64))));
            s.materials().add(textured("paint", 0, 1));
            try (ToolResult<Optimize.Report> r = optimize(s, out)) {
                assertTrue(r.warnings().isEmpty(), r.warnings().toString());
                List<TextureResize.Result> t = r.report().textures().stream()
                        .filter(x -> x.mimeType().equals("image/ktx2")).toList();
                assertEquals(List.of("'colour.png'", "'normal.png'"),
                        t.stream().map(TextureResize.Result::texture).toList(), r.report().textures().toString());
            }
        }
        GltfValidator.Report v = GltfValidator.validate(out);
        assertEquals(0, v.errors(), () -> "validator errors: " + v.errorMessages());
        String json = v.json().toString();
        assertTrue(json.contains("KHR_texture_basisu"), "the validator saw KHR_texture_basisu: " + json);
        try (Scene back = Formats.read(out)) {
            assertEquals(2, back.textures().size());
            Texture c = back.textures().get(back.materials().get(0).baseColorTexture());
            assertEquals("image/ktx2", c.mimeType());
            Decoded d = decode(c.bytes());
            assertTrue(d.basis(), "Basis Universal data that a viewer transcodes");
            assertEquals(List.of(128, 96, 8), List.of(d.width(), d.height(), d.levels()), "a full mip chain");
            assertEquals(2, d.transfer(), "colour is tagged sRGB (KHR_DF_TRANSFER_SRGB in the data format descriptor)");
            long sum = 0;
            int worst = 0;
            for (int y = 0; y < 96; y++) {
                for (int x = 0; x < 128; x++) {
                    int rgb = colour.getRGB(x, y);
                    int at = (y * 128 + x) * 4;
                    for (int k = 0; k < 3; k++) {
                        int e = Math.abs((d.rgba()[at + k] & 0xFF) - (rgb >> (16 - 8 * k) & 0xFF));
                        sum += e;
                        worst = Math.max(worst, e);
                    }
                }
            }
            double mean = sum / (128.0 * 96 * 3);
            // ETC1S keeps a smooth gradient to a few levels of 255 on average (measured: see the message)
            assertTrue(mean < 4 && worst < 32, "mean error " + mean + ", worst " + worst);
            Decoded n = decode(back.textures().get(back.materials().get(0).normalTexture()).bytes());
            assertEquals(List.of(64, 64, 7, 1), List.of(n.width(), n.height(), n.levels(), n.transfer()),
                    "a normal map is linear (KHR_DF_TRANSFER_LINEAR)");
        }
    }

    @Test
    void aSideThatIsNoMultipleOfFourIsRoundedToOneAndAnUndecodableImageKeptWithAWarning() throws Exception {
        byte[] broken = "this is not a PNG at all".getBytes();
        Path out = dir.resolve("odd.glb");
        try (Scene s = Fixtures.splitCube()) {
            s.roots().get(0).mesh().primitives().get(0).material(0);
            s.textures().add(new Texture("odd.png", "image/png", png(gradient(130, 90))));
            s.textures().add(new Texture("broken.png", "image/png", broken));
            s.materials().add(textured("paint", 0, 1));
            try (ToolResult<Optimize.Report> r = optimize(s, out)) {
                assertTrue(r.warnings().contains("texture 'broken.png' was kept as it was: it does not decode"),
                        r.warnings().toString());
            }
        }
        assertEquals(0, GltfValidator.validate(out).errors());
        try (Scene back = Formats.read(out)) {
            Decoded d = decode(back.textures().get(back.materials().get(0).baseColorTexture()).bytes());
            assertEquals(List.of(132, 92, 8), List.of(d.width(), d.height(), d.levels()));
            Texture kept = back.textures().get(back.materials().get(0).normalTexture());
            assertEquals("image/png", kept.mimeType());
            assertArrayEquals(broken, kept.bytes());
        }
    }

    @Test
    void withoutTheNativeLibraryEveryTextureIsKeptWithOneWarning() throws Exception {
        byte[] image = png(gradient(16, 16));
        try (Scene s = Fixtures.splitCube()) {
            s.textures().add(new Texture("colour.png", "image/png", image));
            List<String> warnings = new ArrayList<>();
            assertTrue(TextureKtx2.run(s, new boolean[] {true}, new boolean[1], warnings, false).isEmpty());
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("libktx's native library"), warnings.get(0));
            assertEquals("image/png", s.textures().get(0).mimeType());
            assertArrayEquals(image, s.textures().get(0).bytes());
        }
        assertTrue(Files.isDirectory(dir));
    }
}
