// Compact glTF JSON for the writer's optimized output: the same values in fewer bytes.
package dev.meshforge.core.io.gltf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * Writes every whole number as an integer ({@code 0} for {@code 0.0}, {@code 4} for {@code 4.0}: the same value to
 * every JSON reader) and leaves out a byte offset of 0 on buffer views, accessors and meshopt-compressed views,
 * where the schema makes 0 the default. Nothing else changes: names, every other value and the order stay.
 */
final class CompactJson {
    /** Whole numbers below this magnitude are exact in a double, so writing them as integers keeps their value. */
    private static final double EXACT = 0x1p53;

    private CompactJson() {
    }

    static void apply(ObjectNode root) {
        for (String list : List.of("bufferViews", "accessors")) {
            for (JsonNode item : root.path(list)) {
                dropZeroOffset(item);
                dropZeroOffset(item.path("extensions").path(MeshoptPacking.EXTENSION));
            }
        }
        integers(root);
    }

    private static void dropZeroOffset(JsonNode n) {
        if (n instanceof ObjectNode o && o.path("byteOffset").isIntegralNumber()
                && o.path("byteOffset").asLong() == 0) {
            o.remove("byteOffset");
        }
    }

    private static void integers(JsonNode n) {
        if (n instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                JsonNode whole = whole(e.getValue());
                if (whole != null) {
                    e.setValue(whole);
                } else {
                    integers(e.getValue());
                }
            }
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                JsonNode whole = whole(a.get(i));
                if (whole != null) {
                    a.set(i, whole);
                } else {
                    integers(a.get(i));
                }
            }
        }
    }

    /** The integer node for a floating-point node holding a whole number (not -0), or null. */
    private static JsonNode whole(JsonNode n) {
        if (!n.isFloatingPointNumber()) {
            return null;
        }
        double v = n.doubleValue();
        if (v != Math.rint(v) || Math.abs(v) >= EXACT || (v == 0 && 1 / v < 0)) {
            return null;
        }
        long l = (long) v;
        return l == (int) l ? IntNode.valueOf((int) l) : LongNode.valueOf(l);
    }
}
