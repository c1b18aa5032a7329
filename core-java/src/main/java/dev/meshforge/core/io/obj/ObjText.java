// Byte-level line and token scanning for OBJ and MTL text: BOMs, UTF-16, line continuations, line numbers.
package dev.meshforge.core.io.obj;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.io.text.DecimalParser;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A cursor over the bytes of an OBJ or MTL file. UTF-8 (with or without BOM) and ASCII are scanned in place;
 * UTF-16 LE/BE with a BOM is transcoded to UTF-8 first. Tokens are separated by spaces and tabs and never span
 * lines, except that a backslash at the very end of a line joins the next line to it (the OBJ continuation).
 * Lines end at LF, CRLF or a lone CR. Nothing here allocates per token; names become Strings only on demand.
 */
final class ObjText {
    private static final ValueLayout.OfByte B = ValueLayout.JAVA_BYTE;

    final Path file;
    /** The text, always in native memory (one kind of segment, so that every access compiles alike). */
    final MemorySegment b;
    final int end;
    private int pos;
    private long line = 1;
    /** Current token [start, end) and the line it is on. */
    int ts;
    int te;
    private long tokenLine = 1;
    /** Line of the first number that needed lenient reading, and that token, for one warning per file. */
    long oddNumberLine = -1;
    String oddNumberToken;

    /** A small text (an MTL file): copied into native memory that the garbage collector frees. */
    ObjText(Path file, byte[] raw) {
        this(file, MemorySegment.ofArray(raw), Arena.ofAuto());
    }

    /**
     * The text of {@code raw} (native memory, at most 2 GiB), read in place; a UTF-16 text is transcoded into
     * memory of {@code arena}, and a heap segment copied there.
     */
    ObjText(Path file, MemorySegment raw, Arena arena) {
        this.file = file;
        MemorySegment text = decode(raw, arena);
        this.b = text;
        this.end = (int) text.byteSize();
        if (end >= 3 && (b.get(B, 0) & 0xFF) == 0xEF && (b.get(B, 1) & 0xFF) == 0xBB && (b.get(B, 2) & 0xFF) == 0xBF) {
            pos = 3;
        }
    }

    /** UTF-16 with a byte order mark becomes UTF-8; anything else is returned as it is, in native memory. */
    private static MemorySegment decode(MemorySegment raw, Arena arena) {
        if (raw.byteSize() >= 2) {
            int b0 = raw.get(B, 0) & 0xFF;
            int b1 = raw.get(B, 1) & 0xFF;
            if ((b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF)) {
                byte[] units = raw.asSlice(2).toArray(B);
                byte[] utf8 = new String(units, b0 == 0xFF ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE)
                        .getBytes(StandardCharsets.UTF_8);
                return arena.allocate(utf8.length).copyFrom(MemorySegment.ofArray(utf8));
            }
        }
        return raw.isNative() ? raw : arena.allocate(Math.max(1, raw.byteSize())).copyFrom(raw)
                .asSlice(0, raw.byteSize());
    }

    boolean atEnd() {
        return pos >= end;
    }

    /** The line of the current token (or of the line start, before the first token). */
    long line() {
        return tokenLine;
    }

    private boolean isContinuation(int i) {
        // A backslash followed by the line end, optionally with spaces between (a common copy-paste remnant).
        if (b.get(B, i) != '\\') {
            return false;
        }
        int j = i + 1;
        while (j < end && (b.get(B, j) == ' ' || b.get(B, j) == '\t')) {
            j++;
        }
        return j >= end || b.get(B, j) == '\n' || b.get(B, j) == '\r';
    }

    /** Skips spaces, tabs and continuations; stops at a line end or a token. */
    private void skipBlanks() {
        MemorySegment b = this.b;
        int end = this.end;
        while (pos < end) {
            byte c = b.get(B, pos);
            if (c == ' ' || c == '\t' || c == '\f' || c == 0x0B) {
                pos++;
            } else if (c == '\\' && isContinuation(pos)) {
                pos++;
                while (pos < end && (b.get(B, pos) == ' ' || b.get(B, pos) == '\t')) {
                    pos++;
                }
                if (pos < end && b.get(B, pos) == '\r') {
                    pos++;
                }
                if (pos < end && b.get(B, pos) == '\n') {
                    pos++;
                }
                line++;
            } else {
                return;
            }
        }
    }

    /** The next token on the current line; false at the line's end (the cursor stays there). */
    boolean next() {
        MemorySegment b = this.b;
        int end = this.end;
        skipBlanks();
        if (pos >= end || b.get(B, pos) == '\n' || b.get(B, pos) == '\r') {
            ts = te = pos;
            tokenLine = line;
            return false;
        }
        ts = pos;
        tokenLine = line;
        while (pos < end) {
            byte c = b.get(B, pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B
                    || (c == '\\' && isContinuation(pos))) {
                break;
            }
            pos++;
        }
        te = pos;
        return true;
    }

    /** Moves to the start of the next line, skipping whatever is left of this one (continuations included). */
    void nextLine() {
        MemorySegment b = this.b;
        int end = this.end;
        while (pos < end) {
            byte c = b.get(B, pos);
            if (c == '\n') {
                pos++;
                line++;
                break;
            } else if (c == '\r') {
                pos++;
                if (pos < end && b.get(B, pos) == '\n') {
                    pos++;
                }
                line++;
                break;
            } else if (c == '\\' && isContinuation(pos)) {
                skipBlanks();
            } else {
                pos++;
            }
        }
        tokenLine = line;
    }

    /** Skips the rest of a comment line; a trailing backslash in a comment does not continue it. */
    void skipCommentLine() {
        while (pos < end && b.get(B, pos) != '\n' && b.get(B, pos) != '\r') {
            pos++;
        }
        nextLine();
    }

    /** The current token's first byte. */
    byte firstByte() {
        return b.get(B, ts);
    }

    boolean tokenIs(String keyword) {
        if (te - ts != keyword.length()) {
            return false;
        }
        for (int i = 0; i < keyword.length(); i++) {
            if (b.get(B, ts + i) != keyword.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    boolean tokenIsIgnoreCase(String keyword) {
        if (te - ts != keyword.length()) {
            return false;
        }
        for (int i = 0; i < keyword.length(); i++) {
            if ((b.get(B, ts + i) | 0x20) != (keyword.charAt(i) | 0x20)) {
                return false;
            }
        }
        return true;
    }

    String token() {
        return string(ts, Math.min(te, ts + 60)) + (te - ts > 60 ? "..." : "");
    }

    /**
     * The rest of the line from the current position, continuations joined with a space, trimmed; the cursor
     * ends at the line end. Names keep inner spaces ("usemtl Material name with spaces").
     */
    String rest() {
        skipBlanks();
        int start = pos;
        StringBuilder joined = null;
        while (pos < end && b.get(B, pos) != '\n' && b.get(B, pos) != '\r') {
            if (b.get(B, pos) == '\\' && isContinuation(pos)) {
                if (joined == null) {
                    joined = new StringBuilder();
                }
                joined.append(string(start, pos)).append(' ');
                skipBlanks();
                start = pos;
                continue;
            }
            pos++;
        }
        String s = string(start, pos);
        return (joined == null ? s : joined.append(s).toString()).strip();
    }

    /** {@link #rest()} starting at the current token instead of after it. */
    String restFromToken() {
        pos = ts;
        return rest();
    }

    /** The scanning position, for {@link #reset}; lines are not re-counted, so only peek within a line. */
    int mark() {
        return pos;
    }

    /** The line the cursor is on (counting continuations), where {@link #line()} is the last token's. */
    long cursorLine() {
        return line;
    }

    /** Moves the cursor to {@code at}, the start of a statement on line {@code atLine}. */
    void seek(int at, long atLine) {
        pos = at;
        line = atLine;
        tokenLine = atLine;
    }

    void reset(int mark, int tokenStart, int tokenEnd) {
        pos = mark;
        ts = tokenStart;
        te = tokenEnd;
    }

    /** UTF-8 where the bytes are valid UTF-8, ISO-8859-1 otherwise (old exporters write Latin-1 names). */
    String string(int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(b.asSlice(from, to - from).asByteBuffer())
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(b.asSlice(from, to - from).toArray(B), StandardCharsets.ISO_8859_1);
        }
    }

    boolean tokenIsNumber() {
        return DecimalParser.isNumber(b, ts, te);
    }

    /** The number the last {@link #nextNumber} read. */
    double value;

    /** {@link #next()} and {@link #number}: the value is left in {@link #value}; false at the line's end. */
    boolean nextNumber(String what) {
        if (!next()) {
            return false;
        }
        value = number(what);
        return true;
    }

    /**
     * The current token as a number. Exporters write forms like {@code 3.1+e2} or {@code 1.5f}: where a
     * proper number is only a prefix of the token, that prefix is taken and the first such token is
     * remembered for one warning. A token with no numeric prefix at all is an error.
     */
    double number(String what) {
        double v = DecimalParser.parse(b, ts, te);
        if (!Double.isNaN(v) || DecimalParser.isNumber(b, ts, te)) {
            return v;
        }
        for (int e = te - 1; e > ts; e--) {
            byte c = b.get(B, e - 1);
            if (c >= '0' && c <= '9' || c == '.') {
                double p = DecimalParser.parse(b, ts, e);
                if (!Double.isNaN(p)) {
                    if (oddNumberLine < 0) {
                        oddNumberLine = tokenLine;
                        oddNumberToken = token();
                    }
                    return p;
                }
            }
        }
        throw bad("'" + token() + "' is not a number (" + what + " was expected)");
    }

    BadInputException bad(String what) {
        return new BadInputException(file, "line " + tokenLine + ": " + what);
    }
}
