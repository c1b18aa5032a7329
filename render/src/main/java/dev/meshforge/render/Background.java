// What lies behind the model: nothing (alpha 0), a solid sRGB colour, or the lighting environment itself.
package dev.meshforge.render;

import java.util.Locale;

/**
 * The image's background.
 *
 * @param kind  transparent, a solid colour, or the environment as seen through the camera
 * @param red   sRGB 0..255 of a solid colour, else 0
 * @param green sRGB 0..255
 * @param blue  sRGB 0..255
 */
public record Background(Kind kind, int red, int green, int blue) {
    public enum Kind { TRANSPARENT, SOLID, ENVIRONMENT }

    public static final Background TRANSPARENT = new Background(Kind.TRANSPARENT, 0, 0, 0);
    public static final Background WHITE = new Background(Kind.SOLID, 255, 255, 255);
    /** The lighting environment behind the model, through the same exposure and tone mapping. */
    public static final Background ENVIRONMENT = new Background(Kind.ENVIRONMENT, 0, 0, 0);

    public Background {
        if (kind == null || (red | green | blue) < 0 || red > 255 || green > 255 || blue > 255) {
            throw new IllegalArgumentException("a background colour has channels 0..255");
        }
    }

    public static Background solid(int red, int green, int blue) {
        return new Background(Kind.SOLID, red, green, blue);
    }

    /** "transparent", "environment" or "#RRGGBB". */
    public static Background parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("transparent")) {
            return TRANSPARENT;
        }
        if (t.equals("environment")) {
            return ENVIRONMENT;
        }
        if (t.matches("#[0-9a-f]{6}")) {
            int rgb = Integer.parseInt(t.substring(1), 16);
            return solid(rgb >> 16, (rgb >> 8) & 0xFF, rgb & 0xFF);
        }
        throw new IllegalArgumentException("a background is transparent, environment or #RRGGBB, not '" + text + "'");
    }
}
