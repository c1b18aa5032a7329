// The user (through a progress callback) asked an operation to stop.
package dev.meshforge.core;

/** An operation stopped because its progress listener asked it to. */
public final class CancelledException extends MeshforgeException {
    public CancelledException(String message) {
        super(message);
    }
}
