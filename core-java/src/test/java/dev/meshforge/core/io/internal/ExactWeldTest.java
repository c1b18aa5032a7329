// ExactWeld against a plain map of coordinate bits: the same numbers, the first coordinates kept, -0 equal to 0.
package dev.meshforge.core.io.internal;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExactWeldTest {
    @Test
    void numbersVerticesInOrderOfFirstAppearanceAsAMapOfTheirBitsDoes() {
        Random random = new Random(17);
        // Coordinates drawn from a few values, zeros of both signs among them, so that many positions repeat
        // and the table grows several times past its first size (the hint is far too small on purpose).
        float[] values = {0f, -0f, 1f, -1f, 0.5f, 1e-30f, -1e-30f, 3.25f, Float.MIN_VALUE, -Float.MIN_VALUE,
                1024f, 7f / 3f};
        int corners = 200_000;
        float[] xyz = new float[corners * 3];
        for (int i = 0; i < xyz.length; i++) {
            xyz[i] = values[random.nextInt(values.length)] * (1 + random.nextInt(12));
        }
        ExactWeld weld = new ExactWeld(10, "test");
        Map<List<Integer>, Integer> reference = new HashMap<>();
        List<float[]> kept = new ArrayList<>();
        for (int c = 0; c < corners; c++) {
            float x = xyz[3 * c], y = xyz[3 * c + 1], z = xyz[3 * c + 2];
            List<Integer> key = List.of(Float.floatToIntBits(x + 0f), Float.floatToIntBits(y + 0f),
                    Float.floatToIntBits(z + 0f));
            Integer expected = reference.get(key);
            if (expected == null) {
                expected = reference.size();
                reference.put(key, expected);
                kept.add(new float[] {x, y, z});
            }
            assertEquals(expected, weld.add(x, y, z), "corner " + c);
        }
        assertEquals(reference.size(), weld.distinct());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, 3L * weld.distinct());
            weld.writeTo(out);
            for (int v = 0; v < kept.size(); v++) {
                for (int k = 0; k < 3; k++) {
                    // Bit for bit: the first corner's sign of zero is the one kept.
                    assertEquals(Float.floatToRawIntBits(kept.get(v)[k]),
                            Float.floatToRawIntBits(out.getAtIndex(ValueLayout.JAVA_FLOAT, 3L * v + k)),
                            "vertex " + v + " coordinate " + k);
                }
            }
        }
    }

    @Test
    void batchesNumberAsTheMapDoesWhileTheTableGrowsMidBatch() {
        Random random = new Random(23);
        float[] values = {0f, -0f, 1f, -1f, 0.5f, 1e-30f, 3.25f, -Float.MIN_VALUE, 1024f, 7f / 3f};
        int corners = 150_000;
        int[] bits = new int[corners * 3];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[random.nextInt(values.length)] * (1 + random.nextInt(15)));
        }
        ExactWeld weld = new ExactWeld(10, "test");
        Map<List<Integer>, Integer> reference = new HashMap<>();
        int[] batch = new int[3 * 5000];
        int[] numbers = new int[5000];
        // Batch sizes 0 to 4999 (a batch of thousands of new positions grows the table from 1024 slots within it).
        for (int c = 0; c < corners; ) {
            int n = Math.min(corners - c, random.nextInt(5000));
            System.arraycopy(bits, 3 * c, batch, 0, 3 * n);
            weld.addAll(batch, n, numbers);
            for (int i = 0; i < n; i++) {
                int at = 3 * (c + i);
                List<Integer> key = List.of(Float.floatToIntBits(Float.intBitsToFloat(bits[at]) + 0f),
                        Float.floatToIntBits(Float.intBitsToFloat(bits[at + 1]) + 0f),
                        Float.floatToIntBits(Float.intBitsToFloat(bits[at + 2]) + 0f));
                Integer expected = reference.get(key);
                if (expected == null) {
                    expected = reference.size();
                    reference.put(key, expected);
                }
                assertEquals(expected, numbers[i], "corner " + (c + i));
            }
            c += n;
        }
        assertEquals(reference.size(), weld.distinct());
    }

    @Test
    void minusZeroAndZeroAreOneVertexWithTheFirstSignKept() {
        ExactWeld weld = new ExactWeld(6, "test");
        assertEquals(0, weld.add(-0f, 1f, 0f));
        assertEquals(0, weld.add(0f, 1f, -0f));
        assertEquals(1, weld.add(0f, -1f, 0f));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, 6);
            weld.writeTo(out);
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(out.getAtIndex(ValueLayout.JAVA_FLOAT, 0)));
            assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(out.getAtIndex(ValueLayout.JAVA_FLOAT, 2)));
        }
    }

    @Test
    void twoHalvesAppendedNumberAsAMapOfTheWholeDoes() {
        Random random = new Random(5);
        int corners = 100_000;
        int half = corners / 2;
        int[] bits = new int[corners * 3];
        for (int i = 0; i < bits.length; i++) {
            // The second half draws from more values: positions it alone has, and positions both have.
            float v = (random.nextInt(i < half * 3 ? 30 : 40) - 15) * 0.5f;
            bits[i] = Float.floatToRawIntBits(v == 0 && random.nextBoolean() ? -0f : v);
        }
        Map<List<Integer>, Integer> reference = new HashMap<>();
        int[] expected = new int[corners];
        for (int c = 0; c < corners; c++) {
            List<Integer> key = List.of(zero(bits[3 * c]), zero(bits[3 * c + 1]), zero(bits[3 * c + 2]));
            expected[c] = reference.computeIfAbsent(key, k -> reference.size());
        }
        ExactWeld first = new ExactWeld(half, corners, "test");
        ExactWeld later = new ExactWeld(corners - half, "test");
        int[] numbers = new int[corners];
        for (int c = 0; c < corners; c++) {
            ExactWeld weld = c < half ? first : later;
            numbers[c] = weld.addBits(bits[3 * c], bits[3 * c + 1], bits[3 * c + 2]);
        }
        int[] to = first.append(later);
        for (int c = 0; c < corners; c++) {
            assertEquals(expected[c], c < half ? numbers[c] : to[numbers[c]], "corner " + c);
        }
        assertEquals(reference.size(), first.distinct());
        assertThrows(IllegalStateException.class, () -> first.addBits(0, 0, 0));
    }

    @Test
    void positionsLieInTheCallersMemoryAndMoveToALargerBufferWhenTheFirstFills() {
        // 3000 corners, every one a new position (an open mesh): the first buffer has room for a fifth of them
        // (616 positions), the next for all 3000 (+ 16); the positions end in the second, the first left behind.
        int corners = 3000;
        try (Arena arena = Arena.ofConfined()) {
            List<Long> asked = new ArrayList<>();
            List<MemorySegment> given = new ArrayList<>();
            ExactWeld weld = new ExactWeld(corners, corners, (bytes, alignment) -> {
                asked.add(bytes);
                MemorySegment m = arena.allocate(bytes, alignment);
                m.fill((byte) 0x5A); // not zero: the weld must write all it reads
                given.add(m);
                return m;
            }, "test");
            for (int c = 0; c < corners; c++) {
                assertEquals(c, weld.add(c, -c, 0.5f * c));
            }
            // Again, each a vertex met before: the same numbers, nothing added.
            for (int c = 0; c < corners; c++) {
                assertEquals(c, weld.add(c, -c, 0.5f * c));
            }
            assertEquals(List.of(12L * 616, 12L * 3016), asked);
            MemorySegment positions = weld.positions();
            assertEquals(12L * corners, positions.byteSize());
            assertEquals(given.get(1).address(), positions.address());
            for (int c = 0; c < corners; c++) {
                assertEquals(c, positions.getAtIndex(ValueLayout.JAVA_FLOAT, 3L * c));
                assertEquals(-c, positions.getAtIndex(ValueLayout.JAVA_FLOAT, 3L * c + 1));
                assertEquals(0.5f * c, positions.getAtIndex(ValueLayout.JAVA_FLOAT, 3L * c + 2));
            }
        }
    }

    private static int zero(int bits) {
        return bits << 1 == 0 ? 0 : bits;
    }
}
