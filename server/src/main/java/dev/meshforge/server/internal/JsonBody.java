// A task-creating JSON body, read in one pass over its bytes.
package dev.meshforge.server.internal;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The members of a task-creating JSON body. The model's base64 text is most of the body; it is not copied into a
 * string: the parser skips it, and it is decoded straight from the body's bytes. Base64's alphabet needs no JSON
 * escape, but a sender may escape its slashes ({@code \/}) or wrap its lines ({@code \n}); such a text fails the
 * direct decoding and is then read as a JSON string and decoded as before (line breaks allowed, anything else outside
 * the alphabet refused).
 */
final class JsonBody implements AutoCloseable {
    static final String MODEL = "model_base64";
    /** Reads one member's value as a tree; the parser goes on to the next member (no trailing-token check). */
    private static final ObjectReader MEMBER = Json.MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final byte[] raw;
    /** The body's length in {@link #raw} (which may be longer: an array kept from an earlier body). */
    private final int length;
    private final Map<String, JsonNode> members = new LinkedHashMap<>();
    /** The model's text in {@link #raw}, between its quotes; -1 when the model is not a string member. */
    private int modelStart = -1;
    private int modelEnd = -1;
    /** A body parsed from a file: the model decoded into this file as it was read; null otherwise. */
    private Path modelFile;

    private JsonBody(byte[] raw, int length) {
        this.raw = raw;
        this.length = length;
    }

    /**
     * Parses a body, the first {@code length} bytes of {@code raw}; a body that is not one JSON object is a 400
     * {@code invalid_json}.
     */
    static JsonBody parse(byte[] raw, int length) {
        JsonBody body = new JsonBody(raw, length);
        try (JsonParser p = Json.MAPPER.createParser(raw, 0, length)) {
            JsonToken t;
            startObject(p);
            boolean modelPending = false;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                if (modelPending) {
                    body.modelEnd = body.closingQuote(p.currentTokenLocation().getByteOffset());
                    modelPending = false;
                }
                String name = p.currentName();
                JsonToken value = p.nextToken();
                long at = p.currentTokenLocation().getByteOffset();
                if (name.equals(MODEL) && value == JsonToken.VALUE_STRING && at >= 0 && at < length
                        && raw[(int) at] == '"') {
                    // Skipped by the next token; its end is found from that token's start.
                    body.modelStart = (int) at + 1;
                    modelPending = true;
                } else {
                    body.members.put(name, MEMBER.readTree(p));
                }
            }
            if (modelPending) {
                body.modelEnd = body.closingQuote(p.currentTokenLocation().getByteOffset());
            }
            if (p.nextToken() != null) {
                throw ApiProblem.badRequest("invalid_json", "the body is not valid JSON: there is more after "
                        + "its object");
            }
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("invalid_json", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return body;
    }

    /**
     * A body received into a file (too large to hold in memory), parsed as it is read: the model's base64 is decoded
     * straight into a new file in {@code dir} ({@link #modelFile()}), which {@link #close()} deletes unless it was
     * moved away. Where the model's text is not base64, a 400 {@code invalid_base64}; the same line breaks are
     * allowed as in a body held in memory.
     */
    static JsonBody parse(Path file, Path dir) throws IOException {
        JsonBody body = new JsonBody(null, 0);
        try (JsonParser p = Json.MAPPER.createParser(file.toFile())) {
            startObject(p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals(MODEL) && value == JsonToken.VALUE_STRING) {
                    // A repeated member counts once, the last time, as in a body held in memory.
                    body.deleteModel();
                    body.modelFile = Upload.freshFile(dir);
                    try (OutputStream out = Files.newOutputStream(body.modelFile, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE)) {
                        p.readBinaryValue(BASE64, out);
                    } catch (JsonEOFException e) {
                        throw e;
                    } catch (StreamReadException | IllegalArgumentException e) {
                        // IllegalArgumentException is the parser's word for a character outside the alphabet.
                        throw ApiProblem.badRequest("invalid_base64", "model_base64 is not valid base64: "
                                + (e instanceof StreamReadException r ? r.getOriginalMessage() : e.getMessage()))
                                .with("field", MODEL);
                    }
                } else {
                    body.members.put(name, MEMBER.readTree(p));
                }
            }
            if (p.nextToken() != null) {
                throw ApiProblem.badRequest("invalid_json", "the body is not valid JSON: there is more after "
                        + "its object");
            }
        } catch (JsonProcessingException e) {
            body.close();
            throw ApiProblem.badRequest("invalid_json", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException | RuntimeException e) {
            body.close();
            throw e;
        }
        return body;
    }

    /** Reads the body's first token: 400 {@code invalid_json} where it does not start an object. */
    private static void startObject(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t != JsonToken.START_OBJECT) {
            // Whatever it is: parsed whole, so that a syntax error is named as such.
            if (t != null) {
                p.skipChildren();
            }
            while (p.nextToken() != null) {
                p.skipChildren();
            }
            throw ApiProblem.badRequest("invalid_json", "the body must be a JSON object");
        }
    }

    /** Base64 as the JDK's decoder reads it: padding allowed, not required. */
    private static final Base64Variant BASE64 = Base64Variants.MIME_NO_LINEFEEDS
            .withReadPadding(Base64Variant.PaddingReadBehaviour.PADDING_ALLOWED);

    /** The model decoded into a file, for a body parsed from its file; null for a body held in memory. */
    Path modelFile() {
        return modelFile;
    }

    private void deleteModel() throws IOException {
        if (modelFile != null) {
            Files.deleteIfExists(modelFile);
            modelFile = null;
        }
    }

    /** Deletes the decoded model's file where it is still there (a refused body's). */
    @Override
    public void close() throws IOException {
        deleteModel();
    }

    /** The position of the closing quote of the model's text, searched back from the next token's start. */
    private int closingQuote(long nextToken) {
        int j = (int) nextToken - 1;
        while (j >= modelStart && raw[j] != '"') {
            j--;
        }
        if (j < modelStart) {
            throw new IllegalStateException("the model's text has no closing quote before offset " + nextToken);
        }
        return j;
    }

    Iterable<String> fieldNames() {
        java.util.List<String> names = new java.util.ArrayList<>(members.keySet());
        if (modelStart >= 0 || modelFile != null) {
            names.add(MODEL);
        }
        return names;
    }

    boolean has(String field) {
        return members.containsKey(field) || (field.equals(MODEL) && (modelStart >= 0 || modelFile != null));
    }

    /** A member other than a string model, as a tree; null when absent. */
    JsonNode get(String field) {
        return members.get(field);
    }

    /** Whether the model was sent as a string (base64 to decode), not absent or another kind of value. */
    boolean hasModelText() {
        JsonNode model = members.get(MODEL);
        return modelStart >= 0 || modelFile != null || (model != null && model.isTextual());
    }

    /**
     * Decodes the model into {@code into} (at least as long as the body's text can decode to) and returns its length;
     * 400 {@code invalid_base64} where its text is not base64.
     */
    int decodeModel(byte[] into) {
        byte[] decoded;
        if (modelStart < 0) {
            // A body in UTF-16 or UTF-32, which JSON allows: no byte offsets, the text was read as a string.
            decoded = decode(members.get(MODEL).asText());
        } else {
            try {
                return decodeInPlace(into);
            } catch (IllegalArgumentException direct) {
                // An escape (or a character outside the alphabet): read as the JSON string it is.
                decoded = decode(escapedText());
            }
        }
        System.arraycopy(decoded, 0, into, 0, decoded.length);
        return decoded.length;
    }

    /** Base64 text decoded a chunk at a time (a multiple of 4 characters), each within the caches. */
    private static final int CHUNK = 1 << 15;

    /**
     * The model's text decoded straight from the body into {@code into}, by the JDK's decoder (which has no offsets
     * for arrays, and whose buffer form makes a new array of the whole model) a chunk at a time through two small
     * arrays. Valid base64 decodes as it would whole; padding before the last chunk, or any character outside the
     * alphabet, is an {@link IllegalArgumentException}, and the caller then decodes the text whole.
     */
    private int decodeInPlace(byte[] into) {
        Base64.Decoder decoder = Base64.getDecoder();
        byte[] text = new byte[CHUNK];
        byte[] bytes = new byte[CHUNK / 4 * 3];
        int at = modelStart;
        int written = 0;
        for (; modelEnd - at > CHUNK; at += CHUNK) {
            System.arraycopy(raw, at, text, 0, CHUNK);
            int n = decoder.decode(text, bytes);
            if (n != bytes.length) {
                throw new IllegalArgumentException("padding before the end of the text");
            }
            System.arraycopy(bytes, 0, into, written, n);
            written += n;
        }
        int n = decoder.decode(Arrays.copyOfRange(raw, at, modelEnd), bytes);
        System.arraycopy(bytes, 0, into, written, n);
        return written + n;
    }

    /** Line breaks are allowed (MIME-style wrapping); any other character outside the alphabet is not. */
    private static byte[] decode(String text) {
        try {
            return Base64.getDecoder().decode(text.indexOf('\n') < 0 && text.indexOf('\r') < 0 ? text
                    : text.replaceAll("[\\r\\n]", ""));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("invalid_base64", "model_base64 is not valid base64: "
                    + e.getMessage()).with("field", MODEL);
        }
    }

    private String escapedText() {
        try (JsonParser p = Json.MAPPER.createParser(raw, modelStart - 1, modelEnd - modelStart + 2)) {
            p.nextToken();
            return p.getText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
