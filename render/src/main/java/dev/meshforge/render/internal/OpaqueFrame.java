// A rendered frame composed over an opaque colour, for the animated formats that have no (or one-bit) alpha.
package dev.meshforge.render.internal;

import dev.meshforge.render.Background;
import dev.meshforge.render.RgbaImage;

/** Straight-alpha sRGB pixels over the solid background, or over white where the background is transparent. */
final class OpaqueFrame {
    private OpaqueFrame() {
    }

    /** The colour frames are composed over: the solid background's, else white. */
    static int[] backdrop(Background bg) {
        return bg.kind() == Background.Kind.SOLID ? new int[] {bg.red(), bg.green(), bg.blue()}
                : new int[] {255, 255, 255};
    }

    /** Packed 0xRRGGBB pixels, rows top first; composed in sRGB bytes, as a browser shows the PNG. */
    static int[] rgb(RgbaImage frame, int[] backdrop) {
        byte[] p = frame.rgba();
        int[] out = new int[frame.width() * frame.height()];
        for (int k = 0; k < out.length; k++) {
            int i = k * 4;
            double a = (p[i + 3] & 0xFF) / 255.0;
            int r = (int) Math.round((p[i] & 0xFF) * a + backdrop[0] * (1 - a));
            int g = (int) Math.round((p[i + 1] & 0xFF) * a + backdrop[1] * (1 - a));
            int b = (int) Math.round((p[i + 2] & 0xFF) * a + backdrop[2] * (1 - a));
            out[k] = r << 16 | g << 8 | b;
        }
        return out;
    }
}
