// The entry point for reading and writing: picks the format, maps I/O failures to clear errors.
package dev.meshforge.core.io;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.UnsupportedFeatureException;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.VertexAttribute;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;

/** Reads and writes scenes, choosing the format by content where it is distinctive and by extension otherwise. */
public final class Formats {
    private Formats() {
    }

    /** The format of an existing file. */
    public static Format detect(Path file) throws IOException {
        byte[] head = new byte[64];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        return Format.detect(head, n, file).orElseThrow(() -> new BadInputException(file,
                "cannot tell the format: the extension is not one of " + String.join(", ", readableExtensions())
                        + " and the content has no known signature"));
    }

    /** Reads {@code file} under {@link ReadOptions#DEFAULTS}; see {@link #read(Path, ReadOptions)}. */
    public static Scene read(Path file) {
        return read(file, ReadOptions.DEFAULTS);
    }

    /**
     * Reads a model file of any supported format into a new scene, which the caller closes.
     *
     * @throws dev.meshforge.core.BadInputException          the file is malformed, or cannot be read at all; the
     *                                                       message names the file and the place in it
     * @throws dev.meshforge.core.LimitExceededException     the file passes one of {@code options}' limits, which the
     *                                                       message names
     * @throws dev.meshforge.core.UnsupportedFeatureException the file needs something meshforge cannot read
     */
    public static Scene read(Path file, ReadOptions options) {
        try {
            if (Files.isDirectory(file)) {
                throw new BadInputException(file, "is a directory, not a model file");
            }
            long size = Files.size(file);
            if (size > options.maxFileBytes()) {
                throw new BadInputException(file, "is " + size + " bytes, more than the limit of "
                        + options.maxFileBytes() + " bytes (ReadOptions.maxFileBytes)");
            }
            SceneReader reader = reader(detect(file));
            Scene scene = reader.read(file, options);
            try {
                checkNodes(file, scene, options);
                if (!reader.leavesOnlyFiniteValues()) {
                    requireFinite(file, scene);
                }
            } catch (RuntimeException e) {
                scene.close();
                throw e;
            }
            return scene;
        } catch (NoSuchFileException e) {
            throw new BadInputException(file, "no such file");
        } catch (AccessDeniedException e) {
            throw new BadInputException(file, "permission denied");
        } catch (IOException e) {
            throw new BadInputException(file, "could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * Every reader's hierarchy is at most {@link ReadOptions#maxNodeDepth} deep, since the scene's consumers walk it
     * recursively, and every node's transform is finite, since a NaN there reaches every vertex below it. Walked
     * with an explicit stack, so the check itself cannot overflow.
     */
    private static void checkNodes(Path file, Scene scene, ReadOptions options) {
        java.util.ArrayDeque<Node> stack = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<Integer> depths = new java.util.ArrayDeque<>();
        java.util.Set<Node> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Node root : scene.roots()) {
            stack.push(root);
            depths.push(1);
        }
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            int depth = depths.pop();
            if (depth > options.maxNodeDepth()) {
                throw new LimitExceededException(file + ": its node hierarchy is deeper than "
                        + options.maxNodeDepth() + " levels (node '" + n.name() + "'), the limit "
                        + "(ReadOptions.maxNodeDepth)");
            }
            if (!seen.add(n)) {
                continue;
            }
            for (double v : n.local().toArray()) {
                if (!Double.isFinite(v)) {
                    throw new BadInputException(file, "node '" + n.name() + "': its transform holds a NaN or "
                            + "infinite value");
                }
            }
            for (Node c : n.children()) {
                stack.push(c);
                depths.push(depth + 1);
            }
        }
    }

    /**
     * Every reader's output meets one rule: positions are finite (else the file is refused, naming the vertex),
     * and other attributes' NaN or infinite values are set to 0 with a warning, since no consumer takes them.
     */
    private static void requireFinite(Path file, Scene scene) {
        java.util.Set<Primitive> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        scene.forEachPlacedMesh((mesh, t) -> {
            for (Primitive p : mesh.primitives()) {
                if (!seen.add(p)) {
                    continue;
                }
                long bad = p.positions().firstNonFinite();
                if (bad >= 0) {
                    throw new BadInputException(file, "mesh '" + mesh.name() + "': vertex " + bad
                            + " has a NaN or infinite coordinate");
                }
                for (VertexAttribute a : p.attributes().values()) {
                    long replaced = a == p.positions() ? 0 : a.zeroNonFinite();
                    if (replaced > 0) {
                        scene.warn(file + ": mesh '" + mesh.name() + "': " + replaced + " NaN or infinite "
                                + a.name() + " values were set to 0");
                    }
                }
            }
        });
    }

    /**
     * Writes {@code scene} to {@code file} in {@code format}, with the companion files the format takes beside it.
     * The files are written into a hidden folder beside the output and moved into place only once the writer has
     * finished ({@link StagedWrite}): a write that fails leaves no half-written model there, and the output may be
     * the file the scene was read from. {@link WriteOptions#inPlace} writes straight to the output instead.
     */
    public static void write(Scene scene, Path file, Format format, WriteOptions options) {
        SceneWriter writer = writer(format);
        try {
            if (options.staged()) {
                StagedWrite.run(file, scene, target -> writer.write(scene, target, options));
            } else {
                writer.write(scene, file, options);
            }
        } catch (IOException e) {
            throw new BadInputException(file, "could not be written: " + e.getMessage(), e);
        }
    }

    /** Whether this build has a reader for the file's format (false too when the format cannot be told). */
    public static boolean canRead(Path file) {
        try {
            return readerOrNull(detect(file)) != null;
        } catch (IOException | BadInputException e) {
            return false;
        }
    }

    /** The registered formats, found once (see {@link FormatSupport}). */
    private static final class Registry {
        static final List<FormatSupport> ALL = ServiceLoader.load(FormatSupport.class, Formats.class.getClassLoader())
                .stream().map(ServiceLoader.Provider::get).toList();
    }

    private static SceneReader readerOrNull(Format format) {
        return Registry.ALL.stream().flatMap(s -> s.reader(format).stream()).findFirst().orElse(null);
    }

    /** The extensions of the formats this build reads, for messages. */
    private static List<String> readableExtensions() {
        return Arrays.stream(Format.values()).filter(f -> readerOrNull(f) != null).map(Format::extension).distinct()
                .toList();
    }

    static SceneReader reader(Format format) {
        SceneReader reader = readerOrNull(format);
        if (reader == null) {
            throw new UnsupportedFeatureException("reading " + format.id() + " files is not supported");
        }
        return reader;
    }

    static SceneWriter writer(Format format) {
        return Registry.ALL.stream().flatMap(s -> s.writer(format).stream()).findFirst()
                .orElseThrow(() -> new UnsupportedFeatureException("writing " + format.id() + " files is not supported"));
    }
}
