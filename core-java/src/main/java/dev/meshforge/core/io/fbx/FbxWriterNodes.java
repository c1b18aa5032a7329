// Small builders of FBX nodes for the writers.
package dev.meshforge.core.io.fbx;

/** Builds leaf nodes: a name and property values. */
final class FbxWriterNodes {
    private FbxWriterNodes() {
    }

    static FbxNode leaf(String name, Object... values) {
        FbxNode n = new FbxNode(name);
        for (Object v : values) {
            n.props.add(v);
        }
        return n;
    }
}
