// Options of the kernel's repair, as mf_repair_options carries them.
package dev.meshforge.core.kernel;

import dev.meshforge.core.ProgressListener;

import java.time.Duration;
import java.util.Objects;

/**
 * @param quality         0 default (200 grid cells), 1 low (100), 2 max (320): MF_QUALITY_*
 * @param resolution      grid cells along the longest side, overriding quality (0 = from quality)
 * @param targetTriangles simplify the volumetric result toward this many (0 = the input's count)
 * @param flags           MF_REPAIR_* bits: 1 keep small parts, 2 skip Hausdorff, 4 force volumetric, 8 no simplify
 * @param progress        progress and cancellation
 * @param timeLimit       stop with a limit error after this long (null = no limit)
 */
public record KernelRepairOptions(int quality, int resolution, long targetTriangles, int flags,
                                  ProgressListener progress, Duration timeLimit) {
    public static final int KEEP_SMALL_PARTS = 1;
    public static final int SKIP_HAUSDORFF = 2;
    public static final int FORCE_VOLUMETRIC = 4;
    public static final int NO_SIMPLIFY = 8;
    /** Floats a vertex that the repair carries at most (mf_repair_options.attribute_count). */
    public static final int MAX_ATTRIBUTES = 64;
    public static final KernelRepairOptions DEFAULTS = new KernelRepairOptions(0, 0, 0, 0, ProgressListener.NONE, null);

    public KernelRepairOptions {
        Objects.requireNonNull(progress, "progress");
        if (quality < 0 || quality > 2 || resolution < 0 || targetTriangles < 0) {
            throw new IllegalArgumentException("quality must be 0..2, resolution and targetTriangles >= 0");
        }
    }
}
