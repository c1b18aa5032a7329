// Small builders of FBX nodes for the writers.
package dev.meshforge.core.io.fbx;

/** Builds leaf nodes (a name and property values) and property lists. */
final class FbxWriterNodes {
    private FbxWriterNodes() {
    }

    static FbxNode leaf(String name, Object... values) {
        FbxNode n = new FbxNode(name);
        n.props.addAll(java.util.Arrays.asList(values));
        return n;
    }

    /** One Properties70 entry: name, type, label, flags and the values. */
    static FbxNode p(String name, String type, String label, String flags, Object... values) {
        FbxNode n = leaf("P", name, type, label, flags);
        n.props.addAll(java.util.Arrays.asList(values));
        return n;
    }

    static FbxNode props(FbxNode... ps) {
        FbxNode n = new FbxNode("Properties70");
        n.children.addAll(java.util.List.of(ps));
        return n;
    }
}
