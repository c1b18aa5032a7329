// FBX node trees the tests make themselves, encoded as binary (32- or 64-bit headers) or ASCII.
package dev.meshforge.core.io.fbx;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds small FBX documents: one model with one geometry, layers as given. */
final class FbxFixtures {
    private FbxFixtures() {
    }

    static FbxNode n(String name, Object... props) {
        return FbxWriterNodes.leaf(name, props);
    }

    static FbxNode with(FbxNode parent, FbxNode... children) {
        parent.children.addAll(List.of(children));
        return parent;
    }

    static FbxNode p(String name, Object... values) {
        FbxNode n = n("P", name, "", "", "A");
        n.props.addAll(List.of(values));
        return n;
    }

    static FbxNode layer(String element, String mapping, String reference, String valuesName, double[] values,
                         int[] index) {
        FbxNode e = with(n(element, 0), n("Version", 101), n("MappingInformationType", mapping),
                n("ReferenceInformationType", reference), n(valuesName, values));
        if (index != null) {
            e.children.add(n(valuesName.equals("Normals") ? "NormalsIndex" : valuesName + "Index", index));
        }
        return e;
    }

    /** A 7.x document: model 10 (with the given transform properties) placing geometry 20. */
    static List<FbxNode> document(int version, double[] vertices, int[] polygons, List<FbxNode> layers,
                                  FbxNode... modelProps) {
        List<FbxNode> top = new ArrayList<>();
        top.add(with(n("FBXHeaderExtension"), n("FBXHeaderVersion", 1003), n("FBXVersion", version)));
        top.add(with(n("GlobalSettings"), with(n("Properties70"), p("UnitScaleFactor", 1.0))));
        FbxNode geometry = with(n("Geometry", 20L, "g\u0000\u0001Geometry", "Mesh"), n("Vertices", vertices),
                n("PolygonVertexIndex", polygons));
        geometry.children.addAll(layers);
        FbxNode model = with(n("Model", 10L, "m\u0000\u0001Model", "Mesh"), with(n("Properties70"), modelProps));
        FbxNode material = with(n("Material", 30L, "red\u0000\u0001Material", ""),
                with(n("Properties70"), p("DiffuseColor", 1.0, 0.0, 0.0)));
        top.add(with(n("Objects"), model, geometry, material));
        top.add(with(n("Connections"), n("C", "OO", 10L, 0L), n("C", "OO", 20L, 10L), n("C", "OO", 30L, 10L)));
        return top;
    }

    static byte[] binary(List<FbxNode> top, int version) {
        return FbxEncoder.binary(top, version);
    }

    static byte[] ascii(List<FbxNode> top) {
        return FbxEncoder.ascii(top).getBytes(StandardCharsets.UTF_8);
    }
}
