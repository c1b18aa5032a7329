// Options of the kernel's inspect: whether to search intersections, progress, and limits.
package dev.meshforge.core.kernel;

import dev.meshforge.core.ProgressListener;

import java.time.Duration;
import java.util.Objects;

/**
 * @param intersections  search for intersecting triangle pairs (the costly part)
 * @param progress       progress and cancellation
 * @param maxMemoryBytes refuse when the kernel would need more (0 = no limit)
 * @param timeLimit      stop with a limit error after this long (null or zero = no limit)
 */
public record InspectOptions(boolean intersections, ProgressListener progress, long maxMemoryBytes,
                             Duration timeLimit) {
    public static final InspectOptions DEFAULTS = new InspectOptions(true, ProgressListener.NONE, 0, null);

    public InspectOptions {
        Objects.requireNonNull(progress, "progress");
        if (maxMemoryBytes < 0) {
            throw new IllegalArgumentException("maxMemoryBytes must be >= 0, got " + maxMemoryBytes);
        }
        if (timeLimit != null && timeLimit.isNegative()) {
            throw new IllegalArgumentException("timeLimit must not be negative, got " + timeLimit);
        }
    }

    public InspectOptions withProgress(ProgressListener listener) {
        return new InspectOptions(intersections, listener, maxMemoryBytes, timeLimit);
    }

    public InspectOptions withMaxMemoryBytes(long bytes) {
        return new InspectOptions(intersections, progress, bytes, timeLimit);
    }

    public InspectOptions withTimeLimit(Duration limit) {
        return new InspectOptions(intersections, progress, maxMemoryBytes, limit);
    }

    public InspectOptions withIntersections(boolean search) {
        return new InspectOptions(search, progress, maxMemoryBytes, timeLimit);
    }
}
