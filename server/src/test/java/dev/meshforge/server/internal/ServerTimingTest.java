package dev.meshforge.server.internal;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Server-Timing's durations: milliseconds with three decimals, as {@code String.format("%.3f")} wrote them. */
class ServerTimingTest {
    @Test
    void durationsReadAsFormatWroteThem() {
        assertEquals("0.000", Api.millis(0));
        assertEquals("0.000", Api.millis(-7));
        assertEquals("0.005", Api.millis(5_000));
        assertEquals("0.050", Api.millis(49_800));
        assertEquals("1.235", Api.millis(1_234_567));
        assertEquals("12.340", Api.millis(12_340_000));
        assertEquals("10296.910", Api.millis(10_296_910_000L));
        SplittableRandom random = new SplittableRandom(16);
        for (int i = 0; i < 100_000; i++) {
            long nanos = random.nextLong(1L << random.nextInt(1, 40));
            if (nanos % 1000 == 500) {
                continue;   // a half microsecond: the double the format was given may lie either side of it
            }
            assertEquals(String.format(Locale.ROOT, "%.3f", nanos / 1e6), Api.millis(nanos), "nanos " + nanos);
        }
    }
}
