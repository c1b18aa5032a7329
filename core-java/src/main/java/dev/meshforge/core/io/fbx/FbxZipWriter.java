// Writes an FBX model and its textures into one zip ("fbx_zip").
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.internal.TempFolders;
import dev.meshforge.core.io.SceneWriter;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Scene;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The zip holds {@code <stem>.fbx} (binary unless ASCII is asked for) that refers to its textures by relative
 * name, and the textures themselves beside it at the zip's root.
 */
public final class FbxZipWriter implements SceneWriter {
    @Override
    public void write(Scene scene, Path file, WriteOptions options) throws IOException {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        Path tmp = Files.createTempDirectory("meshforge-fbxzip");
        try {
            Path model = tmp.resolve(stem + ".fbx");
            new FbxWriter(false).write(scene, model, options);
            try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
                zip.putNextEntry(new ZipEntry(stem + ".fbx"));
                Files.copy(model, zip);
                zip.closeEntry();
                for (Map.Entry<String, byte[]> t : FbxWriter.textureFiles(scene).entrySet()) {
                    zip.putNextEntry(new ZipEntry(t.getKey()));
                    zip.write(t.getValue());
                    zip.closeEntry();
                }
            }
        } finally {
            TempFolders.deleteQuietly(tmp);
        }
    }
}
