// Limits a reader enforces before it allocates, so hostile input fails fast with a named limit.
package dev.meshforge.core.io;

import java.nio.file.Path;

/**
 * What a read may cost and where it may look. Every limit is checked before the memory or disk it guards is
 * spent; a file past one is refused with a {@link dev.meshforge.core.LimitExceededException} (or a
 * {@link dev.meshforge.core.BadInputException}) whose sentence names the file and the limit to raise, e.g.
 * {@code ReadOptions.maxNodeDepth}. A server sets them per request; {@link #DEFAULTS} suits a desktop.
 *
 * @param maxFileBytes        largest input file accepted; default 8 GiB
 * @param maxTriangles        largest number of triangles a file may declare or hold (vertex counts are held to
 *                            three times it); default 200 million
 * @param maxArchiveEntries   most entries a ZIP archive may list; default 10,000
 * @param maxArchiveBytes     most bytes a ZIP archive may expand to, all entries together, checked on the
 *                            headers before anything is written and again on the bytes really inflated; default
 *                            4 GiB
 * @param maxCompressionRatio most an archive entry may expand relative to its compressed size (zip bombs),
 *                            checked on the headers and on the bytes really inflated once an entry is past 1 MiB;
 *                            default 200 (deflate itself cannot pass 1032)
 * @param fanTriangulation    cut polygons as fans from their first corner, as most tools and the corpus
 *                            checker do, instead of by ear clipping; a fan is wrong for concave polygons, so
 *                            this serves comparisons with such tools, not models; default false
 * @param maxNodeDepth        deepest node hierarchy accepted (a root is depth 1): deeper chains are refused
 *                            rather than walked, since the scene's consumers walk it recursively; default 1,000
 * @param maxDecodedBytes     most bytes a reader may inflate from compressed data inside one file (FBX
 *                            compressed arrays), all together, checked on the declared sizes before any is
 *                            allocated; default 4 GiB
 * @param companionFolder     the folder companion files (MTL, textures, glTF buffers, FBX textures) must lie
 *                            in; null (the default) means the folder of the file read. A ZIP bundle's reader sets
 *                            it to the extraction folder. Paths that leave it, absolute paths, devices, links
 *                            and URLs are never opened
 */
public record ReadOptions(long maxFileBytes, long maxTriangles, int maxArchiveEntries, long maxArchiveBytes,
                          int maxCompressionRatio, boolean fanTriangulation, int maxNodeDepth, long maxDecodedBytes,
                          Path companionFolder) {
    /**
     * 8 GiB files, 200 million triangles; archives of 10,000 entries, 4 GiB expanded, ratio 200; hierarchies
     * 1,000 deep; 4 GiB inflated from one file; companions from the model's own folder.
     */
    public static final ReadOptions DEFAULTS = new ReadOptions(8L << 30, 200_000_000L);

    public ReadOptions {
        if (maxFileBytes <= 0 || maxTriangles <= 0 || maxArchiveEntries <= 0 || maxArchiveBytes <= 0
                || maxCompressionRatio <= 0 || maxNodeDepth <= 0 || maxDecodedBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        companionFolder = companionFolder == null ? null : companionFolder.toAbsolutePath().normalize();
    }

    /** The given file and triangle limits with the default archive, depth and decoding limits. */
    public ReadOptions(long maxFileBytes, long maxTriangles) {
        this(maxFileBytes, maxTriangles, 10_000, 4L << 30, 200, false);
    }

    /** The limits of the first version of this record, with the default depth and decoding limits. */
    public ReadOptions(long maxFileBytes, long maxTriangles, int maxArchiveEntries, long maxArchiveBytes,
                       int maxCompressionRatio, boolean fanTriangulation) {
        this(maxFileBytes, maxTriangles, maxArchiveEntries, maxArchiveBytes, maxCompressionRatio, fanTriangulation,
                1_000, 4L << 30, null);
    }

    public ReadOptions withArchiveLimits(int entries, long bytes, int ratio) {
        return new ReadOptions(maxFileBytes, maxTriangles, entries, bytes, ratio, fanTriangulation, maxNodeDepth,
                maxDecodedBytes, companionFolder);
    }

    public ReadOptions withFanTriangulation(boolean fan) {
        return new ReadOptions(maxFileBytes, maxTriangles, maxArchiveEntries, maxArchiveBytes, maxCompressionRatio,
                fan, maxNodeDepth, maxDecodedBytes, companionFolder);
    }

    public ReadOptions withMaxNodeDepth(int depth) {
        return new ReadOptions(maxFileBytes, maxTriangles, maxArchiveEntries, maxArchiveBytes, maxCompressionRatio,
                fanTriangulation, depth, maxDecodedBytes, companionFolder);
    }

    public ReadOptions withMaxDecodedBytes(long bytes) {
        return new ReadOptions(maxFileBytes, maxTriangles, maxArchiveEntries, maxArchiveBytes, maxCompressionRatio,
                fanTriangulation, maxNodeDepth, bytes, companionFolder);
    }

    /** These limits with companions confined to {@code folder} (null: the folder of the file read). */
    public ReadOptions withCompanionFolder(Path folder) {
        return new ReadOptions(maxFileBytes, maxTriangles, maxArchiveEntries, maxArchiveBytes, maxCompressionRatio,
                fanTriangulation, maxNodeDepth, maxDecodedBytes, folder);
    }

    /** The folder the companions of {@code file} must lie in. */
    public Path companionFolderOf(Path file) {
        if (companionFolder != null) {
            return companionFolder;
        }
        Path parent = file.toAbsolutePath().normalize().getParent();
        return parent == null ? file.toAbsolutePath().getRoot() : parent;
    }
}
