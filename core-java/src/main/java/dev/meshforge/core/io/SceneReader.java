// What every format's reader offers.
package dev.meshforge.core.io;

import dev.meshforge.core.scene.Scene;

import java.io.IOException;
import java.nio.file.Path;

/** Reads one format into a new {@link Scene}; malformed input raises a BadInputException naming the file. */
public interface SceneReader {
    Scene read(Path file, ReadOptions options) throws IOException;
}
