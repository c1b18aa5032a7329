// NativeLayouts.field: each field read and written at the offset C gives it, with a VarHandle's widening and no more.
package dev.meshforge.core.kernel.internal;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FieldTest {
    /** struct { int32 a; float f; int64 b; double d[3]; void *p; struct { int32 x; int32 y; } inner; } on x86-64. */
    private static final StructLayout INNER = MemoryLayout.structLayout(JAVA_INT.withName("x"), JAVA_INT.withName("y"));
    private static final StructLayout S = MemoryLayout.structLayout(JAVA_INT.withName("a"), JAVA_FLOAT.withName("f"),
            JAVA_LONG.withName("b"), MemoryLayout.sequenceLayout(3, JAVA_DOUBLE).withName("d"),
            ADDRESS.withName("p"), INNER.withName("inner"));

    @Test
    void everyFieldIsWrittenAndReadAtItsCOffset() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(S);
            MemorySegment target = arena.allocate(8);
            NativeLayouts.field(S, "a").set(s, 7);
            NativeLayouts.field(S, "b").set(s, 1L << 40);
            for (int i = 0; i < 3; i++) {
                NativeLayouts.field(S, "d[]").set(s, i, 0.5 + i);
            }
            NativeLayouts.field(S, "p").set(s, target);
            NativeLayouts.field(S, "inner.y").set(s, -3);
            // offsets by hand: a 0, f 4, b 8, d 16/24/32, p 40, inner.x 48, inner.y 52
            assertEquals(7, s.get(JAVA_INT, 0));
            assertEquals(1L << 40, s.get(JAVA_LONG, 8));
            assertEquals(0.5, s.get(JAVA_DOUBLE, 16));
            assertEquals(2.5, s.get(JAVA_DOUBLE, 32));
            assertEquals(target.address(), s.get(ADDRESS, 40).address());
            assertEquals(-3, s.get(JAVA_INT, 52));
            s.set(JAVA_FLOAT, 4, 1.25f);
            assertEquals(7, NativeLayouts.field(S, "a").getInt(s));
            assertEquals(1.25, NativeLayouts.field(S, "f").getDouble(s));
            assertEquals(1.5, NativeLayouts.field(S, "d[]").getDouble(s, 1));
            assertEquals(target.address(), NativeLayouts.field(S, "p").getAddress(s).address());
            assertEquals(-3, NativeLayouts.field(S, "inner.y").getLong(s)); // an int read as a long, as a VarHandle
            NativeLayouts.field(S, "b").set(s, 5); // an int written to an int64, as a VarHandle
            assertEquals(5, s.get(JAVA_LONG, 8));
        }
    }

    @Test
    void aValueOfTheWrongKindIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(S);
            assertThrows(IllegalArgumentException.class, () -> NativeLayouts.field(S, "a").set(s, 1L << 40));
            assertThrows(IllegalArgumentException.class, () -> NativeLayouts.field(S, "b").getInt(s));
            assertThrows(IllegalArgumentException.class, () -> NativeLayouts.field(S, "a").set(s, 1.0));
            assertThrows(IllegalArgumentException.class, () -> NativeLayouts.field(S, "p").getLong(s));
        }
    }
}
