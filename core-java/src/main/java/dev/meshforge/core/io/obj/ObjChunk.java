// One slice of an OBJ text, its plain statements parsed from a heap copy (ahead, on a helper, where threads allow).
package dev.meshforge.core.io.obj;

import dev.meshforge.core.io.text.DecimalParser;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntUnaryOperator;

/**
 * The statements of bytes [{@link #from}, {@link #to}) of an OBJ text, parsed without the file's state into a
 * list of operations that the reading thread replays in order, exactly as if it had read them itself. Only the
 * forms that need no state are parsed here: {@code v} (3 to 8 numbers), {@code vt} (1 or 2), {@code vn} (3) and
 * {@code f} whose corners are references as written (resolved on replay, against the counts of that moment);
 * blank lines, comments and {@code s} leave nothing. Every other line (names, materials, odd forms, errors,
 * continuations) is left as an {@code OTHER} operation with its offset and line, for the reading thread's
 * general path; that path's warnings and messages are therefore the same in every respect.
 *
 * <p>A slice starts at a statement: {@link #split} cuts only after a line feed whose line does not end in a
 * continuing backslash.
 */
final class ObjChunk {
    /** Operation kinds, in the low 3 bits of an operation's first int; the count of its items above them. */
    static final int VERTEX = 0;
    static final int UV = 1;
    static final int NORMAL = 2;
    /** {@code FACE | n << 3}, the line's offset, then n corners of 3 ints as written (0: absent). */
    static final int FACE = 3;
    /** {@code OTHER}, the line's offset, its line (from the slice's first), where it ends and the line there. */
    static final int OTHER = 4;

    private static final ValueLayout.OfByte B = ValueLayout.JAVA_BYTE;

    final MemorySegment b;
    final int from;
    final int to;
    /** Line breaks in the slice. */
    int lines;
    int[] ops;
    int opCount;
    double[] numbers;
    int numberCount;
    /** Set by whichever thread parses the slice: a helper, or the reading thread when it gets there first. */
    private final AtomicBoolean claimed = new AtomicBoolean();

    ObjChunk(MemorySegment b, int from, int to) {
        this.b = b;
        this.from = from;
        this.to = to;
    }

    /** True for the one caller that is to parse the slice. */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    /**
     * Slice boundaries of about {@code target} bytes over [from, end): the first is {@code from}, the last
     * {@code end}.
     */
    static int[] split(MemorySegment b, int from, int end, int target) {
        int[] bounds = new int[16];
        int n = 0;
        bounds[n++] = from;
        long p = (long) from + target;
        while (p < end) {
            int q = (int) p;
            while (q < end && b.get(B, q) != '\n') {
                q++;
            }
            if (q + 1 >= end) {
                break;
            }
            if (continued(i -> b.get(B, i), q)) {
                p = q + 1L;
                continue;
            }
            if (n + 2 > bounds.length) {
                bounds = Arrays.copyOf(bounds, bounds.length * 2);
            }
            bounds[n++] = q + 1;
            p = q + 1L + target;
        }
        bounds[n++] = end;
        return Arrays.copyOf(bounds, n);
    }

    /**
     * Whether the line whose break is at {@code q} ends in a backslash, which joins the next line to it; {@code at}
     * gives the text's byte at an index.
     */
    private static boolean continued(IntUnaryOperator at, int q) {
        int i = q - 1;
        if (i >= 0 && at.applyAsInt(i) == '\r' && at.applyAsInt(q) == '\n') {
            i--;
        }
        while (i >= 0 && (at.applyAsInt(i) == ' ' || at.applyAsInt(i) == '\t')) {
            i--;
        }
        return i >= 0 && at.applyAsInt(i) == '\\';
    }

    private static boolean isBlank(byte c) {
        return c == ' ' || c == '\t' || c == '\f' || c == 0x0B;
    }

    /**
     * A heap array holding the slice's bytes, {@code buffer} when it is large enough: the parse reads the copy (array
     * reads cost less than reads of native memory), and no statement of the slice reads past its end (a cut is
     * never inside a statement).
     */
    byte[] copy(byte[] buffer) {
        int n = to - from;
        byte[] a = buffer != null && buffer.length >= n ? buffer : new byte[n];
        MemorySegment.copy(b, B, from, a, 0, n);
        return a;
    }

    /**
     * Parses the slice from {@code text}, a {@link #copy} of it, into {@code ops} and {@code numbers} where they
     * are large enough for a slice of faces and vertices as exporters write them (arrays of a slice replayed
     * before, or null). Never throws for bad text: whatever is not plain is left as an {@code OTHER}.
     */
    ObjChunk parse(byte[] text, int[] ops, double[] numbers) {
        int needOps = Math.max(64, (to - from) / 3);
        int needNumbers = Math.max(64, (to - from) / 8);
        this.ops = ops != null && ops.length >= needOps ? ops : new int[needOps];
        this.numbers = numbers != null && numbers.length >= needNumbers ? numbers : new double[needNumbers];
        byte[] a = text;
        int end = to - from;
        ObjScan scan = new ObjScan(a, end);
        int p = 0;
        int line = 0;
        while (p < end) {
            int start = p;
            while (p < end && isBlank(a[p])) {
                p++;
            }
            if (p >= end) {
                break;
            }
            byte c = a[p];
            if (c == '\n' || c == '\r') {
                p = afterBreak(a, end, p);
                line++;
                continue;
            }
            if (c == '#') {
                p = lineEnd(a, end, p);
                if (p < end) {
                    p = afterBreak(a, end, p);
                    line++;
                }
                continue;
            }
            int te = p;
            while (te < end && !ObjScan.isDelimiter(a[te])) {
                te++;
            }
            int len = te - p;
            int ops0 = opCount;
            int numbers0 = numberCount;
            int q = -1;
            if (c == 'v' && len == 1) {
                q = numbers(scan, te, VERTEX, 3, 8);
            } else if (c == 'f' && len == 1) {
                q = face(scan, start, te);
            } else if (c == 'v' && len == 2 && a[p + 1] == 't') {
                q = numbers(scan, te, UV, 1, 2);
            } else if (c == 'v' && len == 2 && a[p + 1] == 'n') {
                q = numbers(scan, te, NORMAL, 3, 3);
            } else if (c == 's' && len == 1) {
                q = rest(a, end, te);
            }
            if (q < 0) {
                opCount = ops0;
                numberCount = numbers0;
                int at = line;
                p = start;
                // The statement runs to the first line break that no backslash continues.
                while (true) {
                    int e = lineEnd(a, end, p);
                    if (e >= end) {
                        p = e;
                        break;
                    }
                    IntUnaryOperator byteAt = i -> a[i];
                    boolean more = continued(byteAt, e) || (a[e] == '\r' && e + 1 < end && a[e + 1] == '\n'
                            && continued(byteAt, e + 1));
                    p = afterBreak(a, end, e);
                    line++;
                    if (!more) {
                        break;
                    }
                }
                add(OTHER, from + start, at, from + p, line);
                continue;
            }
            p = q;
            if (p < end) {
                p = afterBreak(a, end, p);
                line++;
            }
        }
        lines = line;
        return this;
    }

    /** The first line break at or after p, or the text's end. */
    private static int lineEnd(byte[] a, int end, int p) {
        while (p < end && a[p] != '\n' && a[p] != '\r') {
            p++;
        }
        return p;
    }

    private static int afterBreak(byte[] a, int end, int p) {
        return a[p] == '\r' && p + 1 < end && a[p + 1] == '\n' ? p + 2 : p + 1;
    }

    /** The line's end from p if the rest holds no backslash (which may continue it); -1 otherwise. */
    private static int rest(byte[] a, int end, int p) {
        while (p < end && a[p] != '\n' && a[p] != '\r') {
            if (a[p] == '\\') {
                return -1;
            }
            p++;
        }
        return p;
    }

    /**
     * Between {@code min} and {@code max} numbers from p, as the reading thread's {@code nextNumber} reads them
     * (the rest of the line after {@code max} is ignored there too); the line's end, or -1.
     */
    private int numbers(ObjScan scan, int p, int kind, int min, int max) {
        byte[] a = scan.b;
        int end = scan.end;
        int n = 0;
        while (n < max) {
            while (p < end && isBlank(a[p])) {
                p++;
            }
            if (p >= end || a[p] == '\n' || a[p] == '\r') {
                break;
            }
            double v;
            if (scan.number(p)) {
                v = scan.value;
                p = scan.scanEnd;
            } else {
                int te = p;
                while (te < end && !ObjScan.isDelimiter(a[te])) {
                    if (a[te] == '\\') {
                        return -1;
                    }
                    te++;
                }
                v = DecimalParser.parse(b, from + p, from + te);
                if (Double.isNaN(v) && !DecimalParser.isNumber(b, from + p, from + te)) {
                    return -1;
                }
                p = te;
            }
            if (numberCount == numbers.length) {
                numbers = Arrays.copyOf(numbers, numbers.length * 2);
            }
            numbers[numberCount++] = v;
            n++;
        }
        if (n < min) {
            return -1;
        }
        add(kind | n << 3);
        return rest(a, end, p);
    }

    /** The corners of an {@code f} line from p, each in the plain forms; the line's end, or -1. */
    private int face(ObjScan scan, int start, int p) {
        byte[] a = scan.b;
        int end = scan.end;
        int at = opCount;
        add(FACE, from + start);
        int n = 0;
        while (true) {
            while (p < end && isBlank(a[p])) {
                p++;
            }
            if (p >= end || a[p] == '\n' || a[p] == '\r') {
                break;
            }
            if (!scan.corner(p)) {
                return -1;
            }
            p = scan.scanEnd;
            add(scan.cornerV, scan.cornerT, scan.cornerN);
            n++;
        }
        ops[at] = FACE | n << 3;
        return p;
    }

    /**
     * The line of {@code offset}, a statement's start in this slice, counted from the slice's first (read again
     * from the text: only a warning's first occurrence asks).
     */
    int lineOf(int offset) {
        byte[] a = copy(null);
        int end = to - from;
        int line = 0;
        for (int p = 0; p < offset - from; ) {
            int e = lineEnd(a, end, p);
            if (e >= offset - from) {
                break;
            }
            p = afterBreak(a, end, e);
            line++;
        }
        return line;
    }

    private void ensure(int more) {
        if (opCount + more > ops.length) {
            ops = Arrays.copyOf(ops, Math.max(opCount + more, ops.length * 2));
        }
    }

    private void add(int x) {
        ensure(1);
        ops[opCount++] = x;
    }

    private void add(int x, int y) {
        ensure(2);
        ops[opCount++] = x;
        ops[opCount++] = y;
    }

    private void add(int x, int y, int z) {
        ensure(3);
        ops[opCount++] = x;
        ops[opCount++] = y;
        ops[opCount++] = z;
    }

    private void add(int kind, int offset, int line, int endOffset, int endLine) {
        ensure(5);
        ops[opCount++] = kind;
        ops[opCount++] = offset;
        ops[opCount++] = line;
        ops[opCount++] = endOffset;
        ops[opCount++] = endLine;
    }
}
