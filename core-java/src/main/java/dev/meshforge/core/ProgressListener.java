// Progress reports from long operations, and the way to cancel them.
package dev.meshforge.core;

/** Receives progress of a long operation; returning false asks the operation to stop. */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores progress and never cancels. */
    ProgressListener NONE = (fraction, stage) -> true;

    /**
     * @param fraction done so far, in [0, 1]
     * @param stage    a short name of the current stage, e.g. "intersections"
     * @return true to go on, false to cancel
     */
    boolean update(double fraction, String stage);
}
