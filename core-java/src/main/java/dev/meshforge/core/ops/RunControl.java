// What goes into every tool run besides the scene and the tool's options.
package dev.meshforge.core.ops;

import dev.meshforge.core.ProgressListener;

import java.util.Objects;

/**
 * @param progress     receives progress as a fraction (shown as 0-100 %) with a stage name; returning false
 *                     cancels
 * @param cancellation set from another thread to stop the run
 * @param limits       memory and time limits, passed on to the kernel
 */
public record RunControl(ProgressListener progress, Cancellation cancellation, Limits limits) {
    public static final RunControl DEFAULTS = new RunControl(ProgressListener.NONE, new Cancellation(), Limits.NONE);

    public RunControl {
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(cancellation, "cancellation");
        Objects.requireNonNull(limits, "limits");
    }

    public static RunControl of(ProgressListener progress) {
        return new RunControl(progress, new Cancellation(), Limits.NONE);
    }

    public RunControl withLimits(Limits l) {
        return new RunControl(progress, cancellation, l);
    }
}
