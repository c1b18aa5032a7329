// Runs two halves of a reader's work at once: the later on the common pool, the first on the calling thread.
package dev.meshforge.core.io.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.Supplier;

/**
 * The halves read the file's mapped bytes and write into the scene's buffers, both of which the caller closes when
 * the read fails: so a failure of either half is thrown only once neither half is running. When the first half
 * fails, the later is waited for and the first's exception thrown, the later's (if it failed too) added to it as
 * suppressed; when only the later fails, its own exception is thrown, as it was thrown.
 */
public final class TwoHalves {
    private TwoHalves() {
    }

    /** What each half answered. */
    public record Results<T>(T first, T later) {
    }

    /** Runs {@code first} here and {@code later} on the common pool at once; answers both once both are done. */
    public static <T> Results<T> run(Supplier<T> first, Supplier<T> later) {
        Later<T> other = new Later<>(later);
        ForkJoinTask<?> task = ForkJoinPool.commonPool().submit(other);
        T a;
        try {
            a = first.get();
        } catch (RuntimeException | Error e) {
            task.quietlyJoin(); // done with the file and the scene before they close
            if (other.failure != null) {
                e.addSuppressed(other.failure);
            }
            throw e;
        }
        task.quietlyJoin();
        if (other.failure instanceof RuntimeException e) {
            throw e;
        } else if (other.failure instanceof Error e) {
            throw e;
        }
        return new Results<>(a, other.answer);
    }

    /**
     * The later half, keeping its own exception: ForkJoinTask.join rethrows one from another thread as a copy
     * (its message the original's toString), and a reader's error should reach its caller as it was thrown.
     */
    private static final class Later<T> implements Runnable {
        private final Supplier<T> work;
        /** Written by the pool's thread before the task completes; read after joining it. */
        private T answer;
        private Throwable failure;

        Later(Supplier<T> work) {
            this.work = work;
        }

        @Override
        public void run() {
            try {
                answer = work.get();
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }
    }

    /** As {@link #run(Supplier, Supplier)}, for halves that answer nothing. */
    public static void run(Runnable first, Runnable later) {
        run(() -> {
            first.run();
            return null;
        }, () -> {
            later.run();
            return null;
        });
    }
}
