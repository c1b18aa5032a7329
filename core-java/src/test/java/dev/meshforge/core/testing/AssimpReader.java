// Re-reads a model file with assimp (lwjgl-assimp), the independent reader the writers are checked against.
package dev.meshforge.core.testing;

import org.lwjgl.PointerBuffer;
import org.lwjgl.assimp.AIMesh;
import org.lwjgl.assimp.AINode;
import org.lwjgl.assimp.AIScene;
import org.lwjgl.assimp.Assimp;

import java.nio.IntBuffer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** What assimp sees in a file: triangles over all node placements, the materials meshes use, the bones. */
public final class AssimpReader {
    private AssimpReader() {
    }

    /**
     * @param triangles    triangles over every node placement of every mesh (after assimp's triangulation)
     * @param materials    distinct materials the placed meshes use
     * @param allMaterials the scene's material count as assimp reports it
     * @param bones        distinct bone names over all meshes
     */
    public record Result(long triangles, int materials, int allMaterials, int bones) {
    }

    public static Result read(Path file) {
        AIScene scene = Assimp.aiImportFile(file.toString(), Assimp.aiProcess_Triangulate);
        if (scene == null) {
            throw new AssertionError("assimp cannot read " + file + ": " + Assimp.aiGetErrorString());
        }
        try {
            long[] tris = {0};
            Set<Integer> used = new HashSet<>();
            Set<String> bones = new HashSet<>();
            walk(scene, scene.mRootNode(), tris, used, bones, 0);
            return new Result(tris[0], used.size(), scene.mNumMaterials(), bones.size());
        } finally {
            Assimp.aiReleaseImport(scene);
        }
    }

    private static void walk(AIScene scene, AINode node, long[] tris, Set<Integer> used, Set<String> bones,
                             int depth) {
        if (node == null || depth > 256) {
            return;
        }
        IntBuffer meshes = node.mMeshes();
        PointerBuffer all = scene.mMeshes();
        for (int i = 0; i < node.mNumMeshes(); i++) {
            AIMesh mesh = AIMesh.create(all.get(meshes.get(i)));
            int n = mesh.mNumFaces();
            for (int f = 0; f < n; f++) {
                if (mesh.mFaces().get(f).mNumIndices() == 3) {
                    tris[0]++;
                }
            }
            used.add(mesh.mMaterialIndex());
            PointerBuffer bs = mesh.mBones();
            for (int b = 0; b < mesh.mNumBones(); b++) {
                bones.add(org.lwjgl.assimp.AIBone.create(bs.get(b)).mName().dataString());
            }
        }
        PointerBuffer children = node.mChildren();
        for (int c = 0; c < node.mNumChildren(); c++) {
            walk(scene, AINode.create(children.get(c)), tris, used, bones, depth + 1);
        }
    }
}
