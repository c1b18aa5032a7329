// Which vertex attributes the repair passes through the kernel, and where each sits among a vertex's floats.
package dev.meshforge.core.ops.internal;

import dev.meshforge.core.kernel.KernelRepairOptions;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.VertexAttribute;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The floats every vertex carries through the kernel's repair: NORMAL (3), every TEXCOORD_n (2) and COLOR_n (4,
 * alpha 1 where the input has 3) that some primitive has, then the base-colour transfer's block. A primitive
 * without one of them carries its default (a zero normal, UV (0, 0), white). TANGENT is not carried: it is
 * derived from the normals, the UVs and the faces around a vertex, which the repair edits (patches blend their
 * rim's attributes, flips reverse faces), and glTF readers compute MikkTSpace tangents where a file has none.
 * Skin weights and application attributes (_NAME) are not carried either: the output is one static mesh.
 *
 * <p>The kernel carries at most {@link KernelRepairOptions#MAX_ATTRIBUTES} floats a vertex: the base-colour
 * block, NORMAL, TEXCOORD_0 and COLOR_0 come first, then the higher sets by number while they fit; the rest
 * are {@code dropped}.
 *
 * @param slots     the carried attributes, in the order they sit in a vertex
 * @param surfaceAt where the base-colour block ({@link BaseColorTransfer#WIDTH} floats) starts, or -1
 * @param width     floats a vertex
 * @param dropped   names of attributes that did not fit
 */
public record AttributeLayout(List<Slot> slots, int surfaceAt, int width, List<String> dropped) {
    private static final Pattern SET = Pattern.compile("(TEXCOORD|COLOR)_(\\d{1,3})");
    private static final float[] NO_NORMAL = {0, 0, 0};
    private static final float[] NO_UV = {0, 0};
    private static final float[] WHITE = {1, 1, 1, 1};

    /** One carried attribute: {@code components} floats from {@code offset}, {@code defaults} where missing. */
    public record Slot(String name, int offset, int components, float[] defaults) {
    }

    public AttributeLayout {
        slots = List.copyOf(slots);
        dropped = List.copyOf(dropped);
    }

    /** The layout for these primitives, with a base-colour block where {@code surface}. */
    public static AttributeLayout of(List<Primitive> primitives, boolean surface) {
        TreeSet<String> names = new TreeSet<>(Comparator.comparingInt(AttributeLayout::rank)
                .thenComparing(Comparator.naturalOrder()));
        for (Primitive p : primitives) {
            for (String name : p.attributes().keySet()) {
                if (rank(name) < Integer.MAX_VALUE) {
                    names.add(name);
                }
            }
        }
        List<Slot> slots = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        int width = surface ? BaseColorTransfer.WIDTH : 0;
        for (String name : names) {
            float[] defaults = name.equals(VertexAttribute.NORMAL) ? NO_NORMAL
                    : name.startsWith("TEXCOORD_") ? NO_UV : WHITE;
            if (width + defaults.length > KernelRepairOptions.MAX_ATTRIBUTES) {
                dropped.add(name);
                continue;
            }
            slots.add(new Slot(name, width, defaults.length, defaults));
            width += defaults.length;
        }
        return new AttributeLayout(slots, surface ? 0 : -1, width, dropped);
    }

    /**
     * The order in which attributes claim room: NORMAL, TEXCOORD_0, COLOR_0, then set by set; MAX_VALUE for
     * those not carried.
     */
    private static int rank(String name) {
        if (name.equals(VertexAttribute.NORMAL)) {
            return 0;
        }
        Matcher m = SET.matcher(name);
        if (!m.matches()) {
            return Integer.MAX_VALUE;
        }
        return 1 + 2 * Integer.parseInt(m.group(2)) + (m.group(1).equals("COLOR") ? 1 : 0);
    }

    /** The slot of {@code name}, or null when it is not carried. */
    public Slot slot(String name) {
        for (Slot s : slots) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** Writes the carried attributes of every vertex of {@code p}, vertex v's at vertex {@code first + v}. */
    public void gather(Primitive p, MemorySegment data, long first) {
        for (Slot s : slots) {
            VertexAttribute a = p.attribute(s.name);
            for (long v = 0; v < p.vertexCount(); v++) {
                long at = (first + v) * width + s.offset;
                for (int c = 0; c < s.components; c++) {
                    float value = a != null && c < a.components() ? a.get(v, c) : s.defaults[c];
                    data.setAtIndex(ValueLayout.JAVA_FLOAT, at + c, value);
                }
            }
        }
    }

    /** Slot {@code s} of {@code count} vertices of packed {@code data} as an attribute in {@code out}'s arena. */
    public VertexAttribute unpack(Slot s, MemorySegment data, long count, Scene out) {
        MemorySegment seg = out.allocateFloats(Math.max(1, count * s.components));
        for (long v = 0; v < count; v++) {
            MemorySegment.copy(data, ValueLayout.JAVA_FLOAT, (v * width + s.offset) * Float.BYTES, seg,
                    ValueLayout.JAVA_FLOAT, v * s.components * Float.BYTES, s.components);
        }
        return new VertexAttribute(s.name, s.components, count, seg);
    }
}
