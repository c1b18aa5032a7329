// A node of the scene tree: a local transform, an optional mesh, children.
package dev.meshforge.core.scene;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A node in the scene tree. Its mesh (if any) is placed by the product of the transforms from the root. */
public final class Node {
    private final String name;
    private Transform local = Transform.IDENTITY;
    private Mesh mesh;
    private Skin skin;
    private float[] weights;
    private final List<Node> children = new ArrayList<>();

    public Node(String name) {
        this.name = name == null ? "" : name;
    }

    public String name() {
        return name;
    }

    public Transform local() {
        return local;
    }

    public Node local(Transform transform) {
        this.local = Objects.requireNonNull(transform, "transform");
        return this;
    }

    /** The mesh placed at this node, or null. */
    public Mesh mesh() {
        return mesh;
    }

    public Node mesh(Mesh mesh) {
        this.mesh = mesh;
        return this;
    }

    /** The skin that deforms this node's mesh, or null. */
    public Skin skin() {
        return skin;
    }

    public Node skin(Skin skin) {
        this.skin = skin;
        return this;
    }

    /** Morph weights overriding the mesh's defaults, or null. */
    public float[] weights() {
        return weights == null ? null : weights.clone();
    }

    public Node weights(float[] weights) {
        this.weights = weights == null ? null : weights.clone();
        return this;
    }

    public List<Node> children() {
        return children;
    }

    public Node add(Node child) {
        children.add(child);
        return this;
    }
}
