// A named list of primitives that nodes place in the scene.
package dev.meshforge.core.scene;

import java.util.ArrayList;
import java.util.List;

/** A mesh: primitives that share a placement. Several nodes may reference one mesh (instancing). */
public final class Mesh {
    private final String name;
    private final List<Primitive> primitives = new ArrayList<>();
    private float[] weights = new float[0];

    public Mesh(String name) {
        this.name = name == null ? "" : name;
    }

    public String name() {
        return name;
    }

    public List<Primitive> primitives() {
        return primitives;
    }

    public Mesh add(Primitive primitive) {
        primitives.add(primitive);
        return this;
    }

    /** Default morph target weights, one per target of the primitives; empty without morph targets. */
    public float[] weights() {
        return weights.clone();
    }

    public Mesh weights(float[] weights) {
        this.weights = weights.clone();
        return this;
    }

    public long triangleCount() {
        return primitives.stream().mapToLong(Primitive::triangleCount).sum();
    }
}
