// A flag another thread sets to stop a running tool (the server's task cancel, a closed connection).
package dev.meshforge.core.ops;

import java.util.concurrent.atomic.AtomicBoolean;

/** Set once, read by the running tool at every progress step and inside the kernel's progress callback. */
public final class Cancellation {
    /**
     * A run nobody can cancel (the command line's: its user stops the process). With no progress listener and no
     * time limit either, such a run passes the kernel no progress callback (see {@link StageClock#span}).
     */
    public static final Cancellation NEVER = new Cancellation(false);

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final boolean settable;

    public Cancellation() {
        this(true);
    }

    private Cancellation(boolean settable) {
        this.settable = settable;
    }

    public void cancel() {
        if (!settable) {
            throw new UnsupportedOperationException("Cancellation.NEVER cannot be cancelled");
        }
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }
}
