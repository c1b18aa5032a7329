// Input that is malformed: the file, where in it, and what was expected.
package dev.meshforge.core;

import java.nio.file.Path;

/** The input is malformed; the message names the file, the place in it (line or byte offset) and the defect. */
public final class BadInputException extends MeshforgeException {
    private final transient Path file;

    public BadInputException(Path file, String what) {
        super(file == null ? what : file + ": " + what);
        this.file = file;
    }

    public BadInputException(Path file, String what, Throwable cause) {
        super(file == null ? what : file + ": " + what, cause);
        this.file = file;
    }

    /** The offending file, or null when the input did not come from a file. */
    public Path file() {
        return file;
    }
}
