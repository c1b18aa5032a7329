// Writes the scene's skins as FBX Skin deformers with one Cluster per joint, and a bind pose.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Scene;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** Skin deformers: filled in once skins are read. */
final class FbxSkinWriter {
    private FbxSkinWriter() {
    }

    interface Connector {
        void connect(String type, long child, long parent, String property);
    }

    static void write(Scene scene, FbxNode objects, Map<Node, Long> models, Map<Mesh, Long> geometries,
                      LongSupplier ids, Connector connect, Consumer<String> count) {
    }
}
