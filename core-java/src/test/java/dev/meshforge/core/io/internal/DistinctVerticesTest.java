// DistinctVertices on a small quad: which vertices merge, and the mark it leaves on the primitive it returns.
package dev.meshforge.core.io.internal;

import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.VertexAttribute;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistinctVerticesTest {
    /** Two triangles of a unit quad written as six vertices (two pairs repeated), plus one vertex no index uses. */
    private static Primitive quad(Arena arena) {
        float[] xyz = {0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 5, 5, 5};
        MemorySegment pos = arena.allocateFrom(ValueLayout.JAVA_FLOAT, xyz);
        MemorySegment idx = arena.allocateFrom(ValueLayout.JAVA_INT, 0, 1, 2, 3, 4, 5);
        return new Primitive(Topology.TRIANGLES, new VertexAttribute(VertexAttribute.POSITION, 3, 7, pos), idx, 6);
    }

    @Test
    void mergesRepeatedVerticesDropsUnusedAndMarksTheResult() {
        try (Arena arena = Arena.ofConfined()) {
            Primitive p = quad(arena);
            assertFalse(p.verticesDistinct());
            Primitive q = DistinctVertices.of(p, arena);
            assertNotSame(p, q);
            assertEquals(4, q.vertexCount());
            int[] indices = new int[6];
            for (int i = 0; i < 6; i++) {
                indices[i] = q.index(i);
            }
            assertArrayEquals(new int[] {0, 1, 2, 0, 2, 3}, indices);
            assertTrue(q.verticesDistinct());
            assertFalse(p.verticesDistinct(), "the input keeps its repeats and is not marked");
            assertSame(q, DistinctVertices.of(q, arena), "a marked primitive is returned as it is");
        }
    }

    @Test
    void theMarkIsClearedWhenAnAttributeIsAddedOrReplaced() {
        try (Arena arena = Arena.ofConfined()) {
            Primitive q = DistinctVertices.of(quad(arena), arena);
            // a UV set that gives vertices 0 and 2 the same value keeps them distinct by position: still 4
            q.put(new VertexAttribute("TEXCOORD_0", 2, 4,
                    arena.allocateFrom(ValueLayout.JAVA_FLOAT, 0, 0, 1, 0, 0, 0, 0, 1)));
            assertFalse(q.verticesDistinct());
            Primitive again = DistinctVertices.of(q, arena);
            assertSame(q, again, "checked again and found distinct");
            assertTrue(again.verticesDistinct());
        }
    }
}
