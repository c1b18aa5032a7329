// The vertices and triangle corners of one material of an FBX geometry, as its polygon scan makes them.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.io.internal.NativeList;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.internal.KernelPages;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.LongFunction;

/**
 * A vertex is kept as the corner it was first made for (and that corner's polygon, where some layer maps by
 * polygon), in the order the vertices were first met; its values are gathered from them later ({@link FbxGather}).
 * The lists are native memory of the read.
 */
final class FbxPart {
    /** A working list's refusal: its bound follows from the file's arrays, so only a broken file passes it. */
    static final LongFunction<String> TOO_MANY = bound -> "an FBX geometry needs more than " + bound
            + " array elements";

    private final int number;
    private final NativeList corners;
    private final NativeList polygons;
    final Indices indices;

    /**
     * @param number  the part's place among the geometry's parts
     * @param bound   the most vertices the part can make: one a corner
     */
    FbxPart(Arena work, boolean keepPolygon, int number, int capacity, int bound, Indices indices) {
        this.number = number;
        int start = Math.max(16, capacity);
        this.corners = NativeList.inArena(work, start, bound, TOO_MANY);
        this.polygons = keepPolygon ? NativeList.inArena(work, start, bound, TOO_MANY) : null;
        this.indices = indices;
    }

    int number() {
        return number;
    }

    int size() {
        return (int) corners.size();
    }

    /** Makes a vertex of {@code corner} of {@code polygon}; returns its number in the part. */
    int add(int corner, int polygon) {
        corners.add(corner);
        if (polygons != null) {
            polygons.add(polygon);
        }
        return (int) corners.size() - 1;
    }

    /** The first corner of each vertex, in order (valid until the read ends). */
    MemorySegment corners() {
        return corners.view();
    }

    /** The polygon of each vertex's first corner, or null where no layer maps by polygon. */
    MemorySegment polygons() {
        return polygons == null ? null : polygons.view();
    }

    /**
     * A part's triangle corners. A large first part writes them straight into a scene segment sized for every
     * triangle of the geometry, which then holds them: the scene maps buffers of that size ({@link KernelPages}),
     * and the pages a part with fewer triangles (others took some, or faces were skipped) never writes are never
     * backed by memory. Other parts grow in native memory of the read and are copied once.
     */
    static final class Indices {
        private final MemorySegment direct;
        private final NativeList list;
        private int count;

        Indices(MemorySegment direct) {
            this.direct = direct;
            this.list = null;
        }

        Indices(NativeList list) {
            this.direct = null;
            this.list = list;
        }

        void add(int v) {
            if (direct != null) {
                direct.setAtIndex(ValueLayout.JAVA_INT, count++, v);
            } else {
                list.add(v);
                count++;
            }
        }

        int size() {
            return count;
        }

        /** The corners in a segment of the scene, exactly as long as they are. */
        MemorySegment into(Scene scene) {
            if (direct != null) {
                return direct.asSlice(0, Math.max(1, count) * (long) Integer.BYTES);
            }
            MemorySegment is = scene.allocateInts(Math.max(1, count));
            MemorySegment.copy(list.view(), 0, is, 0, count * (long) Integer.BYTES);
            return is;
        }
    }
}
