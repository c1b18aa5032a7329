// A flag another thread sets to stop a running tool (the server's task cancel, a closed connection).
package dev.meshforge.core.ops;

import java.util.concurrent.atomic.AtomicBoolean;

/** Set once, read by the running tool at every progress step and inside the kernel's progress callback. */
public final class Cancellation {
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }
}
