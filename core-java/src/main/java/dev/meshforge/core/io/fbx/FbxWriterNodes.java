// Small builders of FBX nodes for the writers.
package dev.meshforge.core.io.fbx;

/** Builds leaf nodes: a name and property values. */
final class FbxWriterNodes {
    private FbxWriterNodes() {
    }

    static FbxNode leaf(String name, Object... values) {
        FbxNode n = new FbxNode(name);
        n.props.addAll(java.util.Arrays.asList(values));
        return n;
    }
}
