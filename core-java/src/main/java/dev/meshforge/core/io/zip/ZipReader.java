// Reads the model inside a ZIP bundle: safe extraction into a private folder, then the model's own reader.
package dev.meshforge.core.io.zip;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.UnsupportedFeatureException;
import dev.meshforge.core.internal.TempFolders;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.io.SceneReader;
import dev.meshforge.core.scene.Scene;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A ZIP bundle of one model and its companions (MTL, .bin, textures). Every entry except platform junk
 * ({@code __MACOSX/}, {@code ._*}, {@code .DS_Store}, {@code Thumbs.db}, {@code desktop.ini}) and nested archives
 * (named in a warning) is extracted into a private temporary folder, which is deleted after reading, and the
 * model is read from there with that folder as its companion folder ({@link ReadOptions#companionFolder}).
 *
 * <p>Before anything is written, the central directory ({@link ZipDirectory}) must lie inside the file, with no
 * entry's data outside it or overlapping another's, and the archive is refused for: more entries than {@link
 * ReadOptions#maxArchiveEntries}; an entry named with an absolute path, a drive letter, a {@code ..} segment or a
 * NUL, named twice, or that is a symbolic link; declared sizes adding up to more than {@link
 * ReadOptions#maxArchiveBytes}; an entry past 1 MiB declaring more than {@link ReadOptions#maxCompressionRatio}
 * times its compressed size. While inflating, the same two limits are measured on the bytes really produced, and
 * an entry that produces more than its header declares is refused at once, so a lying header costs at most one
 * buffer.
 *
 * <p>Which model: files with the extensions glb, gltf, obj, fbx, ply, stl are models. The type with the most
 * files wins (ties: glb, gltf, fbx, obj, ply, stl in that order); of that type the largest file is read, and the
 * others are named in a warning. Warnings and errors name the archive and the entry ({@code bundle.zip!/a/b.obj}),
 * never the private folder.
 */
public final class ZipReader implements SceneReader {
    private static final List<String> MODEL_TYPES = List.of("glb", "gltf", "fbx", "obj", "ply", "stl");
    private static final List<String> ARCHIVE_TYPES = List.of("zip", "7z", "rar", "tar", "gz", "tgz", "bz2", "xz",
            "zst");
    private static final long RATIO_FLOOR = 1L << 20;

    private final SceneReader inner;

    /**
     * @param inner reads the model file chosen from the archive, with the options it is given (whose companion
     *              folder is the extraction folder); {@code Formats} passes its own {@code read}
     */
    public ZipReader(SceneReader inner) {
        this.inner = inner;
    }

    @Override
    public Scene read(Path file, ReadOptions options) throws IOException {
        // The real path, so that companion paths resolved inside it compare equal whatever links lead to /tmp.
        Path root = Files.createTempDirectory("meshforge-zip-").toRealPath();
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
            }
            List<String> warnings = new ArrayList<>();
            List<Extracted> files = extract(file, root, options, warnings);
            Extracted model = choose(file, files);
            Scene scene = readModel(file, root, model, options);
            String shown = file.toString();
            String rootPrefix = root + "/";
            scene.rewriteWarnings(w -> w.replace(rootPrefix, shown + "!/").replace(root.toString(), shown));
            warnings.forEach(scene::warn);
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
            TempFolders.deleteQuietly(root);
        }
    }

    /** An extracted entry: its name in the archive and where it now lies. */
    private record Extracted(String name, Path path, long size) {
    }

    private static List<Extracted> extract(Path file, Path root, ReadOptions options, List<String> warnings)
            throws IOException {
        try (Opened opened = open(file, options)) {
            ZipFile zip = opened.zip;
            List<ZipDirectory.Entry> listed = opened.entries;
            if (zip.size() != listed.size()) {
                throw new BadInputException(file, "its central directory lists " + listed.size() + " entries but "
                        + "reads as " + zip.size() + "; the archive is damaged");
            }
            Map<String, ZipDirectory.Entry> byName = new LinkedHashMap<>();
            long declared = 0;
            for (ZipDirectory.Entry d : listed) {
                String name = d.name().replace('\\', '/');
                checkName(file, name);
                if (byName.put(name, d) != null) {
                    throw new BadInputException(file, "names entry '" + name + "' twice; refused, since which one "
                            + "is read would be a guess");
                }
                if (d.link()) {
                    throw new BadInputException(file, "entry '" + name + "' is a symbolic link; archives with links "
                            + "are refused");
                }
                declared += d.size();
                if (declared > options.maxArchiveBytes()) {
                    throw new LimitExceededException(file + ": the archive declares more than "
                            + options.maxArchiveBytes() + " bytes once expanded, the limit "
                            + "(ReadOptions.maxArchiveBytes)");
                }
                if (d.size() > RATIO_FLOOR && d.size() / Math.max(1, d.compressedSize()) > options.maxCompressionRatio()) {
                    throw new LimitExceededException(file + ": entry '" + name + "' declares " + d.size() + " bytes "
                            + "from " + d.compressedSize() + " compressed, more than " + options.maxCompressionRatio()
                            + " times (ReadOptions.maxCompressionRatio; a zip bomb?)");
                }
            }
            List<Extracted> out = new ArrayList<>();
            long total = 0;
            byte[] buf = new byte[1 << 16];
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName().replace('\\', '/');
                ZipDirectory.Entry d = byName.get(name);
                if (d == null) {
                    throw new BadInputException(file, "entry '" + name + "' is not in its central directory; the "
                            + "archive is damaged");
                }
                if (e.isDirectory() || isJunk(name)) {
                    continue;
                }
                if (ARCHIVE_TYPES.contains(extension(name))) {
                    warnings.add(file + "!/" + name + ": an archive inside the archive; not extracted (nested "
                            + "archives are not read)");
                    continue;
                }
                Path target = root.resolve(name).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    throw new BadInputException(file, "entry '" + e.getName() + "' would be extracted outside the "
                            + "archive's folder (path traversal); refused");
                }
                Files.createDirectories(target.getParent());
                long compressed = Math.max(1, d.compressedSize());
                long written = 0;
                boolean nested = false;
                try (InputStream in = zip.getInputStream(e);
                     OutputStream os = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        if (written == 0 && n >= 4 && buf[0] == 'P' && buf[1] == 'K' && buf[2] == 3 && buf[3] == 4) {
                            nested = true;
                            break;
                        }
                        written += n;
                        total += n;
                        if (written > d.size()) {
                            throw new BadInputException(file, "entry '" + name + "' expands past the " + d.size()
                                    + " bytes its header declares; refused");
                        }
                        if (total > options.maxArchiveBytes()) {
                            throw new LimitExceededException(file + ": the archive expands to more than "
                                    + options.maxArchiveBytes() + " bytes, the limit (ReadOptions.maxArchiveBytes)");
                        }
                        if (written > RATIO_FLOOR && written / compressed > options.maxCompressionRatio()) {
                            throw new LimitExceededException(file + ": entry '" + name + "' expands more than "
                                    + options.maxCompressionRatio() + " times its compressed size of " + compressed
                                    + " bytes (ReadOptions.maxCompressionRatio; a zip bomb?)");
                        }
                        os.write(buf, 0, n);
                    }
                } catch (ZipException ze) {
                    throw new BadInputException(file, "entry '" + name + "' is corrupt (" + ze.getMessage() + ")");
                }
                if (nested) {
                    Files.delete(target);
                    warnings.add(file + "!/" + name + ": a ZIP archive inside the archive; not extracted (nested "
                            + "archives are not read)");
                    continue;
                }
                out.add(new Extracted(name, target, written));
            }
            return out;
        }
    }

    /** The archive open twice: its own directory reading, and the JDK's for inflating. */
    private record Opened(ZipFile zip, List<ZipDirectory.Entry> entries) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    private static Opened open(Path file, ReadOptions options) throws IOException {
        ZipFile zip;
        Charset charset = StandardCharsets.UTF_8;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            try {
                // Archives made on older Windows systems name their entries in code page 437.
                charset = Charset.forName("IBM437");
                zip = new ZipFile(file.toFile(), charset);
            } catch (ZipException e2) {
                long size = Files.size(file);
                throw new BadInputException(file, "byte " + size + ": is not a readable ZIP archive ("
                        + e.getMessage() + "; the central directory is read from the file's end, at byte " + size + ")");
            }
        }
        try {
            // Names are decoded as the JDK decoded them, so the two listings can be matched by name.
            return new Opened(zip, ZipDirectory.read(file, charset, options.maxArchiveEntries()));
        } catch (RuntimeException | IOException e) {
            zip.close();
            throw e;
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

    private Scene readModel(Path file, Path root, Extracted model, ReadOptions options) throws IOException {
        try {
            return inner.read(model.path, options.withCompanionFolder(root));
        } catch (BadInputException e) {
            throw new BadInputException(file, "model '" + model.name + "': " + inArchive(e.getMessage(), root, model), e);
        } catch (UnsupportedFeatureException e) {
            throw new UnsupportedFeatureException(file + ": model '" + model.name + "': "
                    + inArchive(e.getMessage(), root, model));
        } catch (LimitExceededException e) {
            throw new LimitExceededException(file + ": model '" + model.name + "': "
                    + inArchive(e.getMessage(), root, model));
        }
    }

    /** Rewrites the private folder's paths in a message as names inside the archive. */
    private static String inArchive(String message, Path root, Extracted model) {
        String m = message;
        String prefix = model.path + ": ";
        if (m.startsWith(prefix)) {
            m = m.substring(prefix.length());
        }
        return m.replace(root + "/", "").replace(root.toString(), ".");
    }
}
