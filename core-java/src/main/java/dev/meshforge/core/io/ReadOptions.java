// Limits a reader enforces before it allocates, so hostile input fails fast with a named limit.
package dev.meshforge.core.io;

/**
 * @param maxFileBytes        largest input file accepted
 * @param maxTriangles        largest number of triangles a file may declare or hold
 * @param maxArchiveEntries   most entries a ZIP archive may list
 * @param maxArchiveBytes     most bytes a ZIP archive may expand to, all entries together (counted while
 *                            extracting, never trusted from the headers)
 * @param maxCompressionRatio most an entry may expand relative to its compressed size once it is past 1 MiB
 *                            (zip bombs)
 * @param fanTriangulation    cut polygons as fans from their first corner, as most tools and the corpus
 *                            checker do, instead of by ear clipping; a fan is wrong for concave polygons, so
 *                            this serves comparisons with such tools, not models
 */
public record ReadOptions(long maxFileBytes, long maxTriangles, int maxArchiveEntries, long maxArchiveBytes,
                          int maxCompressionRatio, boolean fanTriangulation) {
    /** 8 GiB files, 200 million triangles; archives of 10000 entries, 4 GiB expanded, ratio 200. */
    public static final ReadOptions DEFAULTS = new ReadOptions(8L << 30, 200_000_000L);

    public ReadOptions {
        if (maxFileBytes <= 0 || maxTriangles <= 0 || maxArchiveEntries <= 0 || maxArchiveBytes <= 0
                || maxCompressionRatio <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** The given file and triangle limits with the default archive limits. */
    public ReadOptions(long maxFileBytes, long maxTriangles) {
        this(maxFileBytes, maxTriangles, 10_000, 4L << 30, 200, false);
    }

    public ReadOptions withArchiveLimits(int entries, long bytes, int ratio) {
        return new ReadOptions(maxFileBytes, maxTriangles, entries, bytes, ratio, fanTriangulation);
    }

    public ReadOptions withFanTriangulation(boolean fan) {
        return new ReadOptions(maxFileBytes, maxTriangles, maxArchiveEntries, maxArchiveBytes, maxCompressionRatio,
                fan);
    }
}
