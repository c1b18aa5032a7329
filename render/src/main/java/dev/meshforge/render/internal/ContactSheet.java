// All views of a request side by side in one image: each view scaled down by area averaging into a grid cell.
package dev.meshforge.render.internal;

import dev.meshforge.render.Background;
import dev.meshforge.render.RgbaImage;

import java.util.ArrayList;
import java.util.List;

/** Collects small copies of the views as they are rendered, so that full-size images need not be kept. */
public final class ContactSheet {
    static final int MAX_CELL = 512;
    private final List<RgbaImage> cells = new ArrayList<>();
    private final int cellWidth;
    private final int cellHeight;

    public ContactSheet(int width, int height) {
        int factor = (int) Math.ceil(Math.max(width, height) / (double) MAX_CELL);
        cellWidth = Math.max(1, width / factor);
        cellHeight = Math.max(1, height / factor);
    }

    public void add(RgbaImage view) {
        cells.add(downscale(view, cellWidth, cellHeight));
    }

    /** The grid: columns = ceil(sqrt(n)); empty cells take the background (transparent or the solid colour). */
    public RgbaImage compose(Background background) {
        int n = cells.size();
        int columns = (int) Math.ceil(Math.sqrt(n));
        int rows = (n + columns - 1) / columns;
        int w = columns * cellWidth;
        int h = rows * cellHeight;
        byte[] out = new byte[w * h * 4];
        if (background.kind() == Background.Kind.SOLID) {
            for (int i = 0; i < w * h; i++) {
                out[i * 4] = (byte) background.red();
                out[i * 4 + 1] = (byte) background.green();
                out[i * 4 + 2] = (byte) background.blue();
                out[i * 4 + 3] = (byte) 255;
            }
        }
        for (int k = 0; k < n; k++) {
            RgbaImage c = cells.get(k);
            int ox = (k % columns) * cellWidth;
            int oy = (k / columns) * cellHeight;
            for (int y = 0; y < cellHeight; y++) {
                System.arraycopy(c.rgba(), y * cellWidth * 4, out, ((oy + y) * w + ox) * 4, cellWidth * 4);
            }
        }
        return new RgbaImage(w, h, out);
    }

    /** Box filter over premultiplied colour, so that transparent pixels do not darken the edges. */
    static RgbaImage downscale(RgbaImage src, int w, int h) {
        if (src.width() == w && src.height() == h) {
            return src;
        }
        byte[] out = new byte[w * h * 4];
        byte[] in = src.rgba();
        for (int y = 0; y < h; y++) {
            int y0 = (int) ((long) y * src.height() / h);
            int y1 = Math.max(y0 + 1, (int) ((long) (y + 1) * src.height() / h));
            for (int x = 0; x < w; x++) {
                int x0 = (int) ((long) x * src.width() / w);
                int x1 = Math.max(x0 + 1, (int) ((long) (x + 1) * src.width() / w));
                double r = 0;
                double g = 0;
                double b = 0;
                double a = 0;
                int count = 0;
                for (int sy = y0; sy < y1; sy++) {
                    for (int sx = x0; sx < x1; sx++) {
                        int i = (sy * src.width() + sx) * 4;
                        double alpha = (in[i + 3] & 0xFF) / 255.0;
                        r += (in[i] & 0xFF) * alpha;
                        g += (in[i + 1] & 0xFF) * alpha;
                        b += (in[i + 2] & 0xFF) * alpha;
                        a += alpha;
                        count++;
                    }
                }
                int o = (y * w + x) * 4;
                if (a > 0) {
                    out[o] = (byte) Math.round(r / a);
                    out[o + 1] = (byte) Math.round(g / a);
                    out[o + 2] = (byte) Math.round(b / a);
                }
                out[o + 3] = (byte) Math.round(255 * a / count);
            }
        }
        return new RgbaImage(w, h, out);
    }
}
