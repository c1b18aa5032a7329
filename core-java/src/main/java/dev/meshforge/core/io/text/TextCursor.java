// A whitespace tokenizer over a (possibly memory-mapped) byte segment that tracks line numbers for errors.
package dev.meshforge.core.io.text;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Splits ASCII text into whitespace-separated tokens without allocating. Lines end at LF, CRLF or a lone CR;
 * {@link #line()} is the 1-based line of the current token. Works on segments larger than 2 GiB.
 */
public final class TextCursor {
    private final MemorySegment text;
    private final long end;
    private long pos;
    private long line = 1;
    private long tokenStart;
    private long tokenEnd;
    private long tokenLine = 1;

    public TextCursor(MemorySegment text) {
        this.text = text;
        this.end = text.byteSize();
    }

    private byte at(long i) {
        return text.get(ValueLayout.JAVA_BYTE, i);
    }

    /** Moves to the next token; false at the end of the text. */
    public boolean next() {
        while (pos < end) {
            byte b = at(pos);
            if (b == '\n') {
                line++;
            } else if (b == '\r') {
                if (pos + 1 >= end || at(pos + 1) != '\n') {
                    line++;
                }
            } else if ((b & 0xFF) > ' ') {
                break;
            }
            pos++;
        }
        if (pos >= end) {
            tokenStart = tokenEnd = end;
            return false;
        }
        tokenStart = pos;
        tokenLine = line;
        while (pos < end && (at(pos) & 0xFF) > ' ') {
            pos++;
        }
        tokenEnd = pos;
        return true;
    }

    /** Skips the rest of the current line (used for free-text names after keywords). */
    public void skipLine() {
        while (pos < end) {
            byte b = at(pos);
            if (b == '\n' || b == '\r') {
                return;
            }
            pos++;
        }
    }

    /** Line of the current token, 1-based. */
    public long line() {
        return tokenLine;
    }

    public boolean tokenIs(String keyword) {
        if (tokenEnd - tokenStart != keyword.length()) {
            return false;
        }
        for (int i = 0; i < keyword.length(); i++) {
            int a = at(tokenStart + i) | 0x20;
            if (a != (keyword.charAt(i) | 0x20)) {
                return false;
            }
        }
        return true;
    }

    /** The current token as a string, cut to 40 characters for messages. */
    public String token() {
        long len = Math.min(tokenEnd - tokenStart, 40);
        byte[] b = new byte[(int) len];
        text.asSlice(tokenStart, len).asByteBuffer().get(b);
        String s = new String(b, StandardCharsets.ISO_8859_1);
        return tokenEnd - tokenStart > 40 ? s + "..." : s;
    }

    /** The current token as a number; NaN when it is not one (see {@link DecimalParser}). */
    public double number() {
        return DecimalParser.parse(text, tokenStart, tokenEnd);
    }

    public boolean atEnd() {
        return pos >= end;
    }
}
