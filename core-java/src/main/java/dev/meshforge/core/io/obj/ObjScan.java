// The plain number and corner-reference forms of OBJ text, scanned from bytes without allocating.
package dev.meshforge.core.io.obj;

import dev.meshforge.core.io.text.DecimalParser;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Scans the two forms nearly every exporter writes, the short decimal ({@code -12.345}) and the corner reference
 * ({@code 12}, {@code -3}), for the parser of a file's slices ({@link ObjChunk}), from a heap copy of the slice:
 * array reads, whose bounds checks the compiler folds or hoists, cost less than reads of native memory a byte or a
 * word at a time. Exact: the value read is the one {@link DecimalParser} gives the same bytes. One instance per
 * thread: the results are left in fields.
 */
final class ObjScan {
    private static final long THREES = 0x3030303030303030L;
    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};
    /** Eight bytes of the text, the first in the lowest bits. */
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The text: bytes [0, {@link #end}) of it. */
    final byte[] b;
    final int end;
    /** The number {@link #number} read. */
    double value;
    /** Where the last successful scan stopped. */
    int scanEnd;
    /**
     * The byte at {@link #scanEnd} (0 to 255), or -1 at the text's end: mostly known from the word the scan read
     * last, so that its caller need not read the text again to see what follows.
     */
    int scanNext;

    ObjScan(byte[] b, int end) {
        this.b = b;
        this.end = end;
    }

    static boolean isDelimiter(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    /**
     * The plain decimal form at {@code p} (up to 15 significant digits and 22 after the point, ended by a
     * delimiter or the end of the text), exact by one IEEE operation; false for any other form, which the
     * general parser must read.
     */
    boolean number(int p) {
        byte[] b = this.b;
        int end = this.end;
        boolean negative = p < end && b[p] == '-';
        if (negative) {
            p++;
        }
        if (p + 16 <= end && shortDecimal(b, p, negative)) {
            return true;
        }
        mantissa = 0;
        significant = 0;
        int exponent = 0;
        int from = p;
        p = digits(b, end, p);
        boolean any = p > from;
        if (next == '.') {
            p++;
            int after = p;
            p = digits(b, end, p);
            exponent = after - p;
            any |= p > after;
        }
        if (any && significant <= 15 && exponent >= -22 && (next < 0 || isDelimiter((byte) next))) {
            double v = DecimalParser.scaled(mantissa, exponent);
            value = negative ? -v : v;
            scanEnd = p;
            scanNext = next;
            return true;
        }
        return false;
    }

    /**
     * The form exporters write most, up to 7 digits, then optionally a point and up to 8 digits, ended by a
     * delimiter, read from two words of the text at {@code p} (at least 16 bytes before its end): no digit loop.
     * At most 15 digits and 8 after the point, so its value is the one {@link #number}'s general scan gives the
     * same digits (same mantissa, same exponent); false for anything else, which that scan then reads. One digit
     * before the point is taken as it is, without counting the run: the fraction's word is then read from a known
     * offset, one dependent step less from the number's start to its end (a v line's numbers are a chain of them).
     */
    private boolean shortDecimal(byte[] b, int p, boolean negative) {
        long w = (long) WORD.get(b, p);
        int first = (int) (w & 0xFF) - '0';
        if (((w >>> 8) & 0xFF) == '.' && first >= 0 && first <= 9) {
            // One digit, then the point: what most coordinates and normals are written as. The fraction's word is
            // at p + 2 whatever the digits are, so its read need not wait for the first word's digit run.
            long f = (long) WORD.get(b, p + 2);
            int k = digitRun(f);
            long m = k > 0 ? first * POW10[k] + value(f, k) : first;
            int at = p + 2 + k;
            int c = k < 8 ? (int) (f >>> (8 * k)) & 0xFF : at < end ? b[at] & 0xFF : -1;
            if (c >= 0 && !isDelimiter((byte) c)) {
                return false;
            }
            double v = DecimalParser.scaled(m, -k);
            value = negative ? -v : v;
            scanEnd = at;
            scanNext = c;
            return true;
        }
        int n = digitRun(w);
        if (n == 8) {
            return false;
        }
        long m = n > 0 ? value(w, n) : 0;
        int c = (int) (w >>> (8 * n)) & 0xFF;
        int at = p + n;
        int exponent = 0;
        if (c == '.') {
            // n <= 7 and 16 bytes remain from p: the word after the point lies inside the text.
            int q = at + 1;
            long f = (long) WORD.get(b, q);
            int k = digitRun(f);
            if (n + k == 0) {
                return false;
            }
            if (k > 0) {
                m = m * POW10[k] + value(f, k);
            }
            exponent = -k;
            at = q + k;
            c = k < 8 ? (int) (f >>> (8 * k)) & 0xFF : at < end ? b[at] & 0xFF : -1;
        } else if (n == 0) {
            return false;
        }
        if (c >= 0 && !isDelimiter((byte) c)) {
            return false;
        }
        double v = DecimalParser.scaled(m, exponent);
        value = negative ? -v : v;
        scanEnd = at;
        scanNext = c;
        return true;
    }

    /** The digits {@link #digits} has read so far, and how many of them count (from the first that is not 0). */
    private long mantissa;
    private int significant;
    /** The byte where {@link #digits} stopped (0 to 255), or -1 at the text's end. */
    private int next;

    /**
     * Reads the run of digits from {@code p} into {@link #mantissa} and {@link #significant}, eight bytes at a time
     * where eight remain (one read of the text instead of eight); where the run ends.
     */
    private int digits(byte[] b, int end, int p) {
        long m = mantissa;
        int s = significant;
        while (p + 8 <= end) {
            long w = (long) WORD.get(b, p);
            int n = digitRun(w);
            if (n > 0) {
                long run = value(w, n);
                // As digit by digit: a digit counts from the first that leaves the mantissa non-zero.
                if (m != 0) {
                    s += n;
                } else if (run != 0) {
                    s += n - (Long.numberOfTrailingZeros(w ^ THREES) >>> 3);
                }
                m = m * POW10[n] + run;
            }
            p += n;
            if (n < 8) {
                mantissa = m;
                significant = s;
                next = (int) (w >>> (8 * n)) & 0xFF;
                return p;
            }
        }
        int d;
        while (p < end && (d = b[p] - '0') >= 0 && d <= 9) {
            m = m * 10 + d;
            s += m != 0 ? 1 : 0;
            p++;
        }
        mantissa = m;
        significant = s;
        next = p < end ? b[p] & 0xFF : -1;
        return p;
    }

    /**
     * How many of the word's bytes, from its first, are ASCII digits (8: all of them). A byte is a digit when its
     * high nibble is 3 both as it is and plus 6; a carry out of a byte reaches only later bytes, and only from a
     * byte that is not a digit, so the count is exact.
     */
    static int digitRun(long w) {
        long high = 0xF0F0F0F0F0F0F0F0L;
        long off = ((w & high) ^ THREES) | (((w + 0x0606060606060606L) & high) ^ THREES);
        return Long.numberOfTrailingZeros(off) >>> 3;
    }

    /**
     * The value of the word's first {@code n} bytes (1 to 8, all digits) as a decimal number: the digits moved to
     * the top of the word behind zeros, then joined in pairs, fours and eights by three multiplications, without
     * a branch a digit.
     */
    static long value(long w, int n) {
        long v = (w & 0x0F0F0F0F0F0F0F0FL) << (64 - 8 * n);
        v = (v * 2561) >>> 8;
        v = ((v & 0x00FF00FF00FF00FFL) * 6553601) >>> 16;
        return (((v & 0x0000FFFF0000FFFFL) * 42949672960001L) >>> 32) & 0xFFFFFFFFL;
    }

    /**
     * A reference of up to 9 digits at {@code p}, optionally negative, as written: {@code n} or {@code -n}; 0 if
     * it is not that simple form or is 0 (the general path judges those).
     */
    int reference(int p) {
        byte[] b = this.b;
        int end = this.end;
        if (p + 9 <= end) {
            // One read of the text for the sign and up to eight digits, and mostly for the byte after them too.
            long w = (long) WORD.get(b, p);
            boolean negative = (w & 0xFF) == '-';
            if (negative) {
                p++;
                w = (long) WORD.get(b, p);
            }
            int n = digitRun(w);
            if (n == 0) {
                return 0;
            }
            int v = (int) value(w, n);
            p += n;
            int c;
            if (n < 8) {
                c = (int) (w >>> (8 * n)) & 0xFF;
            } else {
                c = p < end ? b[p] & 0xFF : -1;
                if (c >= '0' && c <= '9') {
                    v = v * 10 + (c - '0');
                    p++;
                    c = p < end ? b[p] & 0xFF : -1;
                    if (c >= '0' && c <= '9') {
                        return 0;
                    }
                }
            }
            if (v == 0) {
                return 0;
            }
            scanEnd = p;
            scanNext = c;
            return negative ? -v : v;
        }
        boolean negative = p < end && b[p] == '-';
        if (negative) {
            p++;
        }
        int from = p;
        int v = 0;
        int d;
        while (p < end && p - from < 9 && (d = b[p] - '0') >= 0 && d <= 9) {
            v = v * 10 + d;
            p++;
        }
        if (p == from || v == 0 || (p < end && (d = b[p] - '0') >= 0 && d <= 9)) {
            return 0;
        }
        scanEnd = p;
        scanNext = p < end ? b[p] & 0xFF : -1;
        return negative ? -v : v;
    }

    /** The references of the corner {@link #corner} read last, as written: 0 where absent. */
    int cornerV;
    int cornerT;
    int cornerN;

    /**
     * The corner at {@code p} in the forms {@code v}, {@code v/vt}, {@code v//vn} and {@code v/vt/vn}, each
     * reference plain ({@link #reference}), ended by a delimiter or the text's end: its references as written in
     * {@link #cornerV}, {@link #cornerT} and {@link #cornerN}, and where it ends in {@link #scanEnd}; false for any
     * other form.
     */
    boolean corner(int p) {
        int v = reference(p);
        if (v == 0) {
            return false;
        }
        int from = p;
        p = scanEnd;
        // c: the byte at p (-1 at the text's end), mostly known from the scan without reading the text again.
        int c = scanNext;
        if (c == '/' && v > 0 && p - from <= 7 && p + 2 * (p - from) + 10 <= end && sameThrice(from, p - from)) {
            cornerV = v;
            cornerT = v;
            cornerN = v;
            scanEnd = p + 2 * (p - from) + 2;
            return true;
        }
        int vt = 0;
        int vn = 0;
        if (c == '/') {
            p++;
            c = p < end ? b[p] & 0xFF : -1;
            if (c >= 0 && c != '/') {
                vt = reference(p);
                if (vt == 0) {
                    return false;
                }
                p = scanEnd;
                c = scanNext;
            }
            if (c == '/') {
                vn = reference(p + 1);
                if (vn == 0) {
                    return false;
                }
                p = scanEnd;
                c = scanNext;
            }
        }
        if (c >= 0 && !isDelimiter((byte) c)) {
            return false;
        }
        cornerV = v;
        cornerT = vt;
        cornerN = vn;
        scanEnd = p;
        return true;
    }

    /**
     * Whether the corner at {@code p}, whose first reference is {@code n} digits (1 to 7) followed by a slash, is
     * {@code d/d/d} with the same digits three times, ended by a delimiter: what a writer of one index a vertex writes.
     * Two reads of the text compare the second and third references byte for byte with the first, so the corner
     * needs no second and third parse. The caller leaves 8 bytes of text after the third reference's first byte.
     */
    private boolean sameThrice(int p, int n) {
        long first = (long) WORD.get(b, p);
        long withSlash = -1L >>> (56 - 8 * n);
        if ((((long) WORD.get(b, p + n + 1) ^ first) & withSlash) != 0) {
            return false;
        }
        long third = (long) WORD.get(b, p + 2 * n + 2);
        return ((third ^ first) & (withSlash >>> 8)) == 0 && isDelimiter((byte) (third >>> (8 * n)));
    }

    /** A reference as written resolved against {@code count} items so far: 0-based, or -1 when out of range. */
    static int resolve(int written, int count) {
        int r = written < 0 ? count + written : written - 1;
        return r >= 0 && r < count ? r : -1;
    }
}
