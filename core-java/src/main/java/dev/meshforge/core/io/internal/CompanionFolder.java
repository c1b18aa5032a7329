// The one gate every companion file (MTL, texture, buffer) passes: only plain files inside the model's folder.
package dev.meshforge.core.io.internal;

import dev.meshforge.core.io.ReadOptions;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Resolves the paths a model names for its companions against the model's folder ({@link
 * ReadOptions#companionFolderOf}). A path is never opened when it is a URL, names a device, is absolute, leaves
 * the folder (after {@code ..} segments are resolved), or reaches its file through a symbolic link anywhere below
 * the folder; nor when the file is not a regular file. The reason comes back as the end of a sentence, for the
 * caller's warning, because a converted model must never carry a file of the reading machine back to its sender.
 */
public final class CompanionFolder {
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*", Pattern.DOTALL);
    private static final Pattern WINDOWS_DEVICE = Pattern.compile("(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9]|conin\\$|"
            + "conout\\$)(\\..*)?");

    private final Path root;

    /** The companion folder of {@code model} under {@code options}. */
    public CompanionFolder(Path model, ReadOptions options) {
        this.root = options.companionFolderOf(model);
    }

    /** The folder companions must lie in, absolute and normalised. */
    public Path root() {
        return root;
    }

    /**
     * What a lookup found: the file (null when none), or why the path as written was refused (null when it was
     * merely absent). Both null: nothing by that name.
     */
    public record Found(Path file, String refusal) {
        static final Found NONE = new Found(null, null);

        /** "was not found" or "was not opened: REASON", to end a warning that names the path. */
        public String failure() {
            return refusal == null ? "was not found" : "was not opened: " + refusal;
        }
    }

    /** The file {@code written} names relative to {@code base} (a folder inside the root), exactly as written. */
    public Found exact(Path base, String written) {
        return candidate(base, written, false);
    }

    /**
     * The file {@code written} names, tolerating what exporters do: Windows separators, a leading {@code ./},
     * other letter case, and paths of another machine, for which the bare file name is looked up beside {@code
     * base}. A refused path is not opened, but its bare name beside {@code base} still may be.
     */
    public Found find(Path base, String written) {
        String rel = written.replace('\\', '/').strip();
        while (rel.startsWith("./")) {
            rel = rel.substring(2);
        }
        Found asWritten = candidate(base, rel, true);
        if (asWritten.file() != null) {
            return asWritten;
        }
        String bare = rel.substring(rel.lastIndexOf('/') + 1);
        if (!bare.isEmpty() && !bare.equals(rel) && !bare.equals("..") && !bare.equals(".")) {
            Found beside = candidate(base, bare, true);
            if (beside.file() != null) {
                return beside;
            }
            if (asWritten.refusal() == null && beside.refusal() != null) {
                return beside;
            }
        }
        return asWritten;
    }

    /** The bytes of a file this folder found, read without following a link swapped in since. */
    public static byte[] read(Path found) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(found, java.util.Set.of(StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS))) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 16) {
                throw new IOException("is larger than 2 GiB");
            }
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) size);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // reads until full or the file ends (it may have shrunk since)
            }
            return buf.position() == buf.capacity() ? buf.array() : java.util.Arrays.copyOf(buf.array(), buf.position());
        }
    }

    private Found candidate(Path base, String written, boolean ignoringCase) {
        String rel = written.replace('\\', '/');
        if (rel.isEmpty()) {
            return Found.NONE;
        }
        if (rel.indexOf('\0') >= 0) {
            return new Found(null, "it holds a NUL character");
        }
        String bare = rel.substring(rel.lastIndexOf('/') + 1);
        if (rel.startsWith("//./") || rel.startsWith("//?/") || rel.startsWith("/dev/") || rel.startsWith("/proc/")
                || rel.startsWith("/sys/") || WINDOWS_DEVICE.matcher(bare).matches()) {
            return new Found(null, "it names a device");
        }
        if (URL.matcher(rel).matches()) {
            return new Found(null, "it is a URL; only files in the model's folder are read");
        }
        if (rel.startsWith("/") || (rel.length() > 1 && rel.charAt(1) == ':')) {
            return new Found(null, "it is an absolute path; only files in the model's folder are read");
        }
        Path target;
        try {
            target = base.toAbsolutePath().resolve(rel).normalize();
        } catch (InvalidPathException e) {
            return new Found(null, "it is not a valid path here");
        }
        if (!target.startsWith(root) || target.equals(root)) {
            return new Found(null, "it leaves the model's folder");
        }
        Path existing = Files.exists(target, NO_FOLLOW) ? target : ignoringCase ? ignoringCase(target) : null;
        if (existing == null) {
            return Found.NONE;
        }
        for (Path p = existing; p != null && !p.equals(root) && p.startsWith(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                return new Found(null, "it is reached through a symbolic link ('" + root.relativize(p) + "')");
            }
        }
        if (!Files.isRegularFile(existing, NO_FOLLOW)) {
            return new Found(null, "it is not a regular file");
        }
        return new Found(existing, null);
    }

    /** The existing path inside the root equal to {@code target} ignoring the case of each name below the root. */
    private Path ignoringCase(Path target) {
        Path at = root;
        for (Path name : root.relativize(target)) {
            Path exact = at.resolve(name);
            if (Files.exists(exact, NO_FOLLOW)) {
                at = exact;
                continue;
            }
            if (!Files.isDirectory(at, NO_FOLLOW)) {
                return null;
            }
            Path match = null;
            String want = name.toString().toLowerCase(Locale.ROOT);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(at)) {
                for (Path q : ds) {
                    if (q.getFileName().toString().toLowerCase(Locale.ROOT).equals(want)) {
                        match = q;
                        break;
                    }
                }
            } catch (IOException e) {
                return null;
            }
            if (match == null) {
                return null;
            }
            at = match;
        }
        return at;
    }
}
