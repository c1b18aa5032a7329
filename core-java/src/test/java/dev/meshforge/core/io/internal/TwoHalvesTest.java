// TwoHalves: both answers, and no failure thrown while the later half still runs.
package dev.meshforge.core.io.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TwoHalvesTest {
    @Test
    void answersWhatEachHalfAnswered() {
        TwoHalves.Results<String> r = TwoHalves.run(() -> "first", () -> Thread.currentThread().getName());
        assertEquals("first", r.first());
        assertTrue(r.later().contains("ForkJoinPool"), "the later half ran on the pool: " + r.later());
    }

    @Test
    void aFailedFirstHalfIsThrownOnlyOnceTheLaterHasFinished() {
        IllegalStateException thrown = failFirstWhileTheLaterRuns(false);
        assertEquals(0, thrown.getSuppressed().length);
    }

    @Test
    void aFailedLaterHalfIsThrownAfterTheFirstHasFinished() {
        AtomicBoolean firstDone = new AtomicBoolean();
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> TwoHalves.run(() -> {
            sleep(200);
            firstDone.set(true);
        }, () -> {
            throw new IllegalArgumentException("later half");
        }));
        assertEquals("later half", thrown.getMessage());
        assertEquals(null, thrown.getCause(), "the later half's own exception, not a copy wrapping it");
        assertTrue(firstDone.get(), "the first half had finished when the later's failure was thrown");
    }

    @Test
    void whenBothFailTheFirstIsThrownWithTheLaterSuppressed() {
        IllegalStateException thrown = failFirstWhileTheLaterRuns(true);
        assertEquals(1, thrown.getSuppressed().length);
        Throwable later = thrown.getSuppressed()[0];
        assertNotSame(thrown, later);
        assertSame(IllegalArgumentException.class, later.getClass());
        assertEquals("later half", later.getMessage());
    }

    /**
     * Runs halves of which the first fails while the later still runs (it waits for that failure, then a while);
     * checks the failure thrown is the first's and came only once the later had finished.
     */
    private static IllegalStateException failFirstWhileTheLaterRuns(boolean laterFails) {
        CountDownLatch firstFailed = new CountDownLatch(1);
        AtomicBoolean laterDone = new AtomicBoolean();
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> TwoHalves.run(() -> {
            firstFailed.countDown();
            throw new IllegalStateException("first half");
        }, () -> {
            await(firstFailed);
            sleep(200);
            laterDone.set(true);
            if (laterFails) {
                throw new IllegalArgumentException("later half");
            }
            return null;
        }));
        assertEquals("first half", thrown.getMessage());
        assertTrue(laterDone.get(), "the later half had finished when the first's failure was thrown");
        return thrown;
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
