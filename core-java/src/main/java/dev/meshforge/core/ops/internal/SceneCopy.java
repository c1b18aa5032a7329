// A new scene over the input's node tree with some meshes replaced: what tools that edit meshes in place
// (simplify) return, sharing everything else with the input.
package dev.meshforge.core.ops.internal;

import dev.meshforge.core.scene.Animation;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Skin;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Copies the node tree (names, transforms, morph weights), re-pointing skins' joints and animation channels at the
 * copies; each node's mesh passes through {@code replace} (once a mesh, so instances stay shared). Materials,
 * textures, inverse bind matrices and animation data are the input's: the copy must be closed before the input.
 */
public final class SceneCopy {
    private SceneCopy() {
    }

    /** {@code out} (empty) filled as a copy of {@code input} whose meshes are {@code replace(mesh)}. */
    public static void withMeshes(Scene input, Scene out, UnaryOperator<Mesh> replace) {
        Map<Node, Node> nodes = new IdentityHashMap<>();
        Map<Mesh, Mesh> meshes = new IdentityHashMap<>();
        input.forEachPlacedNode((node, world) -> nodes.computeIfAbsent(node, n -> {
            Node copy = new Node(n.name()).local(n.local());
            if (n.weights() != null) {
                copy.weights(n.weights().clone());
            }
            if (n.mesh() != null) {
                copy.mesh(meshes.computeIfAbsent(n.mesh(), replace));
            }
            return copy;
        }));
        nodes.forEach((old, copy) -> old.children().forEach(c -> copy.add(nodes.get(c))));
        Map<Skin, Skin> skins = new IdentityHashMap<>();
        for (Skin s : input.skins()) {
            List<Node> joints = s.joints().stream().map(j -> nodes.getOrDefault(j, j)).toList();
            Skin copy = new Skin(s.name(), joints, s.skeleton() == null ? null
                    : nodes.getOrDefault(s.skeleton(), s.skeleton()), s.inverseBindMatrices());
            skins.put(s, copy);
            out.skins().add(copy);
        }
        nodes.forEach((old, copy) -> {
            if (old.skin() != null) {
                copy.skin(skins.getOrDefault(old.skin(), old.skin()));
            }
        });
        for (Animation a : input.animations()) {
            List<Animation.Channel> channels = new ArrayList<>();
            for (Animation.Channel c : a.channels()) {
                channels.add(new Animation.Channel(c.sampler(), nodes.getOrDefault(c.target(), c.target()), c.path()));
            }
            out.animations().add(new Animation(a.name(), a.samplers(), channels));
        }
        out.units(input.units());
        out.materials().addAll(input.materials());
        out.textures().addAll(input.textures());
        input.roots().forEach(r -> out.addRoot(nodes.get(r)));
    }
}
