// The finiteness checks every reader's output passes: each NaN or infinity found, wherever it sits.
package dev.meshforge.core.scene;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VertexAttributeTest {
    /** 10,000 vertices of 3 components: 30,000 values, across several of the chunks the check takes at a time. */
    private static final int VERTICES = 10_000;

    private static VertexAttribute filled(Arena arena) {
        MemorySegment s = arena.allocate((long) VERTICES * 3 * Float.BYTES);
        float[] extremes = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -0f, 1e-40f, 0.5f};
        for (int i = 0; i < VERTICES * 3; i++) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT, i, extremes[i % extremes.length]);
        }
        return new VertexAttribute(VertexAttribute.NORMAL, 3, VERTICES, s);
    }

    @Test
    void finiteValuesOnlyHaveNoneToReport() {
        try (Arena arena = Arena.ofConfined()) {
            VertexAttribute a = filled(arena);
            assertEquals(-1, a.firstNonFinite());
            assertEquals(0, a.zeroNonFinite());
        }
    }

    @Test
    void eachNonFiniteValueIsFoundAtItsVertexWhereverItSits() {
        int[] at = {0, 8191, 8192, 8193, 16_385, VERTICES * 3 - 1};
        float[] kinds = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7F800001),
                Float.intBitsToFloat(0xFFC00000), Float.NaN};
        for (int k = 0; k < at.length; k++) {
            try (Arena arena = Arena.ofConfined()) {
                VertexAttribute a = filled(arena);
                a.data().setAtIndex(ValueLayout.JAVA_FLOAT, at[k], kinds[k]);
                assertEquals(at[k] / 3, a.firstNonFinite(), "value " + at[k]);
                assertEquals(1, a.zeroNonFinite(), "value " + at[k]);
                assertEquals(0f, a.data().getAtIndex(ValueLayout.JAVA_FLOAT, at[k]));
                assertEquals(-1, a.firstNonFinite());
            }
        }
    }

    @Test
    void everyNonFiniteValueIsZeroedAndCounted() {
        try (Arena arena = Arena.ofConfined()) {
            VertexAttribute a = filled(arena);
            for (int i = 5; i < VERTICES * 3; i += 7) {
                a.data().setAtIndex(ValueLayout.JAVA_FLOAT, i, i % 2 == 0 ? Float.NaN : Float.NEGATIVE_INFINITY);
            }
            assertEquals(5 / 3, a.firstNonFinite());
            assertEquals((VERTICES * 3 - 5 + 6) / 7, a.zeroNonFinite());
            assertEquals(-1, a.firstNonFinite());
        }
    }
}
