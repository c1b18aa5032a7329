// Fast decimal-to-double parsing straight from bytes, exact for the common short forms.
package dev.meshforge.core.io.text;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Parses decimal numbers ({@code -1.5}, {@code 2e-3}, {@code .5}, {@code 7.}, {@code +3E+02}) from bytes.
 * Up to 15 significant digits and a power of ten within ±22 the result is correctly rounded by one IEEE
 * operation; longer forms go through {@link Double#parseDouble}. {@code nan}, {@code inf} and
 * {@code infinity} in any case are read as such; anything else that is not a number gives
 * {@link Double#NaN} together with {@link #isNumber} false.
 */
public final class DecimalParser {
    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private DecimalParser() {
    }

    /** Whether bytes [start, end) form a number this parser accepts (including nan and inf). */
    public static boolean isNumber(MemorySegment s, long start, long end) {
        return !Double.isNaN(parse(s, start, end)) || isNanWord(s, start, end);
    }

    private static boolean isNanWord(MemorySegment s, long start, long end) {
        long i = start;
        if (i < end && (s.get(ValueLayout.JAVA_BYTE, i) == '-' || s.get(ValueLayout.JAVA_BYTE, i) == '+')) {
            i++;
        }
        return end - i == 3 && (s.get(ValueLayout.JAVA_BYTE, i) | 0x20) == 'n'
                && (s.get(ValueLayout.JAVA_BYTE, i + 1) | 0x20) == 'a'
                && (s.get(ValueLayout.JAVA_BYTE, i + 2) | 0x20) == 'n';
    }

    public static double parse(MemorySegment s, long start, long end) {
        long i = start;
        if (i >= end) {
            return Double.NaN;
        }
        boolean negative = false;
        byte b = s.get(ValueLayout.JAVA_BYTE, i);
        if (b == '-' || b == '+') {
            negative = b == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int exponent = 0;
        boolean any = false;
        while (i < end && (b = s.get(ValueLayout.JAVA_BYTE, i)) >= '0' && b <= '9') {
            any = true;
            if (digits < 18) {
                if (mantissa != 0 || b != '0') {
                    digits++;
                }
                mantissa = mantissa * 10 + (b - '0');
            } else {
                exponent++;
                digits++;
            }
            i++;
        }
        if (i < end && s.get(ValueLayout.JAVA_BYTE, i) == '.') {
            i++;
            while (i < end && (b = s.get(ValueLayout.JAVA_BYTE, i)) >= '0' && b <= '9') {
                any = true;
                if (digits < 18) {
                    if (mantissa != 0 || b != '0') {
                        digits++;
                    }
                    mantissa = mantissa * 10 + (b - '0');
                    exponent--;
                } else {
                    digits++;
                }
                i++;
            }
        }
        if (!any) {
            return special(s, start, end);
        }
        if (i < end && (s.get(ValueLayout.JAVA_BYTE, i) | 0x20) == 'e') {
            i++;
            boolean expNegative = false;
            if (i < end && ((b = s.get(ValueLayout.JAVA_BYTE, i)) == '-' || b == '+')) {
                expNegative = b == '-';
                i++;
            }
            int e = 0;
            boolean expDigits = false;
            while (i < end && (b = s.get(ValueLayout.JAVA_BYTE, i)) >= '0' && b <= '9') {
                expDigits = true;
                if (e < 100_000) {
                    e = e * 10 + (b - '0');
                }
                i++;
            }
            if (!expDigits) {
                return Double.NaN;
            }
            exponent += expNegative ? -e : e;
        }
        if (i != end) {
            return Double.NaN;
        }
        double value;
        if (digits <= 15 && exponent >= -22 && exponent <= 22) {
            value = exponent >= 0 ? mantissa * POW10[exponent] : mantissa / POW10[-exponent];
        } else {
            value = slow(s, start, end);
            return value;
        }
        return negative ? -value : value;
    }

    /**
     * {@code mantissa} x 10^{@code exponent} for a mantissa of at most 15 significant digits and an exponent in
     * [-22, 22]: one IEEE operation, so the same correctly rounded value {@link #parse} gives for that form.
     */
    public static double scaled(long mantissa, int exponent) {
        return exponent >= 0 ? mantissa * POW10[exponent] : mantissa / POW10[-exponent];
    }

    private static double slow(MemorySegment s, long start, long end) {
        byte[] bytes = new byte[(int) Math.min(end - start, 4096)];
        s.asSlice(start, bytes.length).asByteBuffer().get(bytes);
        try {
            return Double.parseDouble(new String(bytes, StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static double special(MemorySegment s, long start, long end) {
        long i = start;
        boolean negative = false;
        byte b = s.get(ValueLayout.JAVA_BYTE, i);
        if (b == '-' || b == '+') {
            negative = b == '-';
            i++;
        }
        long len = end - i;
        if (len == 3 || len == 8) {
            StringBuilder w = new StringBuilder();
            for (long k = i; k < end; k++) {
                w.append((char) (s.get(ValueLayout.JAVA_BYTE, k) | 0x20));
            }
            String word = w.toString();
            if (word.equals("inf") || word.equals("infinity")) {
                return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
        }
        return Double.NaN;
    }
}
