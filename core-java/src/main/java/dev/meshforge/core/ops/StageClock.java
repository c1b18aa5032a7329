// One tool run's progress, cancellation, deadline and stage timings, shared by every tool.
package dev.meshforge.core.ops;

import dev.meshforge.core.CancelledException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.ProgressListener;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Made at the start of a run. Java stages call {@link #checkpoint}, which throws once the run is cancelled or past
 * its time limit; kernel calls get {@link #span} as their listener (cancelled or late, it asks the kernel to
 * stop) and {@link #remaining()} as their own time limit. Every stage name seen starts a timed stage.
 */
public final class StageClock {
    private final RunControl control;
    private final String tool;
    private final long start = System.nanoTime();
    private final long deadline;
    private final Map<String, Double> stages = new LinkedHashMap<>();
    private String stage;
    private long stageStart = start;

    public StageClock(String tool, RunControl control) {
        this.tool = tool;
        this.control = control;
        Duration limit = control.limits().timeLimit();
        this.deadline = limit == null ? Long.MAX_VALUE : start + limit.toNanos();
    }

    /** Reports progress at {@code fraction} of the whole run; throws if the run must stop. */
    public synchronized void checkpoint(double fraction, String stageName) {
        enter(stageName);
        if (!control.progress().update(fraction, stageName) || control.cancellation().isCancelled()) {
            throw new CancelledException(tool + " was cancelled during " + stageName);
        }
        if (System.nanoTime() > deadline) {
            throw new LimitExceededException(tool + " ran past its time limit of "
                    + control.limits().timeLimit().toMillis() / 1000.0 + " s during " + stageName
                    + " (Limits.timeLimit)");
        }
    }

    /**
     * A listener for a step that covers [from, to] of the run: its own fractions are mapped into that range. A run
     * with nothing to tell and nothing to stop it (no listener, {@link Cancellation#NEVER}, no time limit) gets
     * {@link ProgressListener#NONE}, so that its kernel calls pass no callback (the upcall stub made for one costs a
     * fresh JVM about 30 ms); the stages the kernel reports then count under the stage that made the call.
     */
    public ProgressListener span(double from, double to) {
        if (control.progress() == ProgressListener.NONE && control.cancellation() == Cancellation.NEVER
                && deadline == Long.MAX_VALUE) {
            return ProgressListener.NONE;
        }
        return (fraction, stageName) -> {
            synchronized (this) {
                enter(stageName);
            }
            double f = from + (to - from) * Math.max(0, Math.min(1, fraction));
            return control.progress().update(f, stageName) && !control.cancellation().isCancelled()
                    && System.nanoTime() <= deadline;
        };
    }

    /** The time left for a kernel call, or null where the run has no time limit. */
    public Duration remaining() {
        if (deadline == Long.MAX_VALUE) {
            return null;
        }
        return Duration.ofNanos(Math.max(1_000_000L, deadline - System.nanoTime()));
    }

    public long maxMemoryBytes() {
        return control.limits().maxMemoryBytes();
    }

    /** Ends the run's clock: the total and each stage's seconds. */
    public synchronized Timings finish() {
        long now = System.nanoTime();
        enter(null);
        control.progress().update(1.0, "done");
        return new Timings((now - start) / 1e9, stages);
    }

    private void enter(String stageName) {
        if (stageName != null && stageName.equals(stage)) {
            return;
        }
        long now = System.nanoTime();
        if (stage != null) {
            stages.merge(stage, (now - stageStart) / 1e9, Double::sum);
        }
        stage = stageName;
        stageStart = now;
    }
}
