// Optimize step: identical textures, materials, meshes and data streams become one.
package dev.meshforge.core.optimize;

import dev.meshforge.core.scene.Animation;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Texture;
import dev.meshforge.core.scene.VertexAttribute;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Textures with the same image bytes and sampler, materials alike in everything but the name, meshes with the same
 * primitives, and vertex or keyframe streams with the same bytes are merged: the first keeps its place and name,
 * each merged one is named in the changes. Unreferenced entries are left for prune.
 */
public final class Dedup {
    private Dedup() {
    }

    public static List<String> run(Scene scene) {
        List<String> changes = new ArrayList<>();
        int[] textureMap = textures(scene, changes);
        for (int i = 0; i < scene.materials().size(); i++) {
            scene.materials().set(i, MaterialTextures.remap(scene.materials().get(i), t -> textureMap[t]));
        }
        int[] materialMap = materials(scene, changes);
        List<Mesh> meshes = new ArrayList<>();
        scene.forEachPlacedNode((n, t) -> {
            if (n.mesh() != null && !meshes.contains(n.mesh())) {
                meshes.add(n.mesh());
            }
        });
        for (Mesh m : meshes) {
            for (Primitive p : m.primitives()) {
                if (p.material() >= 0 && p.material() < materialMap.length) {
                    p.material(materialMap[p.material()]);
                }
            }
        }
        meshes(scene, meshes, changes);
        streams(scene, meshes, changes);
        return changes;
    }

    private static int[] textures(Scene scene, List<String> changes) {
        List<Texture> ts = scene.textures();
        int[] map = new int[ts.size()];
        for (int i = 0; i < ts.size(); i++) {
            map[i] = i;
            for (int j = 0; j < i; j++) {
                Texture a = ts.get(j);
                Texture b = ts.get(i);
                if (map[j] == j && a.bytes() != null && Arrays.equals(a.bytes(), b.bytes())
                        && Objects.equals(a.mimeType(), b.mimeType()) && a.sampler().equals(b.sampler())) {
                    map[i] = j;
                    changes.add("texture " + name(b.name(), i) + " merged into " + name(a.name(), j));
                    break;
                }
            }
        }
        return map;
    }

    private static int[] materials(Scene scene, List<String> changes) {
        List<Material> ms = scene.materials();
        int[] map = new int[ms.size()];
        for (int i = 0; i < ms.size(); i++) {
            map[i] = i;
            for (int j = 0; j < i; j++) {
                if (map[j] == j && alike(ms.get(j), ms.get(i))) {
                    map[i] = j;
                    changes.add("material " + name(ms.get(i).name(), i) + " merged into "
                            + name(ms.get(j).name(), j));
                    break;
                }
            }
        }
        return map;
    }

    private static boolean alike(Material a, Material b) {
        return Arrays.equals(a.baseColorFactor(), b.baseColorFactor()) && a.metallicFactor() == b.metallicFactor()
                && a.roughnessFactor() == b.roughnessFactor() && a.baseColorTexture() == b.baseColorTexture()
                && a.metallicRoughnessTexture() == b.metallicRoughnessTexture()
                && a.normalTexture() == b.normalTexture() && a.occlusionTexture() == b.occlusionTexture()
                && a.emissiveTexture() == b.emissiveTexture() && Arrays.equals(a.emissiveFactor(), b.emissiveFactor())
                && a.doubleSided() == b.doubleSided() && a.alphaMode() == b.alphaMode()
                && a.alphaCutoff() == b.alphaCutoff() && a.slots().equals(b.slots())
                && a.extensions().equals(b.extensions());
    }

    /** Nodes placing a mesh equal to an earlier one place that one instead. */
    private static void meshes(Scene scene, List<Mesh> meshes, List<String> changes) {
        Map<Mesh, Mesh> replace = new IdentityHashMap<>();
        for (int i = 0; i < meshes.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (!replace.containsKey(meshes.get(j)) && sameMesh(meshes.get(j), meshes.get(i))) {
                    replace.put(meshes.get(i), meshes.get(j));
                    changes.add("mesh " + name(meshes.get(i).name(), i) + " merged into "
                            + name(meshes.get(j).name(), j) + " (now instanced)");
                    break;
                }
            }
        }
        if (!replace.isEmpty()) {
            scene.forEachPlacedNode((n, t) -> {
                Mesh r = n.mesh() == null ? null : replace.get(n.mesh());
                if (r != null) {
                    n.mesh(r);
                }
            });
            meshes.removeAll(replace.keySet());
        }
    }

    private static boolean sameMesh(Mesh a, Mesh b) {
        if (a.primitives().size() != b.primitives().size() || !Arrays.equals(a.weights(), b.weights())) {
            return false;
        }
        for (int k = 0; k < a.primitives().size(); k++) {
            Primitive p = a.primitives().get(k);
            Primitive q = b.primitives().get(k);
            if (p.topology() != q.topology() || p.material() != q.material() || p.indexCount() != q.indexCount()
                    || !p.targets().isEmpty() || !q.targets().isEmpty()
                    || !p.attributes().keySet().equals(q.attributes().keySet())
                    || !same(p.indices(), q.indices(), p.indexCount() * 4)) {
                return false;
            }
            for (VertexAttribute x : p.attributes().values()) {
                VertexAttribute y = q.attribute(x.name());
                if (x.components() != y.components() || x.count() != y.count()
                        || !same(x.data(), y.data(), x.count() * x.components() * 4)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean same(MemorySegment a, MemorySegment b, long bytes) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        return MemorySegment.mismatch(a, 0, bytes, b, 0, bytes) == -1;
    }

    /**
     * Vertex attributes and keyframe streams with the same bytes share one segment, which the glTF writer then
     * writes as one accessor.
     */
    private static void streams(Scene scene, List<Mesh> meshes, List<String> changes) {
        Map<Long, List<MemorySegment>> seen = new HashMap<>();
        int[] merged = {0};
        java.util.function.BiFunction<MemorySegment, Long, MemorySegment> canonical = (data, bytes) -> {
            long hash = hash(data, bytes);
            List<MemorySegment> bucket = seen.computeIfAbsent(hash ^ bytes * 31, k -> new ArrayList<>());
            for (MemorySegment s : bucket) {
                if (s.byteSize() >= bytes && same(s, data, bytes)) {
                    if (s != data) {
                        merged[0]++;
                    }
                    return s;
                }
            }
            bucket.add(data);
            return data;
        };
        for (Mesh m : meshes) {
            for (Primitive p : m.primitives()) {
                for (VertexAttribute a : List.copyOf(p.attributes().values())) {
                    long bytes = a.count() * a.components() * 4;
                    MemorySegment c = canonical.apply(a.data(), bytes);
                    if (c != a.data()) {
                        VertexAttribute shared = new VertexAttribute(a.name(), a.components(), a.count(), c);
                        if (a.name().equals(VertexAttribute.POSITION)) {
                            p.movePositions(shared, p.positions64());
                        } else {
                            p.put(shared);
                        }
                    }
                }
            }
        }
        for (int i = 0; i < scene.animations().size(); i++) {
            Animation a = scene.animations().get(i);
            List<Animation.Sampler> samplers = new ArrayList<>();
            for (Animation.Sampler s : a.samplers()) {
                samplers.add(new Animation.Sampler(canonical.apply(s.times(), s.keyCount() * 4), s.keyCount(),
                        canonical.apply(s.values(), s.valueCount() * 4), s.valueCount(), s.components(),
                        s.interpolation()));
            }
            scene.animations().set(i, new Animation(a.name(), samplers, a.channels()));
        }
        if (merged[0] > 0) {
            changes.add(merged[0] + " vertex or keyframe streams identical to another now share its accessor");
        }
    }

    private static long hash(MemorySegment data, long bytes) {
        long h = 1125899906842597L;
        long step = Math.max(4, (bytes / 64) & ~3L);
        for (long at = 0; at + 4 <= bytes; at += step) {
            h = 31 * h + data.get(ValueLayout.JAVA_INT_UNALIGNED, at);
        }
        return h;
    }

    static String name(String name, int index) {
        return name == null || name.isEmpty() ? "#" + index : "'" + name + "'";
    }

    static String name(Node n) {
        return n.name().isEmpty() ? "(unnamed)" : "'" + n.name() + "'";
    }

    static String name(Mesh m) {
        return m.name().isEmpty() ? "(unnamed)" : "'" + m.name() + "'";
    }
}
