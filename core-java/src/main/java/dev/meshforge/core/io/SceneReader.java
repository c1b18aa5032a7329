// What every format's reader offers.
package dev.meshforge.core.io;

import dev.meshforge.core.scene.Scene;

import java.io.IOException;
import java.nio.file.Path;

/** Reads one format into a new {@link Scene}; malformed input raises a BadInputException naming the file. */
public interface SceneReader {
    Scene read(Path file, ReadOptions options) throws IOException;

    /**
     * Whether every primitive this reader makes already meets {@link Formats#read}'s rule on its own (positions
     * finite, else the file refused; no NaN or infinite value in any other attribute), checked as the reader decodes
     * its buffers with messages of the format's own (the accessor, the line), so that {@code Formats.read} need not
     * pass over every buffer a second time. False unless a reader says so.
     */
    default boolean leavesOnlyFiniteValues() {
        return false;
    }
}
