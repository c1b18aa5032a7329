// Our byte-level number parser against the JDK's Double.parseDouble on many forms.
package dev.meshforge.core.io.text;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecimalParserTest {
    private static double parse(String s) {
        try (Arena a = Arena.ofConfined()) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            MemorySegment m = a.allocate(Math.max(1, b.length));
            MemorySegment.copy(b, 0, m, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, b.length);
            return DecimalParser.parse(m, 0, b.length);
        }
    }

    @Test
    void agreesWithTheJdkOnRandomNumbersInManyForms() {
        Random r = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            double v = switch (i % 5) {
                case 0 -> r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);
                case 1 -> r.nextInt(2_000_000) - 1_000_000;
                case 2 -> (float) r.nextGaussian();
                case 3 -> r.nextDouble();
                default -> Double.longBitsToDouble(r.nextLong());
            };
            if (!Double.isFinite(v)) {
                continue;
            }
            for (String s : new String[] {Double.toString(v), Float.toString((float) v),
                    String.format(Locale.ROOT, "%.6e", v), String.format(Locale.ROOT, "%f", v)}) {
                assertEquals(Double.parseDouble(s), parse(s), s);
            }
        }
    }

    @Test
    void acceptsTheShortFormsFilesUse() {
        assertEquals(0.5, parse(".5"));
        assertEquals(7.0, parse("7."));
        assertEquals(300.0, parse("+3E+02"));
        assertEquals(-0.0, parse("-0"));
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(parse("-0.000")));
        assertEquals(1.0e-30, parse("1e-30"));
        assertEquals(Double.POSITIVE_INFINITY, parse("inf"));
        assertEquals(Double.NEGATIVE_INFINITY, parse("-Infinity"));
    }

    @Test
    void refusesWhatIsNotANumber() {
        for (String s : new String[] {"", "-", ".", "e5", "1e", "1.2.3", "12abc", "zero", "1.#INF", "--1"}) {
            assertTrue(Double.isNaN(parse(s)), s);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocateFrom("nan");
            assertTrue(DecimalParser.isNumber(m, 0, 3));
            MemorySegment z = a.allocateFrom("zero");
            assertFalse(DecimalParser.isNumber(z, 0, 4));
        }
    }
}
