// The length units a user states sizes in.
package dev.meshforge.core.ops;

import java.util.Locale;

/** Millimetres, centimetres, metres or inches, with their size in metres. */
public enum LengthUnit {
    MM(0.001), CM(0.01), M(1.0), IN(0.0254);

    private final double metres;

    LengthUnit(double metres) {
        this.metres = metres;
    }

    public double metres() {
        return metres;
    }

    /**
     * "mm", "cm", "m" or "in" in any case.
     *
     * @throws IllegalArgumentException naming the choices for anything else
     */
    public static LengthUnit parse(String s) {
        for (LengthUnit u : values()) {
            if (u.name().equalsIgnoreCase(s.strip())) {
                return u;
            }
        }
        throw new IllegalArgumentException("unknown unit '" + s + "'; use mm, cm, m or in");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
