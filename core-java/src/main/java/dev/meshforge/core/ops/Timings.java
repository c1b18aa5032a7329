// Where a tool run's time went.
package dev.meshforge.core.ops;

import java.util.Map;

/**
 * @param seconds the whole run, wall clock
 * @param stages  seconds spent in each stage the run reported progress under, in the order they began
 */
public record Timings(double seconds, Map<String, Double> stages) {
    public Timings {
        stages = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stages));
    }
}
