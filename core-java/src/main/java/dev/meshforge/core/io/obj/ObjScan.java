// The plain number and corner-reference forms of OBJ text, scanned from bytes without allocating.
package dev.meshforge.core.io.obj;

import dev.meshforge.core.io.text.DecimalParser;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Scans the two forms nearly every exporter writes, the short decimal ({@code -12.345}) and the corner reference
 * ({@code 12}, {@code -3}), for the cursor ({@link ObjText}) and for the parsers of a large file's slices
 * ({@link ObjChunk}) alike, so both read the same bytes to the same values. One instance per thread: the results
 * are left in fields.
 */
final class ObjScan {
    private static final ValueLayout.OfByte B = ValueLayout.JAVA_BYTE;

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
        boolean negative = p < end && b.get(B, p) == '-';
        if (negative) {
            p++;
        }
        long mantissa = 0;
        int digits = 0;
        int exponent = 0;
        int from = p;
        int d;
        while (p < end && (d = b.get(B, p) - '0') >= 0 && d <= 9) {
            mantissa = mantissa * 10 + d;
            digits += mantissa != 0 ? 1 : 0;
            p++;
        }
        boolean any = p > from;
        if (p < end && b.get(B, p) == '.') {
            p++;
            int after = p;
            while (p < end && (d = b.get(B, p) - '0') >= 0 && d <= 9) {
                mantissa = mantissa * 10 + d;
                digits += mantissa != 0 ? 1 : 0;
                p++;
            }
            exponent = after - p;
            any |= p > after;
        }
        if (any && digits <= 15 && exponent >= -22 && (p >= end || isDelimiter(b.get(B, p)))) {
            double v = DecimalParser.scaled(mantissa, exponent);
            value = negative ? -v : v;
            scanEnd = p;
            return true;
        }
        return false;
    }

    /**
     * A reference of up to 9 digits at {@code p}, optionally negative, as written: {@code n} or {@code -n}; 0 if
     * it is not that simple form or is 0 (the general path judges those).
     */
    int reference(int p) {
        boolean negative = p < end && b.get(B, p) == '-';
        if (negative) {
            p++;
        }
        int from = p;
        int v = 0;
        int d;
        while (p < end && p - from < 9 && (d = b.get(B, p) - '0') >= 0 && d <= 9) {
            v = v * 10 + d;
            p++;
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
