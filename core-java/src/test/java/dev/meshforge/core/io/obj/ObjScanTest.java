// The word-at-a-time digit scans of ObjScan against a byte-at-a-time reading of the same text.
package dev.meshforge.core.io.obj;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjScanTest {
    @Test
    void aDigitRunEndsAtTheFirstByteThatIsNoDigitWhateverFollows() {
        Random random = new Random(17);
        for (int at = 0; at < 8; at++) {
            for (int c = 0; c < 256; c++) {
                for (int trial = 0; trial < 8; trial++) {
                    long w = 0;
                    for (int k = 0; k < 8; k++) {
                        long b = k < at ? '0' + random.nextInt(10) : k == at ? c : random.nextInt(256);
                        w |= b << (8 * k);
                    }
                    boolean digit = c >= '0' && c <= '9';
                    int expected = digit ? runOf(w) : at;
                    assertEquals(expected, ObjScan.digitRun(w),
                            "byte " + c + " at " + at + " in " + Long.toHexString(w));
                }
            }
        }
        assertEquals(8, ObjScan.digitRun(0x3938373635343332L));
    }

    @Test
    void theValueOfADigitRunIsItsDecimalNumber() {
        Random random = new Random(31);
        for (int trial = 0; trial < 20_000; trial++) {
            int n = 1 + random.nextInt(8);
            long w = 0;
            long expected = 0;
            for (int k = 0; k < 8; k++) {
                int digit = random.nextInt(10);
                long b = k < n ? '0' + digit : random.nextInt(256);
                w |= b << (8 * k);
                expected = k < n ? expected * 10 + digit : expected;
            }
            assertEquals(expected, ObjScan.value(w, n), Long.toHexString(w) + " over " + n);
        }
        assertEquals(99_999_999L, ObjScan.value(0x3939393939393939L, 8));
    }

    @Test
    void numbersReadAWordAtATimeMatchTheirDecimalValue() {
        String[] texts = {"0", "7", "-1.5", "123456789012345", "1234567890123456", "0.000000000000000000001",
            "0.0000000000000000000001", "12345678.87654321", "-00000000000001.25", "3.", ".5", "-.", "1e5", "12345678",
            "123456789", "99999999.9", "1.0000000000000000000000000000001", "0.00000001234567", "000000000.1",
            "100000000000000", "1000000000000000", "0.000000000000001", "-9.87654321098765", "12.3456789012345"};
        for (String text : texts) {
            for (String tail : new String[] {"", " ", "\n", "x", " 2 3 4 5 6 7 8 9"}) {
                ObjScan scan = scanOf(text + tail);
                boolean plain = scan.number(0);
                String digits = text.replace("-", "").replace(".", "");
                boolean expectedPlain = !text.equals("-.") && !text.contains("e") && !tail.equals("x")
                        && significant(digits) <= 15 && fraction(text) <= 22 && !digits.isEmpty();
                assertEquals(expectedPlain, plain, "'" + text + tail + "'");
                if (plain) {
                    assertEquals(Double.parseDouble(text), scan.value, text);
                    assertEquals(text.length(), scan.scanEnd, text);
                }
            }
        }
    }

    /**
     * Random decimals of every short shape (sign, 0 to 10 digits, a point, 0 to 10 digits after it, sometimes an
     * exponent, then a delimiter, another byte or the end): read with 16 bytes or more left (the two-word form)
     * and with none (the digit loop), each must be plain exactly when the form allows, and then equal to
     * Double.parseDouble's value, as a float equal to Float.parseFloat's where the double rounds to the same float.
     */
    @Test
    void shortDecimalsReadFromTwoWordsMatchParseDoubleAndTheDigitLoop() {
        Random random = new Random(5);
        String delimiters = " \t\n\r";
        for (int trial = 0; trial < 200_000; trial++) {
            StringBuilder t = new StringBuilder();
            if (random.nextInt(3) == 0) {
                t.append('-');
            }
            int whole = random.nextInt(11);
            for (int k = 0; k < whole; k++) {
                t.append((char) ('0' + (k == 0 && random.nextBoolean() ? 0 : random.nextInt(10))));
            }
            int fraction = 0;
            if (random.nextInt(4) != 0) {
                t.append('.');
                fraction = random.nextInt(11);
                for (int k = 0; k < fraction; k++) {
                    // Round-half-even cases: runs ending in 5 and 0s.
                    t.append((char) ('0' + (random.nextInt(4) == 0 ? 5 : random.nextInt(4) == 0 ? 0 : random.nextInt(10))));
                }
            }
            boolean exponent = random.nextInt(20) == 0;
            if (exponent) {
                t.append('e').append(random.nextInt(30) - 15);
            }
            String text = t.toString();
            String digits = text.replace("-", "").replace(".", "");
            boolean number = whole + fraction > 0;
            int next = random.nextInt(6);
            String tail = next == 0 ? "" : next == 1 ? "x" : String.valueOf(delimiters.charAt(random.nextInt(4)));
            boolean expectedPlain = number && !exponent && !tail.equals("x") && significant(digits) <= 15
                    && fraction <= 22;
            ObjScan loop = scanOf(text + tail, 0);
            ObjScan words = scanOf(text + tail, 16);
            boolean plainLoop = loop.number(0);
            boolean plainWords = words.number(0);
            String what = "'" + text + tail + "'";
            assertEquals(expectedPlain, plainLoop, what + " read digit by digit");
            assertEquals(expectedPlain, plainWords, what + " read from two words");
            if (expectedPlain) {
                double expected = Double.parseDouble(text);
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(words.value), what);
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(loop.value), what);
                assertEquals(text.length(), words.scanEnd, what);
                assertEquals(tail.isEmpty() ? ' ' : tail.charAt(0), words.scanNext, what);
                if ((double) (float) expected == expected) {
                    assertEquals(Float.parseFloat(text), (float) words.value, what);
                }
            }
        }
    }

    @Test
    void referencesOfUpToNineDigitsAreReadAtEveryDistanceFromTheEnd() {
        for (String ref : new String[] {"1", "-3", "12345678", "-12345678", "123456789", "-123456789"}) {
            for (String tail : new String[] {"", "/", " 1 2 3 4 5 6 7 8", "//7 8 9 10 11"}) {
                ObjScan scan = scanOf(ref + tail);
                assertEquals(Integer.parseInt(ref), scan.reference(0), ref + tail);
                assertEquals(ref.length(), scan.scanEnd, ref + tail);
            }
        }
        assertEquals(0, scanOf("1234567890").reference(0), "ten digits are the general path's");
        assertEquals(0, scanOf("1234567890 1 2 3 4").reference(0), "ten digits are the general path's");
        assertEquals(0, scanOf("0 1 2 3 4 5 6 7").reference(0), "0 is the general path's");
        assertEquals(0, scanOf("x").reference(0));
        assertFalse(scanOf("-").number(0));
        assertTrue(scanOf("5").number(0));
    }

    @Test
    void aCornerOfOneReferenceThriceIsReadAsWrittenAndNearMissesAsTheirOwnReferences() {
        // corner text, then its references v vt vn as written (0: absent), or null where it is no plain corner
        String[][] cases = {
            {"12/12/12", "12 12 12"}, {"1/1/1", "1 1 1"}, {"1234567/1234567/1234567", "1234567 1234567 1234567"},
            {"12345678/12345678/12345678", "12345678 12345678 12345678"}, {"12/12/13", "12 12 13"},
            {"12/13/12", "12 13 12"}, {"12/12/123", "12 12 123"}, {"12/123/12", "12 123 12"},
            {"12/1/12", "12 1 12"}, {"7/7/77", "7 7 77"}, {"77/7/77", "77 7 77"}, {"012/12/12", "12 12 12"},
            {"12/012/12", "12 12 12"}, {"12/12/012", "12 12 12"}, {"-1/-1/-1", "-1 -1 -1"}, {"12//12", "12 0 12"},
            {"12/12", "12 12 0"}, {"12/12/12/", null}, {"12/12/12x", null}, {"12/12/1x", null}
        };
        for (String[] c : cases) {
            for (String tail : new String[] {"", " 1 2 3 4 5 6 7 8 9 10", "\t1/1/1\n", "\r\n"}) {
                String text = c[0] + tail;
                ObjScan scan = scanOf(text);
                if (c[1] == null) {
                    assertFalse(scan.corner(0), text);
                    continue;
                }
                assertTrue(scan.corner(0), text);
                assertEquals(c[1], scan.cornerV + " " + scan.cornerT + " " + scan.cornerN, text);
                assertEquals(c[0].length(), scan.scanEnd, text);
            }
        }
    }

    private static ObjScan scanOf(String text) {
        return scanOf(text, 0);
    }

    /**
     * The text, then {@code room} spaces inside the scan's end (so that the text's own end is not the scan's), and
     * digits past that end, as in a slice's copy larger than the slice: the scan must stop at the end it is given.
     */
    private static ObjScan scanOf(String text, int room) {
        byte[] bytes = (text + " ".repeat(room)).getBytes(StandardCharsets.US_ASCII);
        byte[] copy = java.util.Arrays.copyOf(bytes, bytes.length + 16);
        java.util.Arrays.fill(copy, bytes.length, copy.length, (byte) '7');
        return new ObjScan(copy, bytes.length);
    }

    private static int runOf(long w) {
        int n = 0;
        while (n < 8 && ((w >>> (8 * n)) & 0xFF) >= '0' && ((w >>> (8 * n)) & 0xFF) <= '9') {
            n++;
        }
        return n;
    }

    private static int significant(String digits) {
        String s = digits.replaceFirst("^0+", "");
        return s.length();
    }

    private static int fraction(String text) {
        int dot = text.indexOf('.');
        return dot < 0 ? 0 : text.length() - dot - 1;
    }
}
