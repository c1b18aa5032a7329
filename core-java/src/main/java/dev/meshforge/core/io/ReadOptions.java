// Limits a reader enforces before it allocates, so hostile input fails fast with a named limit.
package dev.meshforge.core.io;

/**
 * @param maxFileBytes largest input file accepted
 * @param maxTriangles largest number of triangles a file may declare or hold
 */
public record ReadOptions(long maxFileBytes, long maxTriangles) {
    /** 8 GiB files, 200 million triangles. */
    public static final ReadOptions DEFAULTS = new ReadOptions(8L << 30, 200_000_000L);

    public ReadOptions {
        if (maxFileBytes <= 0 || maxTriangles <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
