// A one-line progress bar on stderr for long operations; silent when stderr is not a terminal.
package dev.meshforge.cli;

import dev.meshforge.core.ProgressListener;

import java.io.PrintWriter;

/** Draws "[#####     ]  52% intersections" on one line, redrawn at most ten times a second after a short delay. */
final class ProgressBar implements ProgressListener, AutoCloseable {
    private static final long DELAY_NANOS = 500_000_000L;
    private static final long PERIOD_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    ProgressBar(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    @Override
    public synchronized boolean update(double fraction, String stage) {
        if (!enabled) {
            return true;
        }
        long now = System.nanoTime();
        if (now - start < DELAY_NANOS || (drawn && now - lastDraw < PERIOD_NANOS)) {
            return true;
        }
        int width = 30;
        int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * width);
        err.printf("\r[%s%s] %3d%% %-20s", "#".repeat(filled), " ".repeat(width - filled),
                Math.round(fraction * 100), stage);
        err.flush();
        lastDraw = now;
        drawn = true;
        return true;
    }

    @Override
    public synchronized void close() {
        if (drawn) {
            err.print("\r" + " ".repeat(60) + "\r");
            err.flush();
        }
    }
}
