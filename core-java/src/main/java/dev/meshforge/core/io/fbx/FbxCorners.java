// Finds the vertex an FBX corner makes: the one of its part whose key (control point and value indices) it shares.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.io.internal.NativeList;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The vertices made so far, of every part, are chained per control point, so a lookup compares only the few
 * vertices sharing the corner's control point. An entry holds, side by side, the next entry, the part, the vertex
 * and the key's other fields; the chain heads and the entries are native memory of the read.
 */
final class FbxCorners {
    private final MemorySegment head;
    private final int stride;
    private final int width;
    private final NativeList e;
    private int count;

    /**
     * @param width    ints in a key
     * @param corners  the entries to make room for at first
     * @param bound    the most corners the geometry has: an entry each at most
     */
    FbxCorners(Arena work, int controlPoints, int width, int corners, int bound) {
        head = NativeList.allocate(work, Math.max(1, controlPoints));
        head.fill((byte) -1);
        this.width = width;
        this.stride = width + 2;
        this.e = NativeList.inArena(work, (long) stride * Math.max(16, corners),
                (long) stride * Math.max(16, bound), FbxPart.TOO_MANY);
    }

    /**
     * The vertex of part {@code p} with {@code key} (control point first), made of {@code corner} of {@code polygon}
     * where the part has none yet.
     */
    int vertex(FbxPart p, int[] key, int corner, int polygon) {
        int cp = key[0];
        NativeList e = this.e;
        for (int at = head.getAtIndex(ValueLayout.JAVA_INT, cp); at >= 0; at = e.get((long) at * stride)) {
            long b = (long) at * stride;
            if (e.get(b + 1) == p.number() && matches(e, b + 3, key)) {
                return e.get(b + 2);
            }
        }
        int v = p.add(corner, polygon);
        long b = e.extend(stride);
        e.set(b, head.getAtIndex(ValueLayout.JAVA_INT, cp));
        e.set(b + 1, p.number());
        e.set(b + 2, v);
        for (int f = 1; f < width; f++) {
            e.set(b + 2 + f, key[f]);
        }
        head.setAtIndex(ValueLayout.JAVA_INT, cp, count++);
        return v;
    }

    private boolean matches(NativeList e, long from, int[] key) {
        for (int f = 1; f < width; f++) {
            if (e.get(from + f - 1) != key[f]) {
                return false;
            }
        }
        return true;
    }
}
