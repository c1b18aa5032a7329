// Writes a scene as one ZIP archive holding the OBJ, its MTL and its textures.
package dev.meshforge.core.io.zip;

import dev.meshforge.core.internal.TempFolders;
import dev.meshforge.core.io.SceneWriter;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.io.obj.ObjWriter;
import dev.meshforge.core.scene.Scene;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The {@code obj_zip} format: {@link ObjWriter}'s files, flat at the archive's root, the OBJ first. The OBJ is
 * named after the archive ({@code model.zip} holds {@code model.obj}, {@code model.mtl} and the textures).
 * Every entry is deflated.
 */
public final class ObjZipWriter implements SceneWriter {
    @Override
    public void write(Scene scene, Path file, WriteOptions options) throws IOException {
        String name = file.getFileName().toString();
        String stem = name.toLowerCase(java.util.Locale.ROOT).endsWith(".zip") ? name.substring(0, name.length() - 4)
                : name;
        if (stem.isEmpty()) {
            stem = "model";
        }
        Path tmp = Files.createTempDirectory("meshforge-objzip-");
        try {
            Path obj = tmp.resolve(stem + ".obj");
            new ObjWriter().write(scene, obj, options);
            List<Path> files;
            try (Stream<Path> s = Files.list(tmp)) {
                files = s.sorted(Comparator.comparing((Path p) -> !p.equals(obj)).thenComparing(Path::toString))
                        .toList();
            }
            try (OutputStream raw = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(raw)) {
                for (Path p : files) {
                    ZipEntry e = new ZipEntry(p.getFileName().toString());
                    zip.putNextEntry(e);
                    Files.copy(p, zip);
                    zip.closeEntry();
                }
            }
        } finally {
            TempFolders.deleteQuietly(tmp);
        }
    }
}
