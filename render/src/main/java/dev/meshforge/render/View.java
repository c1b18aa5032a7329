// A camera direction around the model: a name (the output file's) and an azimuth and elevation in degrees.
package dev.meshforge.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the camera looks from, relative to the scene's own axes: azimuth 0 is the front (+Z for Y-up scenes,
 * -Y for Z-up ones), 90 the right side (+X), counted toward the right; elevation 90 looks straight down from
 * above. The name becomes the file name ({@code front.png}).
 *
 * @param name         a file-name-safe name
 * @param azimuth      degrees around the up axis, from the front toward the right
 * @param elevation    degrees above the horizon, -90..90
 * @param orthographic true for a view that is orthographic whatever the options say ({@code isometric})
 */
public record View(String name, double azimuth, double elevation, boolean orthographic) {
    /** The named views: front, back, left, right, top, bottom, three_quarter, isometric. */
    public static final List<String> NAMES = List.of("front", "back", "left", "right", "top", "bottom",
            "three_quarter", "isometric");

    /** Elevation of a turntable's frames and of the three-quarter view: a product shot's usual slight high angle. */
    public static final double TURNTABLE_ELEVATION = 20;

    public View {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("a view's name becomes a file name and may hold only letters, digits,"
                    + " '_', '.' and '-', not '" + name + "'");
        }
        if (!Double.isFinite(azimuth) || !(elevation >= -90 && elevation <= 90)) {
            throw new IllegalArgumentException("view " + name + ": azimuth must be finite and elevation within "
                    + "-90..90 degrees, got " + azimuth + ", " + elevation);
        }
    }

    public View(String name, double azimuth, double elevation) {
        this(name, azimuth, elevation, false);
    }

    /** The view of that name, or a clear sentence listing the known names. */
    public static View named(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "front" -> new View("front", 0, 0);
            case "back" -> new View("back", 180, 0);
            case "left" -> new View("left", -90, 0);
            case "right" -> new View("right", 90, 0);
            case "top" -> new View("top", 0, 90);
            case "bottom" -> new View("bottom", 0, -90);
            case "three_quarter", "3/4", "three-quarter" -> new View("three_quarter", 45, TURNTABLE_ELEVATION + 10);
            // True isometric: the three axes foreshortened alike, which only an orthographic camera gives.
            case "isometric" -> new View("isometric", 45, Math.toDegrees(Math.atan(1 / Math.sqrt(2))), true);
            default -> throw new IllegalArgumentException("unknown angle '" + name.trim() + "'; the angles are "
                    + String.join(", ", NAMES));
        };
    }

    /** Views from a comma-separated list of names, e.g. "front,three_quarter". */
    public static List<View> parse(String names) {
        List<View> views = new ArrayList<>();
        for (String n : names.split(",")) {
            if (!n.isBlank()) {
                views.add(named(n));
            }
        }
        if (views.isEmpty()) {
            throw new IllegalArgumentException("no angle given; the angles are " + String.join(", ", NAMES));
        }
        return views;
    }

    /** {@code frames} views evenly around the model from the front, named turntable_00, turntable_01, ... */
    public static List<View> turntable(int frames) {
        if (frames < 1 || frames > 360) {
            throw new IllegalArgumentException("a turntable has 1 to 360 frames, not " + frames);
        }
        int digits = Math.max(2, String.valueOf(frames - 1).length());
        List<View> views = new ArrayList<>(frames);
        for (int i = 0; i < frames; i++) {
            views.add(new View(String.format(Locale.ROOT, "turntable_%0" + digits + "d", i), 360.0 * i / frames,
                    TURNTABLE_ELEVATION));
        }
        return views;
    }
}
