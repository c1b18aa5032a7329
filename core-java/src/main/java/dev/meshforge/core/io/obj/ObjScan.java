// The plain number and corner-reference forms of OBJ text, scanned from bytes without allocating.
package dev.meshforge.core.io.obj;

import dev.meshforge.core.io.text.DecimalParser;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Scans the two forms nearly every exporter writes, the short decimal ({@code -12.345}) and the corner reference
 * ({@code 12}, {@code -3}), for the cursor ({@link ObjText}) and for the parsers of a large file's slices
 * ({@link ObjChunk}) alike, so both read the same bytes to the same values. One instance per thread: the results
 * are left in fields.
 */
final class ObjScan {
    private static final ValueLayout.OfByte B = ValueLayout.JAVA_BYTE;
    /** Eight bytes of the text, the first in the lowest bits. */
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    final MemorySegment b;
    final int end;
    /** The number {@link #number} read. */
    double value;
    /** Where the last successful scan stopped. */
    int scanEnd;

    ObjScan(MemorySegment b, int end) {
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
        MemorySegment b = this.b;
        int end = this.end;
        boolean negative = p < end && b.get(B, p) == '-';
        if (negative) {
            p++;
        }
        mantissa = 0;
        significant = 0;
        int exponent = 0;
        int from = p;
        p = digits(b, end, p);
        boolean any = p > from;
        if (p < end && b.get(B, p) == '.') {
            p++;
            int after = p;
            p = digits(b, end, p);
            exponent = after - p;
            any |= p > after;
        }
        if (any && significant <= 15 && exponent >= -22 && (p >= end || isDelimiter(b.get(B, p)))) {
            double v = DecimalParser.scaled(mantissa, exponent);
            value = negative ? -v : v;
            scanEnd = p;
            return true;
        }
        return false;
    }

    /** The digits {@link #digits} has read so far, and how many of them count (from the first that is not 0). */
    private long mantissa;
    private int significant;

    /**
     * Reads the run of digits from {@code p} into {@link #mantissa} and {@link #significant}, eight bytes at a time
     * where eight remain (one read of the text instead of eight); where the run ends.
     */
    private int digits(MemorySegment b, int end, int p) {
        long m = mantissa;
        int s = significant;
        while (p + 8 <= end) {
            long w = b.get(WORD, p);
            int n = digitRun(w);
            for (int k = 0; k < n; k++) {
                m = m * 10 + ((w >>> (k << 3)) & 0xF);
                s += m != 0 ? 1 : 0;
            }
            p += n;
            if (n < 8) {
                mantissa = m;
                significant = s;
                return p;
            }
        }
        int d;
        while (p < end && (d = b.get(B, p) - '0') >= 0 && d <= 9) {
            m = m * 10 + d;
            s += m != 0 ? 1 : 0;
            p++;
        }
        mantissa = m;
        significant = s;
        return p;
    }

    /**
     * How many of the word's bytes, from its first, are ASCII digits (8: all of them). A byte is a digit when its
     * high nibble is 3 both as it is and plus 6; a carry out of a byte reaches only later bytes, and only from a
     * byte that is not a digit, so the count is exact.
     */
    static int digitRun(long w) {
        long high = 0xF0F0F0F0F0F0F0F0L;
        long threes = 0x3030303030303030L;
        long off = ((w & high) ^ threes) | (((w + 0x0606060606060606L) & high) ^ threes);
        return Long.numberOfTrailingZeros(off) >>> 3;
    }

    /**
     * A reference of up to 9 digits at {@code p}, optionally negative, as written: {@code n} or {@code -n}; 0 if
     * it is not that simple form or is 0 (the general path judges those).
     */
    int reference(int p) {
        MemorySegment b = this.b;
        int end = this.end;
        boolean negative = p < end && b.get(B, p) == '-';
        if (negative) {
            p++;
        }
        int from = p;
        int v = 0;
        int d;
        if (p + 8 <= end) {
            long w = b.get(WORD, p);
            int n = digitRun(w);
            for (int k = 0; k < n; k++) {
                v = v * 10 + (int) ((w >>> (k << 3)) & 0xF);
            }
            p += n;
            if (n == 8 && p < end && (d = b.get(B, p) - '0') >= 0 && d <= 9) {
                v = v * 10 + d;
                p++;
            }
        } else {
            while (p < end && p - from < 9 && (d = b.get(B, p) - '0') >= 0 && d <= 9) {
                v = v * 10 + d;
                p++;
            }
        }
        if (p == from || v == 0 || (p < end && (d = b.get(B, p) - '0') >= 0 && d <= 9)) {
            return 0;
        }
        scanEnd = p;
        return negative ? -v : v;
    }

    /** A reference as written resolved against {@code count} items so far: 0-based, or -1 when out of range. */
    static int resolve(int written, int count) {
        int r = written < 0 ? count + written : written - 1;
        return r >= 0 && r < count ? r : -1;
    }
}
