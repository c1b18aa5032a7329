// Optimize step: PNG and JPEG textures re-encoded as KTX2 with Basis Universal (ETC1S), for KHR_texture_basisu.
package dev.meshforge.core.optimize;

import dev.meshforge.core.io.internal.PngCodec;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Texture;
import org.lwjgl.PointerBuffer;
import org.lwjgl.stb.STBImageResize;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.system.libc.LibCStdlib;
import org.lwjgl.util.ktx.KTX;
import org.lwjgl.util.ktx.ktxBasisParams;
import org.lwjgl.util.ktx.ktxTexture;
import org.lwjgl.util.ktx.ktxTexture2;
import org.lwjgl.util.ktx.ktxTextureCreateInfo;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Each PNG or JPEG texture is decoded (stb_image), brought to a multiple of 4 pixels a side (KHR_texture_basisu asks
 * it of the base level), given a full mip chain (stb_image_resize2, colour in sRGB) and compressed by libktx
 * (KhronosGroup/KTX-Software through LWJGL) to Basis Universal ETC1S in a KTX2 file: a GPU-compressed texture a
 * viewer transcodes to what its GPU reads, as gltfpack's {@code -tc} makes. Normal maps are encoded in basisu's
 * normal-map mode (linear, no perceptual weighting); colour textures are tagged sRGB, the others linear. The glTF
 * writer then refers to them through KHR_texture_basisu. An image that does not decode or cannot be compressed is
 * kept as it was, with a warning; where libktx's native library cannot be loaded, every texture is kept, with one.
 */
public final class TextureKtx2 {
    private static final int VK_FORMAT_R8G8B8_UNORM = 23;
    private static final int VK_FORMAT_R8G8B8_SRGB = 29;
    private static final int VK_FORMAT_R8G8B8A8_UNORM = 37;
    private static final int VK_FORMAT_R8G8B8A8_SRGB = 43;
    /** basisu's ETC1S quality, 1 to 255 (its own default is 128). */
    private static final int QUALITY = 128;

    /** Whether libktx's native library loads on this machine; checked once. */
    private static volatile Boolean available;

    private TextureKtx2() {
    }

    /** Whether libktx's native library could be loaded (LWJGL's natives jar for this platform is present). */
    public static boolean available() {
        Boolean a = available;
        if (a == null) {
            try {
                KTX.getLibrary();
                a = true;
            } catch (LinkageError e) {
                a = false;
            }
            available = a;
        }
        return a;
    }

    /**
     * @param srgb     per texture of the scene, whether it holds colour (base colour, emissive)
     * @param normal   per texture of the scene, whether a material reads it as its normal map
     * @param warnings receives one sentence for each image kept as it was
     * @return each texture re-encoded, its pixels and bytes before and after
     */
    public static List<TextureResize.Result> run(Scene scene, boolean[] srgb, boolean[] normal,
                                                 List<String> warnings) {
        return run(scene, srgb, normal, warnings, available());
    }

    /** As {@link #run(Scene, boolean[], boolean[], List)} with the library's presence given (false: keep all). */
    static List<TextureResize.Result> run(Scene scene, boolean[] srgb, boolean[] normal, List<String> warnings,
                                          boolean libraryLoaded) {
        List<TextureResize.Result> results = new ArrayList<>();
        List<Texture> textures = scene.textures();
        if (!libraryLoaded) {
            if (!textures.isEmpty()) {
                warnings.add("textures were kept as PNG/JPEG: libktx's native library (lwjgl-ktx) could not be "
                        + "loaded on this platform, so none was compressed to KTX2");
            }
            return results;
        }
        Map<byte[], byte[]> done = new IdentityHashMap<>();
        for (int i = 0; i < textures.size(); i++) {
            Texture t = textures.get(i);
            String name = Dedup.name(t.name(), i);
            String mime = t.mimeType() == null ? "" : t.mimeType().toLowerCase(Locale.ROOT);
            if (t.bytes() == null || t.bytes().length == 0 || mime.equals("image/ktx2")) {
                continue;
            }
            if (!mime.equals("image/png") && !mime.equals("image/jpeg")) {
                warnings.add("texture " + name + " (" + (mime.isEmpty() ? "no type" : mime)
                        + ") was kept as it was: only PNG and JPEG are compressed to KTX2");
                continue;
            }
            byte[] out = done.get(t.bytes());
            if (out == null) {
                int channels = PngCodec.channels(t.bytes());
                // grey is widened to RGB (a one-channel KTX2 samples as red); grey+alpha to RGBA
                int comp = channels == 2 || channels == 4 ? 4 : 3;
                PngCodec.Pixels px = channels == 0 ? null : PngCodec.decode(t.bytes(), comp);
                if (px == null) {
                    warnings.add("texture " + name + " was kept as it was: it does not decode");
                    continue;
                }
                boolean colour = i < srgb.length && srgb[i];
                try {
                    out = encode(px, colour, i < normal.length && normal[i]);
                } catch (IllegalStateException e) {
                    warnings.add("texture " + name + " was kept as it was: " + e.getMessage());
                    continue;
                }
                done.put(t.bytes(), out);
                int[] base = baseSize(px.width(), px.height());
                results.add(new TextureResize.Result(name, "image/ktx2", px.width(), px.height(), base[0], base[1],
                        t.bytes().length, out.length));
            }
            textures.set(i, new Texture(t.name(), "image/ktx2", out, t.sampler()));
        }
        return results;
    }

    /** The base level's size: each side rounded to the nearest multiple of 4 (at least 4). */
    static int[] baseSize(int width, int height) {
        return new int[] {Math.max(4, (width + 2) / 4 * 4), Math.max(4, (height + 2) / 4 * 4)};
    }

    /** The pixels as a KTX2 file of ETC1S Basis Universal data with a full mip chain. */
    static byte[] encode(PngCodec.Pixels px, boolean srgb, boolean normalMap) {
        int comp = px.channels();
        int[] base = baseSize(px.width(), px.height());
        int levels = 32 - Integer.numberOfLeadingZeros(Math.max(base[0], base[1]));
        int format = comp == 4 ? (srgb ? VK_FORMAT_R8G8B8A8_SRGB : VK_FORMAT_R8G8B8A8_UNORM)
                : (srgb ? VK_FORMAT_R8G8B8_SRGB : VK_FORMAT_R8G8B8_UNORM);
        ByteBuffer source = MemoryUtil.memAlloc(px.data().length);
        long texture = 0;
        try (MemoryStack stack = MemoryStack.stackPush()) {
            source.put(px.data()).flip();
            ktxTextureCreateInfo info = ktxTextureCreateInfo.calloc(stack).vkFormat(format).baseWidth(base[0])
                    .baseHeight(base[1]).baseDepth(1).numDimensions(2).numLevels(levels).numLayers(1).numFaces(1)
                    .isArray(false).generateMipmaps(false);
            PointerBuffer created = stack.mallocPointer(1);
            check(KTX.ktxTexture2_Create(info, KTX.KTX_TEXTURE_CREATE_ALLOC_STORAGE, created), "create");
            texture = created.get(0);
            ktxTexture generic = ktxTexture.create(texture);
            int w = px.width();
            int h = px.height();
            ByteBuffer previous = source;
            try {
                for (int level = 0; level < levels; level++) {
                    int lw = Math.max(1, base[0] >> level);
                    int lh = Math.max(1, base[1] >> level);
                    ByteBuffer scaled = previous;
                    if (lw != w || lh != h) {
                        scaled = MemoryUtil.memAlloc(lw * lh * comp);
                        // Layouts 3 and 4 are stb's STBIR_RGB and STBIR_RGBA; colour is filtered in linear light.
                        ByteBuffer r = srgb
                                ? STBImageResize.stbir_resize_uint8_srgb(previous, w, h, 0, scaled, lw, lh, 0, comp)
                                : STBImageResize.stbir_resize_uint8_linear(previous, w, h, 0, scaled, lw, lh, 0, comp);
                        if (previous != source) {
                            MemoryUtil.memFree(previous);
                        }
                        previous = scaled;
                        if (r == null) {
                            throw new IllegalStateException("its mip level " + level + " could not be made");
                        }
                    }
                    check(KTX.ktxTexture_SetImageFromMemory(generic, level, 0, 0, scaled), "set level " + level);
                    w = lw;
                    h = lh;
                }
            } finally {
                if (previous != source) {
                    MemoryUtil.memFree(previous);
                }
            }
            ktxBasisParams params = ktxBasisParams.calloc(stack).structSize(ktxBasisParams.SIZEOF).uastc(false)
                    .threadCount(Math.max(1, Runtime.getRuntime().availableProcessors()))
                    .compressionLevel(KTX.KTX_ETC1S_DEFAULT_COMPRESSION_LEVEL).qualityLevel(QUALITY)
                    .normalMap(normalMap);
            check(KTX.ktxTexture2_CompressBasisEx(ktxTexture2.create(texture), params), "compress");
            PointerBuffer bytes = stack.mallocPointer(1);
            PointerBuffer size = stack.mallocPointer(1);
            check(KTX.ktxTexture_WriteToMemory(generic, bytes, size), "write");
            try {
                byte[] out = new byte[Math.toIntExact(size.get(0))];
                MemoryUtil.memByteBuffer(bytes.get(0), out.length).get(out);
                return out;
            } finally {
                LibCStdlib.nfree(bytes.get(0));
            }
        } finally {
            if (texture != 0) {
                KTX.ktxTexture_Destroy(ktxTexture.create(texture));
            }
            MemoryUtil.memFree(source);
        }
    }

    private static void check(int status, String what) {
        if (status != KTX.KTX_SUCCESS) {
            throw new IllegalStateException("libktx could not " + what + " its KTX2 (" + KTX.ktxErrorString(status)
                    + ")");
        }
    }
}
