// A scene's triangles, vertices and geometry bytes, measured between optimize steps.
package dev.meshforge.core.optimize;

import dev.meshforge.core.scene.Animation;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Skin;
import dev.meshforge.core.scene.VertexAttribute;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * @param triangles triangles over all placements (an instance counts each time)
 * @param vertices  vertices of the distinct primitives
 * @param bytes     what the step measures: for the geometry steps the distinct primitives' vertex data as
 *                  float32 and index data as uint32 (morph targets included), keyframes and inverse bind
 *                  matrices as float32; for textures the image bytes; for
 *                  quantize and compress the bytes of the written buffer views
 */
public record SceneSize(long triangles, long vertices, long bytes) {
    public SceneSize withBytes(long b) {
        return new SceneSize(triangles, vertices, b);
    }

    public static SceneSize of(Scene scene) {
        Set<Mesh> meshes = Collections.newSetFromMap(new IdentityHashMap<>());
        scene.forEachPlacedMesh((m, t) -> meshes.add(m));
        long vertices = 0;
        long bytes = 0;
        for (Mesh m : meshes) {
            for (Primitive p : m.primitives()) {
                vertices += p.vertexCount();
                bytes += p.indexCount() * 4;
                for (VertexAttribute a : p.attributes().values()) {
                    bytes += a.count() * a.components() * 4;
                }
                for (Map<String, VertexAttribute> target : p.targets()) {
                    for (VertexAttribute a : target.values()) {
                        bytes += a.count() * a.components() * 4;
                    }
                }
            }
        }
        for (Animation a : scene.animations()) {
            for (Animation.Sampler sm : a.samplers()) {
                bytes += (sm.keyCount() + sm.valueCount()) * 4;
            }
        }
        for (Skin s : scene.skins()) {
            bytes += s.inverseBindMatrices() == null ? 0 : s.joints().size() * 64L;
        }
        return new SceneSize(scene.triangleCount(), vertices, bytes);
    }
}
