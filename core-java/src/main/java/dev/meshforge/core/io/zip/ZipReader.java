// Reads the model inside a ZIP bundle: safe extraction into a private folder, then the model's own reader.
package dev.meshforge.core.io.zip;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.UnsupportedFeatureException;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.io.SceneReader;
import dev.meshforge.core.io.obj.ObjReader;
import dev.meshforge.core.scene.Scene;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A ZIP bundle of one model and its companions (MTL, .bin, textures). Every entry except platform junk
 * ({@code __MACOSX/}, {@code ._*}, {@code .DS_Store}, {@code Thumbs.db}, {@code desktop.ini}) is extracted into a
 * private temporary folder, which is deleted after reading. Extraction enforces, in this order: the entry count
 * ({@link ReadOptions#maxArchiveEntries}), entry names (absolute paths, drive letters and {@code ..} segments are
 * refused as path traversal), the expanded size of all entries together ({@link ReadOptions#maxArchiveBytes}) and
 * each entry's expansion ratio once it is past 1 MiB ({@link ReadOptions#maxCompressionRatio}); sizes are counted
 * while inflating, never taken from the headers.
 *
 * <p>Which model: files with the extensions glb, gltf, obj, fbx, ply, stl are models. The type with the most
 * files wins (ties: glb, gltf, fbx, obj, ply, stl in that order); of that type the largest file is read, and the
 * others are named in a warning. An OBJ reads its MTL and textures only from inside the archive; names are
 * matched ignoring case where the exact name is absent.
 */
public final class ZipReader implements SceneReader {
    private static final List<String> MODEL_TYPES = List.of("glb", "gltf", "fbx", "obj", "ply", "stl");
    private static final long RATIO_FLOOR = 1L << 20;

    @Override
    public Scene read(Path file, ReadOptions options) throws IOException {
        Path root = Files.createTempDirectory("meshforge-zip-");
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
            }
            List<Extracted> files = extract(file, root, options);
            Extracted model = choose(file, files);
            Scene scene = readModel(file, root, model, options);
            List<String> others = new ArrayList<>();
            String type = extension(model.name);
            for (Extracted e : files) {
                if (e != model && MODEL_TYPES.contains(extension(e.name))) {
                    others.add(e.name);
                }
            }
            if (!others.isEmpty()) {
                scene.warn(file + ": read the largest ." + type + " model, '" + model.name + "'; the archive also holds "
                        + others + " (not read)");
            }
            return scene;
        } finally {
            deleteTree(root);
        }
    }

    /** An extracted entry: its name in the archive and where it now lies. */
    private record Extracted(String name, Path path, long size) {
    }

    private static List<Extracted> extract(Path file, Path root, ReadOptions options) throws IOException {
        try (ZipFile zip = open(file)) {
            if (zip.size() > options.maxArchiveEntries()) {
                throw new LimitExceededException(file + ": the archive lists " + zip.size() + " entries, more than the "
                        + "limit of " + options.maxArchiveEntries() + " (ReadOptions.maxArchiveEntries)");
            }
            List<Extracted> out = new ArrayList<>();
            long total = 0;
            byte[] buf = new byte[1 << 16];
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName().replace('\\', '/');
                checkName(file, name);
                if (e.isDirectory() || isJunk(name)) {
                    continue;
                }
                Path target = root.resolve(name).normalize();
                if (!target.startsWith(root)) {
                    throw new BadInputException(file, "entry '" + e.getName() + "' would be extracted outside the "
                            + "archive's folder (path traversal); refused");
                }
                Files.createDirectories(target.getParent());
                long compressed = Math.max(1, e.getCompressedSize());
                long written = 0;
                try (InputStream in = zip.getInputStream(e); OutputStream os = Files.newOutputStream(target)) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        written += n;
                        total += n;
                        if (total > options.maxArchiveBytes()) {
                            throw new LimitExceededException(file + ": the archive expands to more than "
                                    + options.maxArchiveBytes() + " bytes, the limit (ReadOptions.maxArchiveBytes)");
                        }
                        if (written > RATIO_FLOOR && written / compressed > options.maxCompressionRatio()) {
                            throw new LimitExceededException(file + ": entry '" + e.getName() + "' expands more than "
                                    + options.maxCompressionRatio() + " times its compressed size of " + compressed
                                    + " bytes (ReadOptions.maxCompressionRatio; a zip bomb?)");
                        }
                        os.write(buf, 0, n);
                    }
                } catch (ZipException ze) {
                    throw new BadInputException(file, "entry '" + e.getName() + "' is corrupt (" + ze.getMessage() + ")");
                }
                out.add(new Extracted(name, target, written));
            }
            return out;
        }
    }

    private static ZipFile open(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            try {
                // Archives made on older Windows systems name their entries in code page 437.
                return new ZipFile(file.toFile(), Charset.forName("IBM437"));
            } catch (ZipException e2) {
                throw new BadInputException(file, "is not a readable ZIP archive (" + e.getMessage() + ")");
            }
        }
    }

    /** Refuses names that would land outside the extraction folder, whatever the platform. */
    private static void checkName(Path file, String name) {
        boolean absolute = name.startsWith("/") || (name.length() > 1 && name.charAt(1) == ':');
        boolean parent = false;
        for (String seg : name.split("/")) {
            parent |= seg.equals("..");
        }
        if (absolute || parent || name.indexOf('\0') >= 0) {
            throw new BadInputException(file, "entry '" + name + "' has " + (absolute ? "an absolute path" : parent
                    ? "a '..' segment" : "a NUL character") + " (path traversal); refused");
        }
    }

    private static boolean isJunk(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        String base = lower.substring(lower.lastIndexOf('/') + 1);
        return lower.startsWith("__macosx/") || lower.contains("/__macosx/") || base.startsWith("._")
                || base.equals(".ds_store") || base.equals("thumbs.db") || base.equals("desktop.ini");
    }

    private static String extension(String name) {
        String base = name.substring(name.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        int dot = base.lastIndexOf('.');
        return dot < 0 ? "" : base.substring(dot + 1);
    }

    private static Extracted choose(Path file, List<Extracted> files) {
        Map<String, List<Extracted>> byType = new LinkedHashMap<>();
        for (String t : MODEL_TYPES) {
            byType.put(t, new ArrayList<>());
        }
        for (Extracted e : files) {
            List<Extracted> l = byType.get(extension(e.name));
            if (l != null) {
                l.add(e);
            }
        }
        List<Extracted> best = Collections.emptyList();
        for (List<Extracted> l : byType.values()) {
            if (l.size() > best.size()) {
                best = l;
            }
        }
        if (best.isEmpty()) {
            List<String> names = files.stream().map(Extracted::name).limit(20).toList();
            throw new BadInputException(file, "holds no model file (glb, gltf, obj, fbx, ply, stl); its files are "
                    + names);
        }
        return best.stream().max(Comparator.comparingLong(Extracted::size)
                .thenComparing(Extracted::name, Comparator.reverseOrder())).orElseThrow();
    }

    private static Scene readModel(Path file, Path root, Extracted model, ReadOptions options) throws IOException {
        try {
            if (extension(model.name).equals("obj")) {
                return new ObjReader(root).read(model.path, options);
            }
            return Formats.read(model.path, options);
        } catch (BadInputException e) {
            throw new BadInputException(file, "model '" + model.name + "': " + inArchive(e.getMessage(), root, model), e);
        } catch (UnsupportedFeatureException e) {
            throw new UnsupportedFeatureException(file + ": model '" + model.name + "': " + e.getMessage());
        }
    }

    /** Rewrites the private folder's paths in a message as names inside the archive. */
    private static String inArchive(String message, Path root, Extracted model) {
        String m = message;
        String prefix = model.path + ": ";
        if (m.startsWith(prefix)) {
            m = m.substring(prefix.length());
        }
        return m.replace(root + "/", "");
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // Left for the system's temp cleaning; reading has finished either way.
                }
            });
        } catch (IOException e) {
            // as above
        }
    }
}
