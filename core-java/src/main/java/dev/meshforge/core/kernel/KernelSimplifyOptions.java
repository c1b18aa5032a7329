// Options of the kernel's simplification, as mf_simplify_options carries them.
package dev.meshforge.core.kernel;

import dev.meshforge.core.ProgressListener;

import java.time.Duration;
import java.util.Objects;

/**
 * @param targetTriangles  stop at this many triangles (0 = from {@code targetRatio})
 * @param targetRatio      the share of the triangles to keep, in (0, 1] (0 = none)
 * @param targetError      no collapse beyond this error (0 = no bound): a fraction of the extent (the largest side
 *                         of the bounding box), or mesh units where {@code absoluteError}
 * @param absoluteError    {@code targetError} is in mesh units
 * @param lockBorder       vertices on open edges never move
 * @param noIntersections  no collapse makes a face cross another
 * @param attributeWeights one weight (finite, >= 0) for each attribute float of the mesh, or null for 1 each
 * @param progress         progress and cancellation
 * @param timeLimit        stop with a limit error after this long (null = no limit)
 * @param maxMemoryBytes   refuse up front when the kernel's estimate is larger (0 = no limit)
 */
public record KernelSimplifyOptions(long targetTriangles, double targetRatio, double targetError,
                                    boolean absoluteError, boolean lockBorder, boolean noIntersections,
                                    float[] attributeWeights, ProgressListener progress, Duration timeLimit,
                                    long maxMemoryBytes) {
    public KernelSimplifyOptions {
        Objects.requireNonNull(progress, "progress");
        attributeWeights = attributeWeights == null ? null : attributeWeights.clone();
        if (timeLimit != null && timeLimit.isNegative()) {
            throw new IllegalArgumentException("timeLimit must not be negative, got " + timeLimit);
        }
    }

    /** Down to {@code triangles}, attributes weighted 1, nothing else asked. */
    public static KernelSimplifyOptions triangles(long triangles) {
        return new KernelSimplifyOptions(triangles, 0, 0, false, false, false, null, ProgressListener.NONE, null, 0);
    }

    @Override
    public float[] attributeWeights() {
        return attributeWeights == null ? null : attributeWeights.clone();
    }
}
