// Keyframe animation of node translation, rotation, scale and morph weights.
package dev.meshforge.core.scene;

import java.lang.foreign.MemorySegment;
import java.util.List;

/** An animation: samplers hold keyframes, channels apply a sampler to one property of one node. */
public record Animation(String name, List<Sampler> samplers, List<Channel> channels) {
    public Animation {
        samplers = List.copyOf(samplers);
        channels = List.copyOf(channels);
    }

    public enum Interpolation { LINEAR, STEP, CUBICSPLINE }

    public enum Path { TRANSLATION, ROTATION, SCALE, WEIGHTS }

    /**
     * Keyframes: {@code keyCount} float32 times (seconds, increasing) and {@code valueCount} float32 output
     * values, {@code components} a key element (3 translation/scale, 4 rotation, the target count for weights);
     * CUBICSPLINE holds in-tangent, value and out-tangent per key.
     */
    public record Sampler(MemorySegment times, long keyCount, MemorySegment values, long valueCount,
                          int components, Interpolation interpolation) {
    }

    /** Drives {@code path} of {@code target} with {@code samplers().get(sampler)}. */
    public record Channel(int sampler, Node target, Path path) {
    }
}
