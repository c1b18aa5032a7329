// A new scene graph over an input's data, that the optimize steps may change without touching the input.
package dev.meshforge.core.optimize;

import dev.meshforge.core.scene.Animation;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Skin;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies nodes, meshes, primitives, skins, animations and the material and texture lists; vertex data, index data
 * and image bytes are shared with the input (never written in place: the steps make new segments), so the copy
 * may be used only while the input is open.
 */
public final class SceneCopy {
    private final Scene output = new Scene();
    private final Map<Node, Node> nodes = new IdentityHashMap<>();
    private final Map<Mesh, Mesh> meshes = new IdentityHashMap<>();
    private final Map<Skin, Skin> skins = new IdentityHashMap<>();

    private SceneCopy() {
    }

    /** The copy of {@code input}. */
    public static Scene of(Scene input) {
        SceneCopy c = new SceneCopy();
        Scene out = c.output;
        out.units(input.units());
        out.materials().addAll(input.materials());
        out.textures().addAll(input.textures());
        input.roots().forEach(r -> out.addRoot(c.node(r)));
        for (Skin s : input.skins()) {
            out.skins().add(c.skin(s));
        }
        for (Animation a : input.animations()) {
            List<Animation.Channel> channels = new ArrayList<>();
            for (Animation.Channel ch : a.channels()) {
                channels.add(new Animation.Channel(ch.sampler(), c.node(ch.target()), ch.path()));
            }
            out.animations().add(new Animation(a.name(), a.samplers(), channels));
        }
        // Skins are attached once every skin is copied, so that a node and its skin's joints map alike.
        input.forEachPlacedNode((n, t) -> {
            if (n.skin() != null) {
                c.node(n).skin(c.skin(n.skin()));
            }
        });
        return out;
    }

    private Node node(Node n) {
        Node done = nodes.get(n);
        if (done != null) {
            return done;
        }
        Node copy = new Node(n.name()).local(n.local()).weights(n.weights());
        nodes.put(n, copy);
        if (n.mesh() != null) {
            copy.mesh(mesh(n.mesh()));
        }
        n.children().forEach(child -> copy.add(node(child)));
        return copy;
    }

    private Mesh mesh(Mesh m) {
        return meshes.computeIfAbsent(m, k -> {
            Mesh copy = new Mesh(k.name()).weights(k.weights());
            k.primitives().forEach(p -> copy.add(primitive(p)));
            return copy;
        });
    }

    private Skin skin(Skin s) {
        return skins.computeIfAbsent(s, k -> new Skin(k.name(), k.joints().stream().map(this::node).toList(),
                k.skeleton() == null ? null : node(k.skeleton()), k.inverseBindMatrices()));
    }

    /** A new primitive over the same attribute, index and morph-target data. */
    static Primitive primitive(Primitive p) {
        Primitive copy = new Primitive(p.topology(), p.positions(), p.indices(), p.indexCount());
        p.attributes().values().forEach(copy::put);
        p.targets().forEach(copy::addTarget);
        copy.positions64(p.positions64());
        return copy.material(p.material());
    }
}
