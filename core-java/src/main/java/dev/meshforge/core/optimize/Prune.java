// Optimize step: what nothing refers to or draws is removed, each removal named.
package dev.meshforge.core.optimize;

import dev.meshforge.core.scene.Animation;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Skin;
import dev.meshforge.core.scene.Topology;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Removes primitives without elements, meshes left without primitives, leaf nodes that place nothing and that no
 * skin, skeleton or animation names, skins no node uses, materials and textures nothing refers to, and UV sets no
 * texture of their primitive's material reads. Animations, morph targets and the other attributes are kept.
 */
public final class Prune {
    private Prune() {
    }

    public static List<String> run(Scene scene) {
        List<String> changes = new ArrayList<>();
        Set<Mesh> meshes = Collections.newSetFromMap(new IdentityHashMap<>());
        scene.forEachPlacedMesh((m, t) -> meshes.add(m));
        for (Mesh m : meshes) {
            m.primitives().removeIf(p -> {
                boolean empty = p.vertexCount() == 0 || (p.topology() != Topology.POINTS && p.indexCount() == 0);
                if (empty) {
                    changes.add("an empty primitive of mesh " + Dedup.name(m));
                }
                return empty;
            });
        }
        scene.forEachPlacedNode((n, t) -> {
            if (n.mesh() != null && n.mesh().primitives().isEmpty()) {
                changes.add("mesh " + Dedup.name(n.mesh())
                        + " with nothing to draw, from node " + Dedup.name(n));
                n.mesh(null);
            }
        });
        emptyNodes(scene, changes);
        Set<Skin> usedSkins = Collections.newSetFromMap(new IdentityHashMap<>());
        scene.forEachPlacedNode((n, t) -> {
            if (n.skin() != null && n.mesh() != null) {
                usedSkins.add(n.skin());
            }
        });
        scene.skins().removeIf(s -> {
            boolean unused = !usedSkins.contains(s);
            if (unused) {
                changes.add("skin " + Dedup.name(s.name(), scene.skins().indexOf(s)) + ", which no mesh used");
            }
            return unused;
        });
        materialsAndTextures(scene, changes);
        unreadTexCoords(scene, meshes, changes);
        return changes;
    }

    /**
     * Drops each UV set no texture of its primitive's material reads (a primitive without a material reads none),
     * naming it: a viewer draws the same without it. Other attributes are kept (colours are drawn untextured).
     */
    private static void unreadTexCoords(Scene scene, Set<Mesh> meshes, List<String> changes) {
        List<Material> materials = scene.materials();
        int textures = scene.textures().size();
        for (Mesh m : meshes) {
            for (int i = 0; i < m.primitives().size(); i++) {
                Primitive p = m.primitives().get(i);
                Set<Integer> read = p.material() >= 0 && p.material() < materials.size()
                        ? MaterialTextures.texCoordSets(materials.get(p.material()), textures) : Set.of();
                List<String> unread = p.attributes().keySet().stream()
                        .filter(a -> a.startsWith("TEXCOORD_") && !read.contains(texCoordSet(a))).toList();
                if (unread.isEmpty()) {
                    continue;
                }
                Primitive q = new Primitive(p.topology(), p.positions(), p.indices(), p.indexCount());
                p.attributes().values().stream().filter(a -> !unread.contains(a.name())).forEach(q::put);
                p.targets().forEach(q::addTarget);
                m.primitives().set(i, q.positions64(p.positions64()).material(p.material()));
                for (String a : unread) {
                    changes.add("attribute " + a + " of mesh " + Dedup.name(m) + " primitive " + i
                            + ", which no texture of its material reads");
                }
            }
        }
    }

    private static int texCoordSet(String name) {
        try {
            return Integer.parseInt(name.substring("TEXCOORD_".length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Removes the leaf nodes that place nothing and that no skin, skeleton or animation names, each by name. */
    static void emptyNodes(Scene scene, List<String> changes) {
        Set<Node> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Skin s : scene.skins()) {
            kept.addAll(s.joints());
            if (s.skeleton() != null) {
                kept.add(s.skeleton());
            }
        }
        for (Animation a : scene.animations()) {
            a.channels().forEach(c -> kept.add(c.target()));
        }
        for (Node r : List.copyOf(scene.roots())) {
            if (prunable(r, kept, changes)) {
                scene.roots().remove(r);
            }
        }
    }

    /** Prunes {@code n}'s subtree; true when {@code n} itself is to go. */
    private static boolean prunable(Node n, Set<Node> kept, List<String> changes) {
        n.children().removeIf(c -> prunable(c, kept, changes));
        boolean empty = n.mesh() == null && n.children().isEmpty() && !kept.contains(n);
        if (empty) {
            changes.add("node " + Dedup.name(n) + ", which placed nothing");
        }
        return empty;
    }

    private static void materialsAndTextures(Scene scene, List<String> changes) {
        List<Primitive> primitives = new ArrayList<>();
        Set<Mesh> meshes = Collections.newSetFromMap(new IdentityHashMap<>());
        scene.forEachPlacedMesh((m, t) -> {
            if (meshes.add(m)) {
                primitives.addAll(m.primitives());
            }
        });
        List<Material> materials = scene.materials();
        boolean[] usedMaterial = new boolean[materials.size()];
        for (Primitive p : primitives) {
            if (p.material() >= 0 && p.material() < materials.size()) {
                usedMaterial[p.material()] = true;
            }
        }
        int[] materialMap = compact(usedMaterial);
        for (Primitive p : primitives) {
            if (p.material() >= materials.size()) {
                p.material(-1);
            } else if (p.material() >= 0) {
                p.material(materialMap[p.material()]);
            }
        }
        List<Material> keptMaterials = new ArrayList<>();
        for (int i = 0; i < materials.size(); i++) {
            if (usedMaterial[i]) {
                keptMaterials.add(materials.get(i));
            } else {
                changes.add("material " + Dedup.name(materials.get(i).name(), i) + ", which no primitive used");
            }
        }
        boolean[] usedTexture = new boolean[scene.textures().size()];
        for (Material m : keptMaterials) {
            MaterialTextures.forEach(m, t -> {
                if (t >= 0 && t < usedTexture.length) {
                    usedTexture[t] = true;
                }
            });
        }
        int[] textureMap = compact(usedTexture);
        materials.clear();
        for (Material m : keptMaterials) {
            materials.add(MaterialTextures.remap(m, t -> t >= 0 && t < textureMap.length ? textureMap[t] : -1));
        }
        for (int i = usedTexture.length - 1; i >= 0; i--) {
            if (!usedTexture[i]) {
                changes.add("texture " + Dedup.name(scene.textures().get(i).name(), i) + ", which no material used");
                scene.textures().remove(i);
            }
        }
    }

    /** New indices of the used entries (in order), -1 for the others. */
    private static int[] compact(boolean[] used) {
        int[] map = new int[used.length];
        int next = 0;
        for (int i = 0; i < used.length; i++) {
            map[i] = used[i] ? next++ : -1;
        }
        return map;
    }
}
