// Typed access to a glTF JSON tree: every wrong type, missing field or bad index becomes one clear sentence.
package dev.meshforge.core.io.gltf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.meshforge.core.BadInputException;

import java.nio.file.Path;

/**
 * Reads fields of glTF objects, checking JSON types against the schema. {@code where} names the object the way
 * a person would look it up in the file, e.g. {@code meshes[0].primitives[1]}.
 */
final class GltfJson {
    private static final JsonNode EMPTY_ARRAY = JsonNodeFactory.instance.arrayNode();
    private static final JsonNode EMPTY_OBJECT = JsonNodeFactory.instance.objectNode();

    private final Path file;

    GltfJson(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    BadInputException bad(String where, String what) {
        return new BadInputException(file, where.isEmpty() ? what : where + ": " + what);
    }

    private static String kind(JsonNode n) {
        if (n.isArray()) {
            return "an array";
        }
        if (n.isObject()) {
            return "an object";
        }
        if (n.isTextual()) {
            return "a string";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isNull()) {
            return "null";
        }
        return "the number " + n.asText();
    }

    /** The array under {@code field}, or an empty array when it is absent. */
    JsonNode array(JsonNode parent, String field, String where) {
        JsonNode n = parent.get(field);
        if (n == null) {
            return EMPTY_ARRAY;
        }
        if (!n.isArray()) {
            throw bad(where, "'" + field + "' must be an array but is " + kind(n));
        }
        return n;
    }

    /** The object under {@code field}, or an empty object when it is absent. */
    JsonNode object(JsonNode parent, String field, String where) {
        JsonNode n = parent.get(field);
        if (n == null) {
            return EMPTY_OBJECT;
        }
        if (!n.isObject()) {
            throw bad(where, "'" + field + "' must be an object but is " + kind(n));
        }
        return n;
    }

    /** The element {@code i} of {@code array}, which must be an object. */
    JsonNode element(JsonNode array, int i, String where) {
        JsonNode n = array.get(i);
        if (n == null || !n.isObject()) {
            throw bad(where, "must be an object but is " + (n == null ? "missing" : kind(n)));
        }
        return n;
    }

    boolean has(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        return n != null && !n.isNull();
    }

    long integer(JsonNode parent, String field, long dflt, String where) {
        JsonNode n = parent.get(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isIntegralNumber() && !(n.isNumber() && n.asDouble() == Math.rint(n.asDouble()))) {
            throw bad(where, "'" + field + "' must be an integer but is " + kind(n));
        }
        if (!n.canConvertToLong()) {
            throw bad(where, "'" + field + "' is " + n.asText() + ", far out of range");
        }
        return n.asLong();
    }

    long required(JsonNode parent, String field, String where) {
        if (!has(parent, field)) {
            throw bad(where, "the required field '" + field + "' is missing");
        }
        return integer(parent, field, 0, where);
    }

    long nonNegative(JsonNode parent, String field, long dflt, String where) {
        long v = integer(parent, field, dflt, where);
        if (v < 0) {
            throw bad(where, "'" + field + "' is " + v + " but must not be negative");
        }
        return v;
    }

    /** An index into a top-level array of {@code size} entries named {@code what}; -1 when absent. */
    int index(JsonNode parent, String field, int size, String what, String where) {
        if (!has(parent, field)) {
            return -1;
        }
        return checkIndex(integer(parent, field, -1, where), size, what, where + "." + field);
    }

    int checkIndex(long i, int size, String what, String where) {
        if (i < 0 || i >= size) {
            throw bad(where, "refers to " + what + " " + i + " but the file has " + (size == 0 ? "no " + what + "s"
                    : "only " + size + " (0.." + (size - 1) + ")"));
        }
        return (int) i;
    }

    double number(JsonNode parent, String field, double dflt, String where) {
        JsonNode n = parent.get(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isNumber()) {
            throw bad(where, "'" + field + "' must be a number but is " + kind(n));
        }
        return n.asDouble();
    }

    String string(JsonNode parent, String field, String dflt, String where) {
        JsonNode n = parent.get(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw bad(where, "'" + field + "' must be a string but is " + kind(n));
        }
        return n.asText();
    }

    boolean bool(JsonNode parent, String field, boolean dflt, String where) {
        JsonNode n = parent.get(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw bad(where, "'" + field + "' must be true or false but is " + kind(n));
        }
        return n.asBoolean();
    }

    /** A number array of exactly {@code length} entries, or {@code dflt} when absent. */
    double[] numbers(JsonNode parent, String field, int length, double[] dflt, String where) {
        JsonNode n = parent.get(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isArray() || n.size() != length) {
            throw bad(where, "'" + field + "' must be an array of " + length + " numbers but is "
                    + (n.isArray() ? "an array of " + n.size() : kind(n)));
        }
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            if (!n.get(i).isNumber()) {
                throw bad(where, "'" + field + "'[" + i + "] must be a number but is " + kind(n.get(i)));
            }
            out[i] = n.get(i).asDouble();
        }
        return out;
    }

    float[] floats(JsonNode parent, String field, int length, float[] dflt, String where) {
        double[] d = numbers(parent, field, length, null, where);
        if (d == null) {
            return dflt == null ? null : dflt.clone();
        }
        float[] f = new float[length];
        for (int i = 0; i < length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
