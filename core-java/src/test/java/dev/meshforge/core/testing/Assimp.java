// assimp (through LWJGL) as an independent reader of the files meshforge writes.
package dev.meshforge.core.testing;

import org.lwjgl.PointerBuffer;
import org.lwjgl.assimp.AIFace;
import org.lwjgl.assimp.AIMesh;
import org.lwjgl.assimp.AINode;
import org.lwjgl.assimp.AIScene;

import java.nio.IntBuffer;
import java.nio.file.Path;

import static org.lwjgl.assimp.Assimp.aiGetErrorString;
import static org.lwjgl.assimp.Assimp.aiImportFile;
import static org.lwjgl.assimp.Assimp.aiPrimitiveType_TRIANGLE;
import static org.lwjgl.assimp.Assimp.aiProcess_Triangulate;
import static org.lwjgl.assimp.Assimp.aiReleaseImport;

/** What assimp sees in a file. */
public final class Assimp {
    private Assimp() {
    }

    /** @param triangles triangles over all node placements; @param materials the scene's material count */
    public record Counts(long triangles, int materials) {
    }

    /** Reads the file with assimp; fails with assimp's own message when it cannot. */
    public static Counts read(Path file) {
        // Only Triangulate: assimp 5's SortByPType crashes on some valid files (seen on a point-cloud PLY).
        AIScene scene = aiImportFile(file.toString(), aiProcess_Triangulate);
        if (scene == null) {
            throw new AssertionError("assimp cannot read " + file + ": " + aiGetErrorString());
        }
        try {
            long[] faces = new long[scene.mNumMeshes()];
            PointerBuffer meshes = scene.mMeshes();
            for (int i = 0; i < faces.length; i++) {
                AIMesh m = AIMesh.create(meshes.get(i));
                if ((m.mPrimitiveTypes() & aiPrimitiveType_TRIANGLE) != 0) {
                    AIFace.Buffer fs = m.mFaces();
                    for (int f = 0; f < m.mNumFaces(); f++) {
                        faces[i] += fs.get(f).mNumIndices() == 3 ? 1 : 0;
                    }
                }
            }
            return new Counts(countPlacements(scene.mRootNode(), faces, 0), scene.mNumMaterials());
        } finally {
            aiReleaseImport(scene);
        }
    }

    private static long countPlacements(AINode node, long[] faces, int depth) {
        if (node == null || depth > 1000) {
            return 0;
        }
        long n = 0;
        IntBuffer ids = node.mMeshes();
        for (int i = 0; ids != null && i < node.mNumMeshes(); i++) {
            n += faces[ids.get(i)];
        }
        PointerBuffer children = node.mChildren();
        for (int i = 0; children != null && i < node.mNumChildren(); i++) {
            n += countPlacements(AINode.create(children.get(i)), faces, depth + 1);
        }
        return n;
    }
}
