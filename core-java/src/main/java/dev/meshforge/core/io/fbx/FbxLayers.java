// The layer elements of an FBX geometry (normals, UV sets, colors, materials) and where a corner finds its values.
package dev.meshforge.core.io.fbx;

import java.util.ArrayList;
import java.util.List;

/**
 * Layer elements in every mapping mode (ByVertex/ByVertice/ByControlPoint, ByPolygonVertex, ByPolygon, AllSame) and
 * reference mode (Direct, IndexToDirect/Index); a missing layer is null, and {@code materials} is null where the
 * geometry has no per-polygon material list.
 *
 * @param allSameSlot whether every polygon takes the first material slot
 */
record FbxLayers(Layer normals, Layer[] uvs, Layer colors, FbxInts materials, boolean allSameSlot) {
    static final int BY_POLYGON_VERTEX = 0;
    static final int BY_CONTROL_POINT = 1;
    static final int BY_POLYGON = 2;
    static final int ALL_SAME = 3;
    static final int UNKNOWN = 4;

    /**
     * One layer's values (of {@code components} each) and, where {@code indexed}, the index into them.
     *
     * @param map how its values map onto the geometry ({@link #BY_POLYGON_VERTEX} and the others)
     */
    record Layer(FbxValues values, FbxInts index, int components, int map, boolean indexed) {
        /** Whether the layer holds one value for every corner, unindexed. */
        boolean perCorner() {
            return map == BY_POLYGON_VERTEX && !indexed;
        }

        boolean byPolygon() {
            return map == BY_POLYGON;
        }

        /** The value index of corner {@code pv} (of control point {@code cp}, polygon {@code poly}); -1 for none. */
        int index(int pv, int cp, int poly) {
            int m = switch (map) {
                case BY_POLYGON_VERTEX -> pv;
                case BY_CONTROL_POINT -> cp;
                case BY_POLYGON -> poly;
                case ALL_SAME -> 0;
                default -> -1;
            };
            if (m >= 0 && indexed) {
                m = m < index.length() ? index.get(m) : -1;
            }
            return m < 0 || (long) m * components + components > values.length() ? -1 : m;
        }
    }

    /** The first layer of each kind of geometry {@code g} (every UV set), and its material list. */
    static FbxLayers of(FbxNode g) {
        Layer normals = layer(first(g, "LayerElementNormal"), "Normals", 3);
        List<Layer> uvs = new ArrayList<>();
        for (FbxNode e : sorted(g, "LayerElementUV")) {
            Layer l = layer(e, "UV", 2);
            if (l != null) {
                uvs.add(l);
            }
        }
        Layer colors = layer(first(g, "LayerElementColor"), "Colors", 4);
        FbxNode matElem = first(g, "LayerElementMaterial");
        String matMapping = matElem == null ? "AllSame" : matElem.childString("MappingInformationType", "AllSame");
        FbxInts matIdx = matElem == null ? null : matElem.childIndices("Materials");
        if (matElem == null && g.child("Materials") != null) {
            // 5800: the per-polygon material list sits in the model itself.
            matIdx = g.childIndices("Materials");
            matMapping = g.childString("MaterialAssignation", "AllSame");
        }
        boolean allSameSlot = matIdx == null || matIdx.length() == 0 || matMapping.equals("AllSame");
        return new FbxLayers(normals, uvs.toArray(new Layer[0]), colors, matIdx, allSameSlot);
    }

    /** The material slot of polygon {@code poly}. */
    int slot(int poly) {
        if (materials == null || materials.length() == 0) {
            return 0;
        }
        int m = allSameSlot ? 0 : poly;
        return m < materials.length() ? materials.get(m) : materials.get(0);
    }

    /** Ints in a corner's key: its control point, normal, each UV set's and its color's value index. */
    int keyWidth() {
        return 2 + uvs.length + 1;
    }

    /**
     * The key field of the layer with a value per corner (ByPolygonVertex, Direct), or -1: such a layer makes every
     * corner whose value it has a vertex of its own, never looked up, nor remembered for later lookups.
     */
    int ownField() {
        if (perCorner(normals)) {
            return 1;
        } else if (perCorner(colors)) {
            return keyWidth() - 1;
        }
        for (int u = 0; u < uvs.length; u++) {
            if (perCorner(uvs[u])) {
                return 2 + u;
            }
        }
        return -1;
    }

    /** Whether some layer maps its values by polygon (then a vertex keeps its first corner's polygon). */
    boolean byPolygon() {
        boolean byPolygon = byPolygon(normals) || byPolygon(colors);
        for (Layer u : uvs) {
            byPolygon |= byPolygon(u);
        }
        return byPolygon;
    }

    private static boolean perCorner(Layer l) {
        return l != null && l.perCorner();
    }

    private static boolean byPolygon(Layer l) {
        return l != null && l.byPolygon();
    }

    private static Layer layer(FbxNode e, String values, int components) {
        if (e == null) {
            return null;
        }
        FbxValues vals = e.childValues(values);
        if (vals == null) {
            return null;
        }
        FbxInts index = e.childIndices(values + "Index");
        if (index == null && values.equals("Normals")) {
            index = e.childIndices("NormalIndex");
        }
        String mapping = e.childString("MappingInformationType", "ByPolygonVertex");
        String reference = e.childString("ReferenceInformationType", "Direct");
        if (index == null) {
            reference = "Direct";
        }
        int map = switch (mapping) {
            case "ByPolygonVertex" -> BY_POLYGON_VERTEX;
            case "ByVertex", "ByVertice", "ByControlPoint" -> BY_CONTROL_POINT;
            case "ByPolygon" -> BY_POLYGON;
            case "AllSame" -> ALL_SAME;
            default -> UNKNOWN;
        };
        boolean indexed = index != null && !reference.equals("Direct");
        return new Layer(vals, index, components, map, indexed);
    }

    private static FbxNode first(FbxNode g, String element) {
        List<FbxNode> l = sorted(g, element);
        return l.isEmpty() ? null : l.get(0);
    }

    private static List<FbxNode> sorted(FbxNode g, String element) {
        List<FbxNode> l = new ArrayList<>(g.all(element));
        l.sort((a, b) -> Long.compare(a.integer(0, 0), b.integer(0, 0)));
        return l;
    }
}
