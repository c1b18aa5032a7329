// Runs each long loop of a geometry (over its corners, control points or vertices) a block of elements a call.
package dev.meshforge.core.io.fbx;

/**
 * A loop over millions of elements inside one method the JIT can compile only on the stack (OSR), and it recompiles
 * it each time the loop leaves its compiled code (measured: several such recompilations a read, and some reads two
 * to three times as slow). So a long loop is a body called for {@link #SIZE} elements at a time: a method the JIT
 * compiles whole, by its calls, with its loop exits profiled.
 */
final class FbxBlocks {
    /** Elements a call of a body takes. */
    static final int SIZE = 4096;

    /** A long loop's body over its elements {@code [from, to)}. */
    @FunctionalInterface
    interface Body {
        void run(int from, int to);
    }

    private FbxBlocks() {
    }

    /** Calls {@code body} on {@code [from, to)} a block of {@link #SIZE} elements at a time, in order. */
    static void run(int from, int to, Body body) {
        for (int first = from; first < to; ) {
            int end = (int) Math.min(to, (long) first + SIZE);
            body.run(first, end);
            first = end;
        }
    }
}
