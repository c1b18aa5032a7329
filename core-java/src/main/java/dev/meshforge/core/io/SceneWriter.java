// What every format's writer offers.
package dev.meshforge.core.io;

import dev.meshforge.core.scene.Scene;

import java.io.IOException;
import java.nio.file.Path;

/** Writes a {@link Scene} in one format, with any companion files beside {@code file}. */
public interface SceneWriter {
    void write(Scene scene, Path file, WriteOptions options) throws IOException;
}
