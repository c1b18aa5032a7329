// The lighting presets: procedural studio environments of softboxes, lit through image-based lighting.
package dev.meshforge.render;

import java.util.Locale;

/**
 * Studio environments. The softboxes stay where they are relative to the camera, as in a photo studio: a
 * turntable turns the model under fixed lights.
 */
public enum Lighting {
    /** A large key softbox high at the front left, a fill at the right, a rim strip behind; grey surround. */
    STUDIO,
    /** Large, even, low-contrast boxes above and in front: a light tent. */
    SOFT,
    /** One strong key from the side, a thin rim, a dark surround. */
    DRAMATIC,
    /** Radiance 1 from every direction: the white furnace, in which a white object should vanish. */
    UNIFORM;

    /** studio, soft, dramatic or uniform. */
    public static Lighting parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("lighting is studio, soft, dramatic or uniform, not '" + text + "'");
        }
    }
}
