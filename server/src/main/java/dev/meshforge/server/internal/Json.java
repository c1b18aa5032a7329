// The one JSON mapper of the server.
package dev.meshforge.server.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Jackson, set to refuse duplicate keys (a body that says two things is not guessed at). Its default limit on a
 * string's length (20 million characters) would refuse a base64 model over 15 MB that the upload limit allows; every
 * text read here is bounded by the request's size limit instead.
 */
public final class Json {
    /**
     * Jackson's buffers (8 KB for bytes, 2 KB for characters a parser or generator) are kept in a pool shared by all
     * threads: its default keeps them per thread, and a request's virtual thread lives for one request, so every
     * answer and every body parsed took new ones (1 % of the server's CPU in a load run's profile). JSON is made or
     * read at once by at most about as many threads as the request carriers, submit threads and workers; beyond
     * this many, buffers are made and dropped as before. A kept set is at most a few hundred KB (Jackson keeps a
     * parser's first text segment, up to 64 K characters, not a long string's whole text).
     */
    private static final int BUFFERS_KEPT = 16;

    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                    .recyclerPool(JsonRecyclerPools.newBoundedPool(BUFFERS_KEPT))
                    .build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code value} as UTF-8 JSON, written straight to bytes (no string in between). */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode read(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }
}
