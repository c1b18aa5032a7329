// Options of the kernel's repair, as mf_repair_options carries them.
package dev.meshforge.core.kernel;

import dev.meshforge.core.ProgressListener;

import java.time.Duration;
import java.util.Objects;

/**
 * @param quality         0 default (200 grid cells), 1 low (100), 2 max (320): MF_QUALITY_*
 * @param resolution      grid cells along the longest side, overriding quality (0 = from quality, at most 2000)
 * @param targetTriangles simplify the volumetric result toward this many (0 = the input's count)
 * @param flags           MF_REPAIR_* bits: 1 keep small parts, 2 skip Hausdorff, 4 force volumetric, 8 no simplify,
 *                        16 marching tetrahedra only
 * @param progress        progress and cancellation
 * @param timeLimit       stop with a limit error after this long (null or zero = no limit)
 * @param maxMemoryBytes  refuse up front when the kernel's estimate is larger (0 = no limit)
 */
public record KernelRepairOptions(int quality, int resolution, long targetTriangles, int flags,
                                  ProgressListener progress, Duration timeLimit, long maxMemoryBytes) {
    public static final int KEEP_SMALL_PARTS = 1;
    public static final int SKIP_HAUSDORFF = 2;
    public static final int FORCE_VOLUMETRIC = 4;
    public static final int NO_SIMPLIFY = 8;
    /** Contour by marching tetrahedra only (chamfered edges), to compare with dual contouring. */
    public static final int TETRAHEDRA = 16;
    /** Floats a vertex that the repair carries at most (MF_MAX_ATTRIBUTES). */
    public static final int MAX_ATTRIBUTES = KernelMesh.MAX_ATTRIBUTES;
    /** The most grid cells along the longest side (MF_MAX_RESOLUTION). */
    public static final int MAX_RESOLUTION = 2000;
    public static final KernelRepairOptions DEFAULTS = new KernelRepairOptions(0, 0, 0, 0, ProgressListener.NONE, null);

    public KernelRepairOptions {
        Objects.requireNonNull(progress, "progress");
        if (quality < 0 || quality > 2) {
            throw new IllegalArgumentException("quality must be 0 (default), 1 (low) or 2 (max), got " + quality);
        }
        if (resolution < 0 || resolution > MAX_RESOLUTION) {
            throw new IllegalArgumentException("resolution must be 0 (from quality) to " + MAX_RESOLUTION + ", got "
                    + resolution);
        }
        if (targetTriangles < 0 || maxMemoryBytes < 0) {
            throw new IllegalArgumentException("targetTriangles and maxMemoryBytes must be >= 0, got "
                    + targetTriangles + " and " + maxMemoryBytes);
        }
        if (timeLimit != null && timeLimit.isNegative()) {
            throw new IllegalArgumentException("timeLimit must not be negative, got " + timeLimit);
        }
    }

    /** Without a memory limit. */
    public KernelRepairOptions(int quality, int resolution, long targetTriangles, int flags, ProgressListener progress,
                               Duration timeLimit) {
        this(quality, resolution, targetTriangles, flags, progress, timeLimit, 0);
    }

    public KernelRepairOptions withMaxMemoryBytes(long bytes) {
        return new KernelRepairOptions(quality, resolution, targetTriangles, flags, progress, timeLimit, bytes);
    }

    public KernelRepairOptions withTimeLimit(Duration limit) {
        return new KernelRepairOptions(quality, resolution, targetTriangles, flags, progress, limit, maxMemoryBytes);
    }
}
