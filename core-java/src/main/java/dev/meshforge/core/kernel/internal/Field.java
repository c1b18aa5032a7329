// One field of a kernel struct, read and written at its offset through the plain value layouts.
package dev.meshforge.core.kernel.internal;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A field at a fixed offset of a struct (an array field: its first element, {@code stride} bytes apart), accessed
 * with {@link MemorySegment#get(ValueLayout.OfInt, long)} and its kin. A VarHandle a field (what
 * {@link MemoryLayout#varHandle} makes) costs each its own method-handle adaptations, spun as classes when the kernel's
 * Java face is first used, tens of milliseconds of every command line's start; these share the value layouts' few.
 * Widening is as a VarHandle's: an int may be written to and a long read from an int64 or int32 field, a double read
 * from a float; anything else is refused.
 */
public final class Field {
    private final String name;
    private final ValueLayout layout;
    private final long offset;
    private final long stride;

    Field(String name, ValueLayout layout, long offset, long stride) {
        this.name = name;
        this.layout = layout;
        this.offset = offset;
        this.stride = stride;
    }

    public void set(MemorySegment s, int value) {
        if (layout instanceof ValueLayout.OfInt l) {
            s.set(l, offset, value);
        } else {
            set(s, (long) value);
        }
    }

    public void set(MemorySegment s, long value) {
        s.set(as(ValueLayout.OfLong.class, "long"), offset, value);
    }

    public void set(MemorySegment s, double value) {
        set(s, 0, value);
    }

    /** Element {@code index} of an array of doubles. */
    public void set(MemorySegment s, long index, double value) {
        s.set(as(ValueLayout.OfDouble.class, "double"), offset + index * stride, value);
    }

    public void set(MemorySegment s, MemorySegment value) {
        s.set(as(AddressLayout.class, "address"), offset, value);
    }

    public int getInt(MemorySegment s) {
        return s.get(as(ValueLayout.OfInt.class, "int"), offset);
    }

    public long getLong(MemorySegment s) {
        if (layout instanceof ValueLayout.OfInt l) {
            return s.get(l, offset);
        }
        return s.get(as(ValueLayout.OfLong.class, "long"), offset);
    }

    public double getDouble(MemorySegment s) {
        return getDouble(s, 0);
    }

    /** Element {@code index} of an array of doubles (or floats). */
    public double getDouble(MemorySegment s, long index) {
        if (layout instanceof ValueLayout.OfFloat l) {
            return s.get(l, offset + index * stride);
        }
        return s.get(as(ValueLayout.OfDouble.class, "double"), offset + index * stride);
    }

    public MemorySegment getAddress(MemorySegment s) {
        return s.get(as(AddressLayout.class, "address"), offset);
    }

    private <L extends ValueLayout> L as(Class<L> kind, String what) {
        if (!kind.isInstance(layout)) {
            throw new IllegalArgumentException("field " + name + " is " + layout + ", not " + what);
        }
        return kind.cast(layout);
    }
}
