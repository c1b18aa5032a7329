// Drops the alpha channel of a PNG used by opaque materials only, for targets whose importers read an image's alpha
// channel as transparency (Blender's FBX importer blends any material whose diffuse image has 32 bits a pixel).
package dev.meshforge.core.io.internal;

public final class OpaquePng {
    private OpaquePng() {
    }

    /** Whether the bytes are a PNG whose colour type carries an alpha channel (grey + alpha, or RGBA). */
    public static boolean hasAlphaChannel(byte[] png) {
        return png != null && png.length > 25 && (png[0] & 0xFF) == 0x89 && png[1] == 'P' && png[2] == 'N'
                && png[3] == 'G' && (png[25] == 4 || png[25] == 6);
    }

    /**
     * The image re-encoded as an RGB PNG (the colour kept, the alpha channel dropped, as an opaque material ignores
     * it), or the bytes unchanged where they are not a PNG with an alpha channel or cannot be decoded.
     */
    public static byte[] withoutAlpha(byte[] png) {
        if (!hasAlphaChannel(png)) {
            return png;
        }
        PngCodec.Pixels rgb = PngCodec.decode(png, 3);
        byte[] out = rgb == null ? null : PngCodec.encode(rgb);
        return out == null ? png : out;
    }
}
