// The heap that task-creating bodies held whole may take (body_memory_mb), and the arrays kept in it between bodies.
package dev.meshforge.server.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A body held in memory takes two arrays: the body as it arrived, and room for its model (base64 decoded, or a
 * multipart body's model part copied out). Both are lent from here and given back once the task is accepted or
 * refused, and are then kept for the next body instead of dropped: a new array is zeroed by the JVM, and a large one
 * lands on heap pages the collector has just handed over, each faulted in on first touch (profiled with 5 MB bodies: a
 * fifth of the server's CPU). The arrays lent and the arrays kept never take more than the capacity together; kept
 * arrays are let go where a body needs their room, and a body that still does not fit is received into a file
 * instead.
 */
final class BodyMemory {
    /** The least an array is made: small bodies share a few arrays of this size. */
    private static final int LEAST = 1 << 14;

    private final long capacity;
    /** The bytes of the arrays lent now. */
    private long lent;
    /** Arrays given back, oldest first; they count against the capacity as long as they are kept. */
    private final List<byte[]> kept = new ArrayList<>();
    private long keptBytes;

    BodyMemory(long capacity) {
        this.capacity = Math.max(0, capacity);
    }

    /**
     * Two arrays lent for a JSON body of {@code length} bytes: its own, and one for its model, as large as the most
     * bytes base64 text of that length decodes to; null where they do not fit.
     */
    Loan borrow(long length) {
        return borrow(length, false);
    }

    /**
     * Two arrays lent for a body of {@code length} bytes: its own, and one for its model, which for a multipart body
     * ({@code multipart}) may be nearly the whole body, and for a JSON body is its base64 text decoded; null where
     * they do not fit.
     */
    Loan borrow(long length, boolean multipart) {
        if (length < 0 || 2 * length > capacity || length > Integer.MAX_VALUE - 16) {
            return null;
        }
        int bodySize = (int) length;
        int modelSize = multipart ? bodySize : (int) (length / 4 * 3 + 3);
        byte[] body;
        byte[] model;
        int freshBody;
        int freshModel;
        synchronized (this) {
            body = fromKept(bodySize);
            model = fromKept(modelSize);
            freshBody = body == null ? rounded(bodySize) : 0;
            freshModel = model == null ? rounded(modelSize) : 0;
            if (lent + freshBody + freshModel > capacity) {
                // Not even with every kept array let go: the ones taken go back, and the body goes to a file.
                keepAgain(body, model);
                return null;
            }
            while (lent + keptBytes + freshBody + freshModel > capacity) {
                keptBytes -= kept.removeFirst().length;
            }
            lent += freshBody + freshModel;
        }
        // Made outside the lock: zeroing megabytes takes a while.
        try {
            return new Loan(body != null ? body : new byte[freshBody], model != null ? model : new byte[freshModel]);
        } catch (OutOfMemoryError e) {
            // The room counted for arrays that were never made is given back with the arrays that were taken.
            synchronized (this) {
                lent -= freshBody + freshModel;
                keepAgain(body, model);
            }
            throw e;
        }
    }

    /** The smallest kept array that holds {@code size} bytes and is at most twice what it would be made; moved to lent. */
    private byte[] fromKept(int size) {
        int best = -1;
        long most = 2L * rounded(size);
        for (int i = 0; i < kept.size(); i++) {
            int n = kept.get(i).length;
            if (n >= size && n <= most && (best < 0 || n < kept.get(best).length)) {
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        byte[] a = kept.remove(best);
        keptBytes -= a.length;
        lent += a.length;
        return a;
    }

    /** Arrays taken from the kept ones (null where none was) go back to them, no longer lent. */
    private void keepAgain(byte[]... taken) {
        for (byte[] a : taken) {
            if (a != null) {
                lent -= a.length;
                kept.add(a);
                keptBytes += a.length;
            }
        }
    }

    /** {@code size} rounded up to a step of an eighth of its highest power of two, so that near sizes share arrays. */
    static int rounded(int size) {
        if (size <= LEAST) {
            return LEAST;
        }
        long step = Integer.highestOneBit(size) >> 3;
        return (int) Math.min(Integer.MAX_VALUE - 16, (size + step - 1) / step * step);
    }

    private synchronized void giveBack(Loan loan, boolean keep) {
        if (keep) {
            keepAgain(loan.body, loan.model);
        } else {
            lent -= loan.body.length + loan.model.length;
        }
    }

    /** The bytes lent now and kept now (for tests). */
    synchronized long[] usage() {
        return new long[]{lent, keptBytes};
    }

    /** A body's two arrays until {@link #close()}. */
    final class Loan implements AutoCloseable {
        private final byte[] body;
        private final byte[] model;
        private boolean closed;

        private Loan(byte[] body, byte[] model) {
            this.body = body;
            this.model = model;
        }

        /** At least the body's length; what lies past it is left from an earlier body. */
        byte[] body() {
            return body;
        }

        /** At least as long as the body's text can decode to. */
        byte[] model() {
            return model;
        }

        /**
         * Gives the arrays back. They are kept for the next body unless this thread was interrupted: then the work
         * that used them may still be running on another thread, and they are let go instead.
         */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                giveBack(this, !Thread.currentThread().isInterrupted());
            }
        }
    }
}
