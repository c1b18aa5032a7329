// Keeps the large base64 data URIs of a glTF's JSON out of the JSON tree and decodes them into native memory.
package dev.meshforge.core.io.gltf;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import dev.meshforge.core.scene.internal.KernelPages;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A buffer embedded as a data URI is most of its file. Parsed as JSON it would be held as the file's bytes, the
 * parser's characters, a string, its payload and the decoded bytes, all on the Java heap at once (several times
 * the file, in humongous arrays). Instead, {@link #scan} finds the base64 payloads of {@link #MIN_PAYLOAD} bytes or
 * more in the mapped text, the parser reads the text without them ({@link #text()}, {@link #parser}), and a
 * buffer's payload is decoded from the mapped text into native memory when it is used ({@link #decode}), a chunk
 * at a time.
 * <p>
 * A payload is left out only where the text says unambiguously that it is one: a string that opens with
 * {@code "data:} (an unescaped quote: in valid JSON that is a string's start), whose header up to the first comma
 * ends with {@code ;base64}, and that holds no backslash before its closing quote. Anything else is parsed as it is.
 * The parser hands the payload-less string of each payload out as a string object of its own, which is how
 * {@link #payloadOf} recognises it: no text in the file can pass for it.
 */
final class EmbeddedData {
    /** Payloads shorter than this stay in the JSON tree. */
    static final long MIN_PAYLOAD = 1 << 16;
    /** Base64 characters decoded at a time (a multiple of 4). */
    private static final int CHUNK = 1 << 16;
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BASE64 = ";base64".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEADER = 256;

    private final MemorySegment text;
    /** Per payload: its first byte, the closing quote after it, and its string's opening quote in {@link #text()}. */
    private final long[] from;
    private final long[] to;
    private final long[] quoteInText;
    /** The string the parser handed out for each payload's data URI (null until then). */
    private final String[] handedOut;

    private EmbeddedData(MemorySegment text, long[] from, long[] to, long[] quoteInText) {
        this.text = text;
        this.from = from;
        this.to = to;
        this.quoteInText = quoteInText;
        this.handedOut = new String[from.length];
    }

    /** Finds the payloads of {@code json} (UTF-8 JSON text) that the parser should not see. */
    static EmbeddedData scan(MemorySegment json) {
        long n = json.byteSize();
        long[] from = new long[0];
        long[] to = new long[0];
        long[] quote = new long[0];
        int count = 0;
        long removed = 0;
        long[] words = new long[WORDS];
        for (long at = 0; (at = find(json, at, n, false, words)) >= 0; ) {
            long open = at++;
            if (!startsWith(json, at, DATA) || escaped(json, open)) {
                continue;
            }
            long comma = headerEnd(json, at + DATA.length, Math.min(n, at + MAX_HEADER));
            if (comma < 0) {
                continue;
            }
            long close = find(json, comma + 1, n, true, words);
            if (close < 0) {
                break; // an unterminated string: the parser says so
            }
            if (json.get(ValueLayout.JAVA_BYTE, close) != '"') {
                continue; // an escape inside: parsed as it is
            }
            if (close - comma - 1 >= MIN_PAYLOAD) {
                if (count == from.length) {
                    from = Arrays.copyOf(from, count * 2 + 4);
                    to = Arrays.copyOf(to, from.length);
                    quote = Arrays.copyOf(quote, from.length);
                }
                from[count] = comma + 1;
                to[count] = close;
                quote[count] = open - removed;
                removed += close - comma - 1;
                count++;
            }
            at = close + 1;
        }
        return new EmbeddedData(json, Arrays.copyOf(from, count), Arrays.copyOf(to, count),
                Arrays.copyOf(quote, count));
    }

    /** Whether any payload was left out. */
    boolean isEmpty() {
        return from.length == 0;
    }

    /** The JSON text without the payloads. */
    InputStream text() {
        return new Stripped();
    }

    /** {@code raw} (a parser of {@link #text()}) handing out each payload's data URI as a string object of its own. */
    JsonParser parser(JsonParser raw) {
        return new Marking(raw);
    }

    /** The payload whose data URI the parser handed out as {@code uri} (by identity), or -1. */
    int payloadOf(String uri) {
        for (int k = 0; k < handedOut.length; k++) {
            if (handedOut[k] == uri) {
                return k;
            }
        }
        return -1;
    }

    /** Base64 characters of payload {@code k}. */
    long payloadLength(int k) {
        return to[k] - from[k];
    }

    /**
     * Decodes payload {@code k} into memory of {@code arena}. Plain base64 (padding only at its end) is decoded a
     * chunk at a time; anything else (line breaks, characters outside the alphabet, which MIME decoding skips) is
     * decoded whole as before; a raw control character, which the JSON parser would have refused, is refused here.
     *
     * @throws IllegalArgumentException where the payload is not base64, or not a JSON string's
     */
    MemorySegment decode(int k, Arena arena) {
        long length = to[k] - from[k];
        long most = length / 4 * 3 + 3;
        MemorySegment out = KernelPages.allocate(arena, most);
        if (out == null) {
            out = arena.allocate(most);
        }
        byte[] src = new byte[CHUNK];
        byte[] dst = new byte[CHUNK / 4 * 3];
        Base64.Decoder plain = Base64.getDecoder();
        long written = 0;
        try {
            for (long p = from[k]; p < to[k]; p += CHUNK) {
                int m = (int) Math.min(CHUNK, to[k] - p);
                byte[] in = m == CHUNK ? src : new byte[m];
                MemorySegment.copy(text, ValueLayout.JAVA_BYTE, p, in, 0, m);
                int got = plain.decode(in, dst);
                MemorySegment.copy(dst, 0, out, ValueLayout.JAVA_BYTE, written, got);
                written += got;
                if (got < m / 4 * 3 && p + m < to[k]) {
                    throw new IllegalArgumentException("padding before the end");
                }
            }
            return out.asSlice(0, written);
        } catch (IllegalArgumentException e) {
            byte[] payload = text.asSlice(from[k], length).toArray(ValueLayout.JAVA_BYTE);
            for (int i = 0; i < payload.length; i++) {
                if ((payload[i] & 0xFF) < 0x20) {
                    // The JSON parser, which never saw the payload, would have refused the file for it.
                    throw new IllegalArgumentException("it holds the control character 0x"
                            + Integer.toHexString(payload[i]) + " at byte " + (from[k] + i)
                            + ", which a JSON string cannot hold unescaped");
                }
            }
            return MemorySegment.ofArray(Base64.getMimeDecoder().decode(payload));
        }
    }

    /** Words searched at a time at most, copied out of the segment into an array that the JIT reads unchecked. */
    private static final int WORDS = 4096;

    /**
     * The first '"' (or, with {@code orBackslash}, '"' or '\\') in [at, end), or -1; eight bytes a step, in runs
     * that double from four words (most strings are short) to {@code words.length}.
     */
    private static long find(MemorySegment s, long at, long end, boolean orBackslash, long[] words) {
        final long ones = 0x0101010101010101L;
        final long highs = 0x8080808080808080L;
        final long quotes = ones * '"';
        final long backslashes = orBackslash ? ones * '\\' : quotes;
        for (int run = 4; ; run = Math.min(words.length, run * 2)) {
            int n = (int) Math.min(run, (end - at) / 8);
            if (n == 0) {
                break;
            }
            MemorySegment.copy(s, ValueLayout.JAVA_LONG_UNALIGNED, at, words, 0, n);
            int w = 0;
            for (; w < n; w++) {
                long q = words[w] ^ quotes;
                long b = words[w] ^ backslashes;
                if (((((q - ones) & ~q) | ((b - ones) & ~b)) & highs) != 0) {
                    break; // the word holds a match (the lowest flagged byte is one), found byte by byte below
                }
            }
            at += 8L * w;
            if (w < n) {
                break;
            }
        }
        for (; at < end; at++) {
            byte c = s.get(ValueLayout.JAVA_BYTE, at);
            if (c == '"' || (orBackslash && c == '\\')) {
                return at;
            }
        }
        return -1;
    }

    private static boolean startsWith(MemorySegment s, long at, byte[] prefix) {
        if (at + prefix.length > s.byteSize()) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (s.get(ValueLayout.JAVA_BYTE, at + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the quote at {@code quote} is escaped (an odd run of backslashes before it). */
    private static boolean escaped(MemorySegment s, long quote) {
        long b = quote;
        while (b > 0 && s.get(ValueLayout.JAVA_BYTE, b - 1) == '\\') {
            b--;
        }
        return ((quote - b) & 1) == 1;
    }

    /** The comma ending a data URI's header that ends with ";base64", searched in [at, end); -1 for none. */
    private static long headerEnd(MemorySegment s, long at, long end) {
        for (long i = at; i < end; i++) {
            byte c = s.get(ValueLayout.JAVA_BYTE, i);
            if (c == ',') {
                return i - at >= BASE64.length && startsWith(s, i - BASE64.length, BASE64) ? i : -1;
            }
            if (c == '"' || c == '\\') {
                return -1;
            }
        }
        return -1;
    }

    /** The text with every payload left out. */
    private final class Stripped extends InputStream {
        private long pos;
        private int next;

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            while (next < from.length && pos == from[next]) {
                pos = to[next++];
            }
            long stop = next < from.length ? from[next] : text.byteSize();
            if (pos >= stop) {
                return -1;
            }
            int m = (int) Math.min(len, stop - pos);
            MemorySegment.copy(text, ValueLayout.JAVA_BYTE, pos, b, off, m);
            pos += m;
            return m;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }
    }

    /** Hands out the string of each payload's data URI as an object of its own, the same one every time. */
    private final class Marking extends JsonParserDelegate {
        Marking(JsonParser raw) {
            super(raw);
        }

        @Override
        public String getText() throws IOException {
            String s = delegate.getText();
            if (delegate.currentToken() != JsonToken.VALUE_STRING) {
                return s;
            }
            int k = Arrays.binarySearch(quoteInText, delegate.currentTokenLocation().getByteOffset());
            if (k < 0) {
                return s;
            }
            if (handedOut[k] == null) {
                handedOut[k] = new String(s);
            }
            return handedOut[k];
        }

        @Override
        public String getValueAsString() throws IOException {
            return delegate.currentToken() == JsonToken.VALUE_STRING ? getText() : delegate.getValueAsString();
        }

        @Override
        public String getValueAsString(String defaultValue) throws IOException {
            return delegate.currentToken() == JsonToken.VALUE_STRING ? getText()
                    : delegate.getValueAsString(defaultValue);
        }
    }
}
