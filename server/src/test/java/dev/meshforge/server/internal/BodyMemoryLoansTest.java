// The body memory: arrays lent and kept never exceed it, are kept for the next body, and let go where room is needed.
package dev.meshforge.server.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BodyMemoryLoansTest {
    private static final int MB = 1 << 20;

    /** The body's array holds the body, the model's array what its text can decode to (3 bytes per 4, rounded up). */
    @Test
    void aLoanHoldsTheBodyAndItsDecodedModel() {
        BodyMemory memory = new BodyMemory(64L * MB);
        try (BodyMemory.Loan loan = memory.borrow(5_100_001)) {
            assertNotNull(loan);
            assertTrue(loan.body().length >= 5_100_001, () -> "body " + loan.body().length);
            assertTrue(loan.model().length >= 3_825_003, () -> "model " + loan.model().length);
            long[] usage = memory.usage();
            assertEquals(loan.body().length + loan.model().length, usage[0]);
            assertEquals(0, usage[1]);
        }
    }

    /** Given back, the same two arrays serve the next body of that size, and one a little larger. */
    @Test
    void theArraysGivenBackServeTheNextBody() {
        BodyMemory memory = new BodyMemory(64L * MB);
        byte[] body;
        byte[] model;
        try (BodyMemory.Loan loan = memory.borrow(5 * MB - 1000)) {
            body = loan.body();
            model = loan.model();
        }
        assertArrayEquals(new long[]{0, body.length + model.length}, memory.usage());
        try (BodyMemory.Loan again = memory.borrow(5 * MB - 200)) {
            assertTrue(body == again.body(), "the body's array is not the one given back");
            assertTrue(model == again.model(), "the model's array is not the one given back");
            assertArrayEquals(new long[]{body.length + model.length, 0}, memory.usage());
        }
    }

    /**
     * Two bodies at once need two pairs; a third that does not fit beside them gets none (its body goes to a file),
     * and the capacity is never passed, counting the arrays kept.
     */
    @Test
    void aBodyThatDoesNotFitBesideTheLentOnesGetsNone() {
        BodyMemory memory = new BodyMemory(20L * MB);
        BodyMemory.Loan one = memory.borrow(5 * MB);
        BodyMemory.Loan two = memory.borrow(5 * MB);
        assertNotNull(one);
        assertNotNull(two);
        assertNull(memory.borrow(5 * MB));
        long[] usage = memory.usage();
        assertTrue(usage[0] + usage[1] <= 20L * MB, () -> usage[0] + " + " + usage[1]);
        one.close();
        two.close();
        long[] after = memory.usage();
        assertEquals(0, after[0]);
        assertTrue(after[1] <= 20L * MB, () -> Long.toString(after[1]));
    }

    /** Kept arrays too small for a new body are let go to make its room, rather than sending it to a file. */
    @Test
    void keptArraysAreLetGoToMakeRoom() {
        BodyMemory memory = new BodyMemory(20L * MB);
        for (int i = 0; i < 4; i++) {
            memory.borrow(2 * MB + i * 300_000L).close();
        }
        assertTrue(memory.usage()[1] > 8L * MB, () -> Long.toString(memory.usage()[1]));
        try (BodyMemory.Loan large = memory.borrow(9 * MB)) {
            assertNotNull(large);
            long[] usage = memory.usage();
            assertTrue(usage[0] + usage[1] <= 20L * MB, () -> usage[0] + " + " + usage[1]);
        }
    }

    /** A body whose two arrays could never fit, and a capacity of 0 (every body to a file), get none. */
    @Test
    void aBodyLargerThanTheMemoryOrNoMemoryGetsNone() {
        assertNull(new BodyMemory(10L * MB).borrow(6 * MB));
        assertNull(new BodyMemory(0).borrow(0));
        assertNull(new BodyMemory(0).borrow(100));
    }

    /** Arrays given back by an interrupted thread may still be in use elsewhere: let go, not kept. */
    @Test
    void anInterruptedThreadsArraysAreNotKept() {
        BodyMemory memory = new BodyMemory(64L * MB);
        BodyMemory.Loan loan = memory.borrow(MB);
        Thread.currentThread().interrupt();
        try {
            loan.close();
        } finally {
            Thread.interrupted();
        }
        assertArrayEquals(new long[]{0, 0}, memory.usage());
    }
}
