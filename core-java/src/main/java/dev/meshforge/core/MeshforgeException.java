// The root of meshforge's exceptions: every failure a user can meet reads as one clear sentence.
package dev.meshforge.core;

/**
 * A failure meshforge reports to its user. {@link #getMessage()} is one English sentence that names the
 * input and what was wrong; callers print it as it is, without a stack trace.
 */
public sealed class MeshforgeException extends RuntimeException
        permits BadInputException, UnsupportedFeatureException, LimitExceededException, KernelException,
                CancelledException {

    protected MeshforgeException(String message) {
        super(message);
    }

    protected MeshforgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
