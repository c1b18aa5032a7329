// Options of the kernel's hollowing, as mf_hollow_options carries them (lengths in the mesh's own units).
package dev.meshforge.core.kernel;

import dev.meshforge.core.ProgressListener;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * @param wallThickness   the least distance from the inner surface to the outer one, > 0
 * @param closingDistance cavity features narrower than about twice this are filled (0 = none)
 * @param quality         0 default (4 grid cells across the wall), 1 low (3), 2 max (6): MF_QUALITY_*
 * @param holes           {@link #HOLES_AUTO}, {@link #HOLES_NONE} or {@link #HOLES_AT} (at {@code holePoints})
 * @param vents           automatic holes: a vent at each cavity's highest point too
 * @param up              the print direction, three numbers (need not be unit length)
 * @param holeDiameter    > 0
 * @param holePoints      xyz triples where {@code holes} is {@link #HOLES_AT}, else empty
 * @param progress        progress and cancellation
 * @param timeLimit       stop with a limit error after this long (null = no limit)
 * @param maxMemoryBytes  refuse up front when the kernel's estimate is larger (0 = no limit)
 */
public record KernelHollowOptions(double wallThickness, double closingDistance, int quality, int holes, boolean vents,
                                  double[] up, double holeDiameter, List<double[]> holePoints,
                                  ProgressListener progress, Duration timeLimit, long maxMemoryBytes) {
    public static final int HOLES_AUTO = 0;
    public static final int HOLES_NONE = 1;
    public static final int HOLES_AT = 2;
    /** The most hole points (MF_MAX_HOLES). */
    public static final int MAX_HOLES = 1024;

    public KernelHollowOptions {
        Objects.requireNonNull(progress, "progress");
        up = up.clone();
        holePoints = List.copyOf(holePoints);
        if (up.length != 3 || holePoints.stream().anyMatch(p -> p.length != 3)) {
            throw new IllegalArgumentException("up and every hole point need three coordinates");
        }
        if (holes < HOLES_AUTO || holes > HOLES_AT) {
            throw new IllegalArgumentException("holes must be 0 (auto), 1 (none) or 2 (at points), got " + holes);
        }
        if (timeLimit != null && timeLimit.isNegative()) {
            throw new IllegalArgumentException("timeLimit must not be negative, got " + timeLimit);
        }
    }

    @Override
    public double[] up() {
        return up.clone();
    }
}
