// A failure reported by the native kernel through its mf_status code.
package dev.meshforge.core;

/** The native kernel refused or failed an operation; {@link #status()} is its mf_status code. */
public final class KernelException extends MeshforgeException {
    /** mf_status MF_ERR_INVALID_ARGUMENT: the kernel refused the mesh itself (no surface, NaN positions...). */
    public static final int INVALID_ARGUMENT = 1;

    private final int status;

    public KernelException(int status, String message) {
        super(message);
        this.status = status;
    }

    public KernelException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
    }

    /** The kernel's mf_status code, or -1 when the kernel could not be reached at all. */
    public int status() {
        return status;
    }
}
