// A parsed glTF or GLB file: its JSON, and its buffers and buffer views resolved lazily and bounds-checked.
package dev.meshforge.core.io.gltf;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.io.internal.CompanionFolder;
import dev.meshforge.core.io.internal.SceneFill;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URLDecoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Locale;

/**
 * The JSON of a glTF asset plus its binary data. GLB files are memory-mapped; external buffers are mapped when
 * first used; data URIs are decoded. Every byte range is checked against what the file really holds before it
 * is handed out, so later reads cannot go out of bounds.
 */
final class GltfDocument {
    static final int GLB_MAGIC = 0x46546C67;
    static final int CHUNK_JSON = 0x4E4F534A;
    static final int CHUNK_BIN = 0x004E4942;

    // A string (a data URI holding a whole buffer) is bounded by the JSON text, which the file size limit and the
    // 2 GiB check bound; Jackson's default cap of 20 MB refused glTF files whose buffers are embedded.
    private static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE).build())
            .build());

    final Path file;
    final GltfJson json;
    final JsonNode root;
    private final Arena arena;
    private final MemorySegment glbBin;
    private final JsonNode buffersJson;
    private final JsonNode viewsJson;
    private final MemorySegment[] buffers;
    private final MemorySegment[] views;
    private MeshoptViews meshopt;
    private final CompanionFolder companions;
    /** The data URIs left out of the JSON tree, decoded from the mapped text when used. */
    private final EmbeddedData embedded;
    private final long maxDecodedBytes;
    /** Bytes meshopt views have decoded to so far. */
    private long decodedBytes;

    private GltfDocument(Path file, Parsed parsed, MemorySegment glbBin, Arena arena, ReadOptions options) {
        this.file = file;
        this.embedded = parsed.embedded();
        JsonNode root = parsed.root();
        this.maxDecodedBytes = options.maxDecodedBytes();
        this.companions = new CompanionFolder(file, options);
        this.json = new GltfJson(file);
        this.root = root;
        this.glbBin = glbBin;
        this.arena = arena;
        if (!root.isObject()) {
            throw json.bad("", "the glTF JSON must be an object at the top level");
        }
        this.buffersJson = json.array(root, "buffers", "");
        this.viewsJson = json.array(root, "bufferViews", "");
        this.buffers = new MemorySegment[buffersJson.size()];
        this.views = new MemorySegment[viewsJson.size()];
    }

    /** Opens a .gltf or .glb file; {@code arena} owns the mappings and must outlive the document. */
    static GltfDocument open(Path file, Arena arena, ReadOptions options) throws IOException {
        MemorySegment data;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() == 0) {
                throw new BadInputException(file, "is empty (0 bytes), not a glTF file");
            }
            data = SceneFill.mapped(ch, arena);
        }
        if (data.byteSize() >= 4 && data.get(ValueLayout.JAVA_INT_UNALIGNED, 0) == GLB_MAGIC) {
            return openGlb(file, data, arena, options);
        }
        return new GltfDocument(file, parse(file, data, "the glTF JSON"), null, arena, options);
    }

    private static GltfDocument openGlb(Path file, MemorySegment data, Arena arena, ReadOptions options) {
        ValueLayout.OfInt le = ValueLayout.JAVA_INT_UNALIGNED;
        long size = data.byteSize();
        if (size < 20) {
            throw new BadInputException(file, "is " + size + " bytes, too short for a GLB (12-byte header and a "
                    + "JSON chunk)");
        }
        int version = data.get(le, 4);
        if (version != 2) {
            throw new BadInputException(file, "byte 4: is GLB version " + version + "; only glTF 2.0 (GLB version 2) is "
                    + "supported");
        }
        long declared = Integer.toUnsignedLong(data.get(le, 8));
        if (declared > size) {
            throw new BadInputException(file, "byte 8: the GLB header declares " + declared + " bytes but the file "
                    + "has only " + size + " (truncated?)");
        }
        long at = 12;
        Parsed root = null;
        MemorySegment bin = null;
        int chunk = 0;
        while (at + 8 <= declared) {
            long length = Integer.toUnsignedLong(data.get(le, at));
            int type = data.get(le, at + 4);
            if (at + 8 + length > declared) {
                throw new BadInputException(file, "GLB chunk " + chunk + " at byte " + at + " declares " + length
                        + " bytes, past the end of the file (" + declared + " bytes)");
            }
            MemorySegment body = data.asSlice(at + 8, length);
            if (chunk == 0) {
                if (type != CHUNK_JSON) {
                    throw new BadInputException(file, "byte " + (at + 4) + ": the first GLB chunk must be JSON but "
                            + "has type 0x" + Integer.toHexString(type));
                }
                root = parse(file, body, "the GLB JSON chunk");
            } else if (chunk == 1 && type == CHUNK_BIN) {
                bin = body;
            }
            at += 8 + ((length + 3) & ~3L);
            chunk++;
        }
        if (root == null) {
            throw new BadInputException(file, "byte 12: the GLB has no JSON chunk");
        }
        return new GltfDocument(file, root, bin, arena, options);
    }

    /** The JSON tree and the data URIs left out of it. */
    private record Parsed(JsonNode root, EmbeddedData embedded) {
    }

    /** Parses the JSON text in place (never copied onto the heap whole), its large data URIs left out. */
    private static Parsed parse(Path file, MemorySegment bytes, String what) {
        if (bytes.byteSize() > Integer.MAX_VALUE - 16) {
            throw new BadInputException(file, what + " is " + bytes.byteSize() + " bytes, more than 2 GiB");
        }
        EmbeddedData embedded = EmbeddedData.scan(bytes);
        try (JsonParser parser = embedded.parser(MAPPER.createParser(embedded.text()))) {
            JsonNode n = MAPPER.readTree(parser);
            if (n == null || n.isMissingNode()) {
                throw new BadInputException(file, what + " is empty");
            }
            return new Parsed(n, embedded);
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            // Jackson's own guard against deep nesting, named in its terms; the user gets the file's.
            throw new BadInputException(file, what + " nests arrays and objects deeper than "
                    + com.fasterxml.jackson.core.StreamReadConstraints.defaults().getMaxNestingDepth()
                    + " levels, or passes another limit of the JSON parser (" + e.getOriginalMessage() + ")");
        } catch (JacksonException e) {
            JsonLocation loc = e.getLocation();
            String place = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new BadInputException(file, what + " is not valid JSON" + place + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInputException(file, what + " could not be parsed: " + e.getMessage(), e);
        }
    }

    boolean isGlb() {
        return glbBin != null || file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".glb");
    }

    int bufferCount() {
        return buffers.length;
    }

    int viewCount() {
        return views.length;
    }

    /**
     * Refuses bytes the file would make from far fewer of its own (meshopt views; accessors without a buffer view,
     * which are zeros) once they pass {@link ReadOptions#maxDecodedBytes}, before they are allocated. {@code
     * cumulative}: the bytes stay allocated and count against later ones.
     */
    void chargeDecoded(long bytes, boolean cumulative, String where) {
        long total = cumulative ? decodedBytes + bytes : bytes;
        if (bytes < 0 || total > maxDecodedBytes) {
            throw new LimitExceededException(file + ": " + where + (cumulative ? " would take the decoded data past "
                    : " would make " + bytes + " bytes, more than ") + maxDecodedBytes
                    + " bytes, the limit (ReadOptions.maxDecodedBytes)");
        }
        if (cumulative) {
            decodedBytes = total;
        }
    }

    /** Buffer {@code i}'s bytes, exactly its declared byteLength. */
    MemorySegment buffer(int i) {
        if (buffers[i] != null) {
            return buffers[i];
        }
        String where = "buffers[" + i + "]";
        JsonNode b = json.element(buffersJson, i, where);
        long length = json.required(b, "byteLength", where);
        if (length < 1) {
            throw json.bad(where, "byteLength is " + length + " but must be at least 1");
        }
        String uri = json.string(b, "uri", null, where);
        MemorySegment data;
        if (uri == null) {
            if (i != 0 || glbBin == null) {
                boolean fallback = json.object(json.object(b, "extensions", where), "EXT_meshopt_compression", where)
                        .path("fallback").asBoolean(false);
                throw json.bad(where, fallback ? "is a meshopt fallback buffer without data, but a buffer view "
                        + "that is not meshopt-compressed uses it"
                        : "has no uri" + (isGlb() ? " and the GLB has no BIN chunk" : "; only the first buffer of a "
                        + "GLB may omit it"));
            }
            data = glbBin;
        } else if (uri.startsWith("data:")) {
            data = dataUri(uri, where);
        } else {
            data = mapExternal(uri, where, "buffer");
        }
        if (data.byteSize() < length) {
            throw json.bad(where, "declares byteLength " + length + " but " + (uri == null ? "the BIN chunk"
                    : uri.startsWith("data:") ? "its data URI" : "'" + uri + "'") + " holds only " + data.byteSize()
                    + " bytes");
        }
        buffers[i] = data.asSlice(0, length);
        return buffers[i];
    }

    /** Bytes of an external file named by a relative URI, which must be a plain file in the model's folder. */
    MemorySegment mapExternal(String uri, String where, String what) {
        CompanionFolder.Found found = companion(uri);
        if (found.file() == null) {
            throw json.bad(where, "the " + what + " file '" + uri + "' " + (found.refusal() == null
                    ? "is missing (looked for " + dir().resolve(decoded(uri)).normalize() + ")" : found.failure()));
        }
        try (FileChannel ch = FileChannel.open(found.file(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return ch.size() == 0 ? MemorySegment.ofArray(new byte[0])
                    : SceneFill.mapped(ch, arena);
        } catch (NoSuchFileException e) {
            throw json.bad(where, "the " + what + " file '" + uri + "' is missing (looked for " + found.file() + ")");
        } catch (IOException e) {
            throw json.bad(where, "the " + what + " file '" + uri + "' cannot be read: " + e.getMessage());
        }
    }

    /** The file a (percent-encoded, relative) URI names inside the model's folder, or why it is not opened. */
    CompanionFolder.Found companion(String uri) {
        return companions.exact(dir(), decoded(uri));
    }

    private Path dir() {
        return file.toAbsolutePath().normalize().getParent();
    }

    private static String decoded(String uri) {
        try {
            return URLDecoder.decode(uri.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return uri;
        }
    }

    /** The bytes of a data URI: one left out of the JSON tree is decoded into native memory of the read. */
    MemorySegment dataUri(String uri, String where) {
        int k = embedded.payloadOf(uri);
        if (k < 0) {
            return MemorySegment.ofArray(decodeDataUri(uri, where));
        }
        try {
            return embedded.decode(k, arena);
        } catch (IllegalArgumentException e) {
            throw json.bad(where, "the data URI is not valid base64: " + e.getMessage());
        }
    }

    byte[] decodeDataUri(String uri, String where) {
        if (embedded.payloadOf(uri) >= 0) {
            return dataUri(uri, where).toArray(ValueLayout.JAVA_BYTE);
        }
        int comma = uri.indexOf(',');
        if (comma < 0) {
            throw json.bad(where, "the data URI has no ',' before its data");
        }
        String header = uri.substring(5, comma);
        String payload = uri.substring(comma + 1);
        if (header.endsWith(";base64")) {
            try {
                return Base64.getMimeDecoder().decode(payload);
            } catch (IllegalArgumentException e) {
                throw json.bad(where, "the data URI is not valid base64: " + e.getMessage());
            }
        }
        return URLDecoder.decode(payload, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The MIME type of a data URI, or null. */
    static String dataUriMime(String uri) {
        int end = uri.indexOf(';');
        int comma = uri.indexOf(',');
        if (end < 0 || (comma >= 0 && comma < end)) {
            end = comma;
        }
        return end > 5 ? uri.substring(5, end) : null;
    }

    JsonNode view(int i) {
        return json.element(viewsJson, i, "bufferViews[" + i + "]");
    }

    /** The declared byteStride of view {@code i}, or 0. */
    int viewStride(int i) {
        String where = "bufferViews[" + i + "]";
        JsonNode v = view(i);
        JsonNode mo = meshoptExtension(v, where);
        long stride = json.integer(v, "byteStride", 0, where);
        if (mo != null && stride == 0) {
            return 0;
        }
        if (stride != 0 && (stride < 4 || stride > 252 || stride % 4 != 0)) {
            throw json.bad(where, "byteStride is " + stride + " but must be a multiple of 4 in 4..252");
        }
        return (int) stride;
    }

    private JsonNode meshoptExtension(JsonNode view, String where) {
        JsonNode ext = json.object(view, "extensions", where);
        JsonNode mo = ext.get("EXT_meshopt_compression");
        if (mo == null) {
            mo = ext.get("KHR_meshopt_compression");
        }
        if (mo != null && !mo.isObject()) {
            throw json.bad(where, "EXT_meshopt_compression must be an object");
        }
        return mo;
    }

    /** The bytes of buffer view {@code i}, exactly its byteLength, decompressed where it is meshopt-compressed. */
    MemorySegment viewBytes(int i) {
        if (views[i] != null) {
            return views[i];
        }
        String where = "bufferViews[" + i + "]";
        JsonNode v = view(i);
        JsonNode mo = meshoptExtension(v, where);
        if (mo != null) {
            if (meshopt == null) {
                meshopt = new MeshoptViews(this);
            }
            views[i] = meshopt.decode(mo, json.required(v, "byteLength", where), where);
            return views[i];
        }
        int b = json.checkIndex(json.required(v, "buffer", where), buffers.length, "buffer", where + ".buffer");
        views[i] = slice(buffer(b), json.nonNegative(v, "byteOffset", 0, where),
                json.required(v, "byteLength", where), where, "buffers[" + b + "]");
        return views[i];
    }

    /** A checked slice [offset, offset+length) of {@code data}. */
    MemorySegment slice(MemorySegment data, long offset, long length, String where, String of) {
        if (length < 0 || offset < 0 || offset > data.byteSize() || length > data.byteSize() - offset) {
            throw json.bad(where, "the range of " + length + " bytes at offset " + offset + " runs past the end of "
                    + of + " (" + data.byteSize() + " bytes)");
        }
        return data.asSlice(offset, length);
    }

    Arena arena() {
        return arena;
    }
}
