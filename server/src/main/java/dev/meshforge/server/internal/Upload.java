// A model arriving with a request: its client-given name made safe, its bytes in a file or in memory, its hash.
package dev.meshforge.server.internal;

import dev.meshforge.core.io.Format;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The name a client gives is only a hint: its last path segment, letters, digits, dot, dash and underscore, no leading
 * dot, at most 100 characters; its extension must be one of the readable formats. The bytes are counted as they are
 * copied, so a body without a length cannot exceed the limit either, and checked against the declared format where
 * the format has a signature. {@code sha256} is null where the receiver did not ask for it. The bytes are in
 * {@code file}, or, for a model that arrived whole in memory, the first {@code bytes} of {@code content} ({@code file}
 * null), which the store then writes once where it keeps it.
 */
public record Upload(String name, Path file, byte[] content, long bytes, String sha256) {
    private static final Set<String> READABLE = Set.of("stl", "glb", "gltf", "obj", "ply", "fbx", "zip");

    /** The safe form of a client's file name, or a 400 where nothing readable is left. */
    public static String sanitize(String clientName) {
        if (clientName == null || clientName.isBlank()) {
            throw ApiProblem.badRequest("missing_file_name", "the model needs a file name with its format's "
                    + "extension (" + String.join(", ", READABLE.stream().sorted().toList()) + ")")
                    .with("field", "file_name");
        }
        String last = clientName.replace('\\', '/');
        last = last.substring(last.lastIndexOf('/') + 1);
        StringBuilder sb = new StringBuilder();
        for (char ch : last.toCharArray()) {
            sb.append(Character.isLetterOrDigit(ch) && ch < 128 || ch == '.' || ch == '-' || ch == '_' ? ch : '_');
        }
        String safe = sb.toString().replaceAll("\\.{2,}", ".").replaceAll("^[._]+", "");
        if (safe.length() > 100) {
            safe = safe.substring(safe.length() - 100);
        }
        int dot = safe.lastIndexOf('.');
        String ext = dot < 0 ? "" : safe.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (!READABLE.contains(ext)) {
            throw ApiProblem.badRequest("unsupported_format", "the file name '" + last + "' does not end in the "
                    + "extension of a format this server reads (" + String.join(", ", READABLE.stream().sorted()
                    .toList()) + ")").with("field", "file_name");
        }
        if (dot == 0) {
            safe = "model" + safe;
        }
        return safe.substring(0, safe.lastIndexOf('.') + 1) + ext;
    }

    /**
     * Copies at most {@code limit} bytes of {@code in} to a new file in {@code dir}; 413 past the limit. With
     * {@code digest} the upload's SHA-256 is computed on the way (an Idempotency-Key compares requests by it);
     * without, {@link #sha256} is null.
     */
    public static Upload receive(String name, InputStream in, long limit, Path dir, boolean digest)
            throws IOException {
        MessageDigest sha = digest ? Secrets.digest() : null;
        Path file = spool(digest ? new DigestInputStream(in, sha) : in, limit, dir);
        return checkedFile(new Upload(name, file, null, Files.size(file), digest ? Secrets.hex(sha.digest())
                : null));
    }

    /**
     * Copies at most {@code limit} bytes of {@code in} (closed here) to a new file in {@code dir} and returns it; 413
     * past the limit, and no file left behind.
     */
    public static Path spool(InputStream in, long limit, Path dir) throws IOException {
        Path file = freshFile(dir);
        long total = 0;
        try (in; OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > limit) {
                    throw tooLarge(limit);
                }
                out.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    /**
     * A name for a new file in {@code dir} (made if missing), not yet created: a file made first and then written
     * (opened again with truncation, or replaced by a move) is one that ext4 writes out to the disk when it is
     * closed or replaced (its guard for programs that replace a file's contents), a cost on the request's thread for
     * every upload; a file created by its writer is not.
     */
    static Path freshFile(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        return dir.resolve("upload-" + Database.newId("") + ".part");
    }

    /** Where a multipart parser puts a part's bytes: moved there when it holds them in a file, written otherwise. */
    @FunctionalInterface
    public interface Part {
        void writeTo(Path target) throws IOException;
    }

    /**
     * A model the request's multipart parser has already received and bounded by the limit: its bytes are moved into
     * a new file in {@code dir} (not copied again), then counted, checked and, with {@code digest}, hashed; 413 past
     * the limit.
     */
    public static Upload adopt(String name, Part part, long limit, Path dir, boolean digest) throws IOException {
        Path file = freshFile(dir);
        try {
            part.writeTo(file);
            long bytes = Files.size(file);
            if (bytes > limit) {
                throw tooLarge(limit);
            }
            String hash = null;
            if (digest) {
                MessageDigest sha = Secrets.digest();
                try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
                hash = Secrets.hex(sha.digest());
            }
            return checkedFile(new Upload(name, file, null, bytes, hash));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** {@code u} once its file's first bytes match its declared format; its file is deleted where they do not. */
    private static Upload checkedFile(Upload u) throws IOException {
        try {
            byte[] head = new byte[HEAD];
            int n;
            try (InputStream again = Files.newInputStream(u.file())) {
                n = again.readNBytes(head, 0, head.length);
            }
            u.checkContent(head, n);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(u.file());
            throw e;
        }
        return u;
    }

    /**
     * A model that arrived whole in memory (base64 in a JSON body, or the model part of a multipart body held in
     * memory), the first {@code length} bytes of {@code bytes}: checked from the bytes themselves and kept in memory
     * until the store writes it; 413 past the limit.
     */
    public static Upload held(String name, byte[] bytes, int length, long limit, boolean digest) {
        if (length > limit) {
            throw tooLarge(limit);
        }
        Upload checked = new Upload(name, null, bytes, length, digest ? Secrets.sha256Hex(bytes, length) : null);
        checked.checkContent(bytes, Math.min(HEAD, length));
        return checked;
    }

    /** How much of a model's start the content check looks at. */
    private static final int HEAD = 512;

    public static ApiProblem tooLarge(long limit) {
        return new ApiProblem(413, "file_too_large", "Content too large", "the model is larger than this server's "
                + "limit of " + limit + " bytes");
    }

    /** A body that is not the format its name declares is refused now, not after the client has paid. */
    private void checkContent(byte[] head, int n) {
        if (bytes == 0) {
            throw ApiProblem.badRequest("empty_model", "the model file is empty").with("field", "model");
        }
        String ext = name.substring(name.lastIndexOf('.') + 1);
        Optional<Format> sniffed = Format.sniff(head, n);
        String declared = ext.toUpperCase(Locale.ROOT);
        boolean ok = switch (ext) {
            case "glb", "zip", "ply" -> sniffed.map(f -> f.name().equals(declared)).orElse(false);
            case "fbx" -> sniffed.isEmpty() || sniffed.get() == Format.FBX;
            case "gltf" -> new String(head, 0, n, StandardCharsets.ISO_8859_1).stripLeading().startsWith("{");
            // OBJ and ASCII STL are text; a binary STL may hold anything after its 80-byte header.
            case "obj" -> sniffed.isEmpty() && !binary(head, n);
            default -> sniffed.isEmpty();
        };
        if (!ok) {
            throw ApiProblem.badRequest("format_mismatch", "the content of '" + name + "' is not " + ext
                    + (sniffed.isPresent() ? " (it looks like " + sniffed.get().name().toLowerCase(Locale.ROOT) + ")"
                    : "")).with("field", "model");
        }
    }

    private static boolean binary(byte[] head, int n) {
        for (int i = 0; i < n; i++) {
            if (head[i] == 0) {
                return true;
            }
        }
        return false;
    }
}
