// Skins (clusters), blend shapes and skeletal animation of an FBX file, applied to the built scene.
package dev.meshforge.core.io.fbx;

/** Reads deformers and animation after the geometry and hierarchy exist. */
final class FbxDeformers {
    private final FbxReader.Build build;

    FbxDeformers(FbxReader.Build build) {
        this.build = build;
    }

    void run() {
    }
}
