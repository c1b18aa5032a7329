// A valid input that uses something meshforge does not handle (yet).
package dev.meshforge.core;

/** The input is valid but uses a feature or format meshforge does not support. */
public final class UnsupportedFeatureException extends MeshforgeException {
    public UnsupportedFeatureException(String message) {
        super(message);
    }
}
