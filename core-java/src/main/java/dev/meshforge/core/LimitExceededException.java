// An explicit limit (size, count, time) stopped the work before it could exhaust the machine.
package dev.meshforge.core;

/** Work stopped at an explicit limit; the message names the limit and its value. */
public final class LimitExceededException extends MeshforgeException {
    public LimitExceededException(String message) {
        super(message);
    }
}
