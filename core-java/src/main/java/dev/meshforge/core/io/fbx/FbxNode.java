// One node of an FBX document (binary or ASCII): a name, typed properties and child nodes.
package dev.meshforge.core.io.fbx;

import java.util.ArrayList;
import java.util.List;

/**
 * An FBX node. Property values are Boolean, Integer, Long, Float, Double, String, byte[] (raw) or the arrays
 * boolean[], int[], long[], float[], double[] (or {@link FbxValues} and {@link FbxInts}, a large one in native
 * memory). ASCII files give Long/Double numbers and double[] arrays; the typed accessors below hide the
 * difference. {@code where} is the byte offset (binary) or line (ASCII) of the node, for messages.
 */
final class FbxNode {
    final String name;
    final List<Object> props;
    final List<FbxNode> children;
    final long where;

    FbxNode(String name, List<Object> props, List<FbxNode> children, long where) {
        this.name = name;
        this.props = props;
        this.children = children;
        this.where = where;
    }

    FbxNode(String name) {
        this(name, new ArrayList<>(), new ArrayList<>(), -1);
    }

    /** The first child named {@code name}, or null. */
    FbxNode child(String name) {
        for (FbxNode c : children) {
            if (c.name.equals(name)) {
                return c;
            }
        }
        return null;
    }

    List<FbxNode> all(String name) {
        List<FbxNode> out = new ArrayList<>();
        for (FbxNode c : children) {
            if (c.name.equals(name)) {
                out.add(c);
            }
        }
        return out;
    }

    Object prop(int i) {
        return i < props.size() ? props.get(i) : null;
    }

    String string(int i) {
        Object o = prop(i);
        return o instanceof String s ? s : o == null ? "" : String.valueOf(o);
    }

    double number(int i, double fallback) {
        Object o = prop(i);
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (o instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    long integer(int i, long fallback) {
        Object o = prop(i);
        if (o instanceof Long || o instanceof Integer || o instanceof Short) {
            return ((Number) o).longValue();
        }
        return o instanceof Number n ? (long) n.doubleValue() : fallback;
    }

    /** The string value of child {@code name}'s first property, or {@code fallback}. */
    String childString(String name, String fallback) {
        FbxNode c = child(name);
        return c == null || c.props.isEmpty() ? fallback : c.string(0);
    }

    double childNumber(String name, double fallback) {
        FbxNode c = child(name);
        return c == null ? fallback : c.number(0, fallback);
    }

    /**
     * The node's values as doubles: its one array property, or (legacy ASCII) all its numeric properties in
     * order.
     */
    double[] doubles() {
        if (props.size() == 1) {
            Object o = props.get(0);
            if (o instanceof double[] d) {
                return d;
            }
            if (o instanceof FbxValues v) {
                return v.toArray();
            }
            if (o instanceof float[] f) {
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    d[i] = f[i];
                }
                return d;
            }
            if (o instanceof FbxInts v) {
                o = v.toArray();
            }
            if (o instanceof int[] a) {
                double[] d = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    d[i] = a[i];
                }
                return d;
            }
            if (o instanceof long[] a) {
                double[] d = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    d[i] = a[i];
                }
                return d;
            }
        }
        double[] d = new double[props.size()];
        int n = 0;
        for (Object o : props) {
            if (o instanceof Number x) {
                d[n++] = x.doubleValue();
            }
        }
        return n == d.length ? d : java.util.Arrays.copyOf(d, n);
    }

    /** The node's values as ints (indices), like {@link #doubles()}. */
    int[] ints() {
        if (props.size() == 1 && props.get(0) instanceof int[] a) {
            return a;
        }
        if (props.size() == 1 && props.get(0) instanceof FbxInts v) {
            return v.toArray();
        }
        if (props.size() == 1 && props.get(0) instanceof long[] a) {
            int[] r = new int[a.length];
            for (int i = 0; i < a.length; i++) {
                r[i] = (int) a[i];
            }
            return r;
        }
        double[] d = doubles();
        int[] r = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            r[i] = (int) d[i];
        }
        return r;
    }

    /** The node's values as {@link #doubles()} gives them, in place where they are in native memory. */
    FbxValues values() {
        return props.size() == 1 && props.get(0) instanceof FbxValues v ? v : FbxValues.of(doubles());
    }

    /** Child {@code name}'s {@link #values()}, or null. */
    FbxValues childValues(String name) {
        FbxNode c = child(name);
        return c == null ? null : c.values();
    }

    /** The child's values as doubles, or null when there is no such child. */
    double[] childDoubles(String name) {
        FbxNode c = child(name);
        return c == null ? null : c.doubles();
    }

    int[] childInts(String name) {
        FbxNode c = child(name);
        return c == null ? null : c.ints();
    }

    /** The node's values as {@link #ints()} gives them, in place where they are in native memory. */
    FbxInts indices() {
        return props.size() == 1 && props.get(0) instanceof FbxInts v ? v : FbxInts.of(ints());
    }

    /** Child {@code name}'s {@link #indices()}, or null. */
    FbxInts childIndices(String name) {
        FbxNode c = child(name);
        return c == null ? null : c.indices();
    }

    @Override
    public String toString() {
        return name + props;
    }
}
