// The three sides of the read benchmarks: meshforge's read, assimp's import (through LWJGL) and a memory copy.
package dev.meshforge.benchmarks;

import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import org.lwjgl.assimp.AIMesh;
import org.lwjgl.assimp.AIScene;
import org.lwjgl.assimp.Assimp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Each returns what it read (triangles or bytes), so that a benchmark can check the sides did the same work. */
final class Readers {
    private Readers() {
    }

    /** meshforge's read into a scene. */
    static long meshforge(Path file) {
        try (Scene s = Formats.read(file)) {
            return s.triangleCount();
        }
    }

    /** The floor no reader can beat: the files' bytes copied into memory (from the page cache), nothing parsed. */
    static long memoryCopy(List<Path> files) {
        try {
            long bytes = 0;
            for (Path p : files) {
                bytes += Files.readAllBytes(p).length;
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** assimp's import with {@code aiProcess_Triangulate}, its cheapest import that yields triangles. */
    static long assimp(Path file) {
        AIScene scene = Assimp.aiImportFile(file.toString(), Assimp.aiProcess_Triangulate);
        if (scene == null) {
            throw new IllegalStateException("assimp cannot read " + file + ": " + Assimp.aiGetErrorString());
        }
        try {
            long triangles = 0;
            for (int i = 0; i < scene.mNumMeshes(); i++) {
                triangles += AIMesh.create(scene.mMeshes().get(i)).mNumFaces();
            }
            return triangles;
        } finally {
            Assimp.aiReleaseImport(scene);
        }
    }
}
