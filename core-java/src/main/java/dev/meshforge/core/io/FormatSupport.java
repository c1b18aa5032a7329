// How a format package offers its readers and writers to Formats, without io depending back on it.
package dev.meshforge.core.io;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A format package's registration. Formats finds every subclass through {@link java.util.ServiceLoader}
 * ({@code provides} in module-info, and {@code META-INF/services} for the class path), so that the {@code io}
 * package names no format package and each format package depends on {@code io} only.
 */
public abstract class FormatSupport {
    private final Map<Format, Supplier<SceneReader>> readers;
    private final Map<Format, Supplier<SceneWriter>> writers;

    /** The formats a package reads and writes, each with the constructor of a new reader or writer. */
    protected FormatSupport(Map<Format, Supplier<SceneReader>> readers, Map<Format, Supplier<SceneWriter>> writers) {
        this.readers = Map.copyOf(readers);
        this.writers = Map.copyOf(writers);
    }

    /** A new reader of {@code format}, where this package reads it. */
    public final Optional<SceneReader> reader(Format format) {
        return Optional.ofNullable(readers.get(format)).map(Supplier::get);
    }

    /** A new writer of {@code format}, where this package writes it. */
    public final Optional<SceneWriter> writer(Format format) {
        return Optional.ofNullable(writers.get(format)).map(Supplier::get);
    }
}
