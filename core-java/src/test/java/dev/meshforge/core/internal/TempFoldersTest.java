// Temporary folders go whatever happens, and their removal never hides the error a write ends with.
package dev.meshforge.core.internal;

import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.SceneWriter;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.io.fbx.FbxZipWriter;
import dev.meshforge.core.io.zip.ObjZipWriter;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TempFoldersTest {
    @TempDir
    Path dir;

    @Test
    void deletesAFolderAndEverythingUnderIt() throws IOException {
        Path root = dir.resolve("work");
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/model.obj"), "v 0 0 0\n");
        Files.writeString(root.resolve("top.bin"), "x");
        assertTrue(TempFolders.deleteQuietly(root));
        assertFalse(Files.exists(root));
        assertTrue(Files.exists(dir), "the folder above stays");
    }

    @Test
    void aFolderThatIsNotThereIsNoError() {
        assertTrue(TempFolders.deleteQuietly(dir.resolve("never-made")));
    }

    @Test
    void aFileIsDeletedToo() throws IOException {
        Path f = Files.writeString(dir.resolve("lone.tmp"), "x");
        assertTrue(TempFolders.deleteQuietly(f));
        assertFalse(Files.exists(f));
    }

    /** The system's temporary folders whose names start with {@code prefix}. */
    private static long temporaries(String prefix) throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        }
    }

    private void failsNamingTheMissingFolderAndLeavesNoTemporary(SceneWriter writer, String prefix)
            throws IOException {
        Path out = dir.resolve("no-such-folder").resolve("model.zip");
        long before = temporaries(prefix);
        try (Scene scene = Formats.read(Corpus.root().resolve("glb/Duck.glb"))) {
            NoSuchFileException e = assertThrows(NoSuchFileException.class,
                    () -> writer.write(scene, out, WriteOptions.DEFAULTS));
            assertTrue(e.getMessage().contains("no-such-folder"), e.getMessage());
        }
        assertEquals(before, temporaries(prefix), "a " + prefix + "* folder was left in the system's temporary folder");
    }

    @Test
    void anObjZipThatCannotBeWrittenFailsWithItsOwnErrorAndLeavesNoTemporary() throws IOException {
        failsNamingTheMissingFolderAndLeavesNoTemporary(new ObjZipWriter(), "meshforge-objzip-");
    }

    @Test
    void anFbxZipThatCannotBeWrittenFailsWithItsOwnErrorAndLeavesNoTemporary() throws IOException {
        failsNamingTheMissingFolderAndLeavesNoTemporary(new FbxZipWriter(), "meshforge-fbxzip");
    }
}
