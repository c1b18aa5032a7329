// The limits every tool run honours, in Java and in the kernel.
package dev.meshforge.core.ops;

import java.time.Duration;

/**
 * @param maxMemoryBytes refuse work the kernel estimates would need more working memory than this (0 = no limit)
 * @param timeLimit      stop with a {@link dev.meshforge.core.LimitExceededException} after this long
 *                       (null = no limit)
 */
public record Limits(long maxMemoryBytes, Duration timeLimit) {
    public static final Limits NONE = new Limits(0, null);

    public Limits {
        if (maxMemoryBytes < 0) {
            throw new IllegalArgumentException("maxMemoryBytes must be >= 0, not " + maxMemoryBytes);
        }
        if (timeLimit != null && (timeLimit.isNegative() || timeLimit.isZero())) {
            throw new IllegalArgumentException("timeLimit must be positive, not " + timeLimit);
        }
    }
}
