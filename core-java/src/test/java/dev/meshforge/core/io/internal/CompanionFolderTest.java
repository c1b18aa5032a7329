// The companion gate on its own: which written paths open a file, and the reason given for each refusal.
package dev.meshforge.core.io.internal;

import dev.meshforge.core.io.ReadOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CompanionFolderTest {
    @TempDir
    Path tmp;

    @Test
    void eachKindOfHostilePathIsRefusedWithItsReason() throws Exception {
        Path model = Files.createDirectories(tmp.resolve("m"));
        Files.createDirectories(model.resolve("maps"));
        Files.writeString(model.resolve("maps/a.png"), "a");
        Files.createDirectories(model.resolve("maps/sub"));
        // A named pipe would block a reader forever: it must be refused without being opened.
        boolean fifo = new ProcessBuilder("mkfifo", model.resolve("pipe.png").toString()).start().waitFor() == 0;
        Files.writeString(tmp.resolve("outside.png"), "x");
        CompanionFolder folder = new CompanionFolder(model.resolve("m.obj"), ReadOptions.DEFAULTS);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("maps/a.png", "found maps/a.png");
        expected.put("maps/sub/../a.png", "found maps/a.png");
        expected.put("maps/missing.png", "was not found");
        expected.put("../outside.png", "was not opened: it leaves the model's folder");
        expected.put("maps/../../outside.png", "was not opened: it leaves the model's folder");
        expected.put(tmp.resolve("outside.png").toString(), "was not opened: it is an absolute path; only files in the "
                + "model's folder are read");
        expected.put("C:\\Users\\x\\outside.png", "was not opened: it is an absolute path; only files in the model's "
                + "folder are read");
        expected.put("\\\\server\\share\\outside.png", "was not opened: it is an absolute path; only files in the "
                + "model's folder are read");
        expected.put("/dev/zero", "was not opened: it names a device");
        expected.put("\\\\.\\PhysicalDrive0", "was not opened: it names a device");
        expected.put("maps/CON.png", "was not opened: it names a device");
        expected.put("aux", "was not opened: it names a device");
        expected.put("https://example.com/a.png", "was not opened: it is a URL; only files in the model's folder are read");
        expected.put("file:///etc/passwd", "was not opened: it is a URL; only files in the model's folder are read");
        if (fifo) {
            expected.put("pipe.png", "was not opened: it is not a regular file");
        }
        expected.put("maps", "was not opened: it is not a regular file");
        expected.put("a\0b.png", "was not opened: it holds a NUL character");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            CompanionFolder.Found f = folder.exact(model, e.getKey().replace('\\', '/'));
            String got = f.file() != null ? "found " + model.relativize(f.file()).toString().replace('\\', '/')
                    : f.failure();
            assertEquals(e.getValue(), got, e.getKey());
        }
        // find() tolerates what exporters write: Windows separators and another letter case.
        assertEquals(model.resolve("maps/a.png"), folder.find(model, "MAPS\\A.PNG").file());
    }

    @Test
    void bareNameOfARefusedPathIsStillLookedUpBesideTheModel() throws Exception {
        Path model = Files.createDirectories(tmp.resolve("m"));
        Files.writeString(model.resolve("skin.png"), "s");
        CompanionFolder folder = new CompanionFolder(model.resolve("m.fbx"), ReadOptions.DEFAULTS);
        assertEquals(model.resolve("skin.png"), folder.find(model, "C:\\art\\skin.png").file());
        assertEquals(model.resolve("skin.png"), folder.find(model, "../../skin.png").file());
        assertEquals("was not opened: it leaves the model's folder", folder.find(model, "../other.png").failure());
    }

    @Test
    void companionFolderOptionWidensTheFolderToAnArchiveRoot() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path model = Files.createDirectories(root.resolve("model"));
        Files.createDirectories(root.resolve("textures"));
        Files.writeString(root.resolve("textures/t.png"), "t");
        assertEquals("was not opened: it leaves the model's folder",
                new CompanionFolder(model.resolve("m.obj"), ReadOptions.DEFAULTS).exact(model, "../textures/t.png")
                        .failure());
        assertEquals(root.resolve("textures/t.png"), new CompanionFolder(model.resolve("m.obj"),
                ReadOptions.DEFAULTS.withCompanionFolder(root)).exact(model, "../textures/t.png").file());
    }
}
