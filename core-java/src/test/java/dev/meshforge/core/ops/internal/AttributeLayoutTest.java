// Where the repair's attribute block places each attribute, and what a primitive lacking one carries.
package dev.meshforge.core.ops.internal;

import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.VertexAttribute;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttributeLayoutTest {
    /** A one-triangle primitive with the given attributes, component {@code c} of vertex {@code v} = 10 v + c. */
    private static Primitive triangle(Scene scene, String[] names, int[] components) {
        MemorySegment idx = scene.allocateInts(3);
        for (int k = 0; k < 3; k++) {
            idx.setAtIndex(ValueLayout.JAVA_INT, k, k);
        }
        Primitive p = new Primitive(Topology.TRIANGLES, new VertexAttribute(VertexAttribute.POSITION, 3, 3,
                scene.allocateFloats(9)), idx, 3);
        for (int a = 0; a < names.length; a++) {
            VertexAttribute attr = new VertexAttribute(names[a], components[a], 3,
                    scene.allocateFloats(3L * components[a]));
            for (int v = 0; v < 3; v++) {
                for (int c = 0; c < components[a]; c++) {
                    attr.set(v, c, 10 * v + c);
                }
            }
            p.put(attr);
        }
        return p;
    }

    @Test
    void normalsThenUvAndColorSetsBySetAfterTheBaseColourBlockAndNothingElse() {
        try (Scene scene = new Scene()) {
            Primitive a = triangle(scene, new String[] {"TEXCOORD_1", "COLOR_0", "NORMAL", "TANGENT"},
                    new int[] {2, 3, 3, 4});
            Primitive b = triangle(scene, new String[] {"TEXCOORD_0", "JOINTS_0", "WEIGHTS_0", "_ID", "COLOR_1"},
                    new int[] {2, 4, 4, 1, 4});
            AttributeLayout layout = AttributeLayout.of(List.of(a, b), true);
            assertEquals(0, layout.surfaceAt());
            List<String> names = layout.slots().stream().map(AttributeLayout.Slot::name).toList();
            assertEquals(List.of("NORMAL", "TEXCOORD_0", "COLOR_0", "TEXCOORD_1", "COLOR_1"), names);
            int[] offsets = layout.slots().stream().mapToInt(AttributeLayout.Slot::offset).toArray();
            assertArrayEquals(new int[] {3, 6, 8, 12, 14}, offsets);
            assertEquals(18, layout.width());
            assertTrue(layout.dropped().isEmpty());
            assertNull(layout.slot("TANGENT"));

            AttributeLayout plain = AttributeLayout.of(List.of(b), false);
            assertEquals(-1, plain.surfaceAt());
            assertEquals(0, plain.slot("TEXCOORD_0").offset());
            assertEquals(6, plain.width());
        }
    }

    @Test
    void gatherFillsWhatAPrimitiveLacksWithDefaults() {
        try (Scene scene = new Scene()) {
            Primitive a = triangle(scene, new String[] {"COLOR_0", "NORMAL"}, new int[] {3, 3});
            Primitive b = triangle(scene, new String[] {"TEXCOORD_0"}, new int[] {2});
            AttributeLayout layout = AttributeLayout.of(List.of(a, b), false);
            MemorySegment data = scene.allocateFloats(6L * layout.width());
            layout.gather(a, data, 0);
            layout.gather(b, data, 3);
            float[] floats = data.toArray(ValueLayout.JAVA_FLOAT);
            int w = layout.width();
            // a's vertex 2: normal 20 21 22, no UV, colour 20 21 22 with alpha 1.
            assertArrayEquals(new float[] {20, 21, 22, 0, 0, 20, 21, 22, 1},
                    Arrays.copyOfRange(floats, 2 * w, 3 * w));
            // b's vertex 1: a zero normal, its UV, white.
            assertArrayEquals(new float[] {0, 0, 0, 10, 11, 1, 1, 1, 1},
                    Arrays.copyOfRange(floats, 4 * w, 5 * w));
            VertexAttribute uv = layout.unpack(layout.slot("TEXCOORD_0"), data, 6, scene);
            assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0, 1, 10, 11, 20, 21},
                    uv.data().toArray(ValueLayout.JAVA_FLOAT));
        }
    }
}
