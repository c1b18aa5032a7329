// A model's files reach the output's folder only once the writer has finished, named as the output.
package dev.meshforge.core.io;

import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StagedWriteTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWriteThatFailsLeavesWhatWasThereAndNoHalfWrittenFile() throws IOException {
        Path out = dir.resolve("model.obj");
        Files.writeString(out, "the model as it was");
        try (Scene scene = new Scene()) {
            IOException e = assertThrows(IOException.class, () -> StagedWrite.run(out, scene, target -> {
                Files.writeString(target, "v 0 0 0\nv 1 0 0\n");
                Files.writeString(target.resolveSibling("model.mtl"), "newmtl half");
                throw new IOException(target + ": No space left on device");
            }));
            assertEquals(out + ": No space left on device", e.getMessage());
        }
        assertEquals("the model as it was", Files.readString(out));
        assertEquals(List.of("model.obj"), names(), "no companion and no stand-in folder left");
    }

    @Test
    void aWriteThatFinishesMovesEveryFileIntoPlace() throws IOException {
        Path out = dir.resolve("model.gltf");
        Files.writeString(out, "old");
        try (Scene scene = new Scene()) {
            StagedWrite.run(out, scene, target -> {
                assertFalse(target.getParent().equals(dir), "written beside the output, not over it");
                assertEquals("old", Files.readString(out), "the output stays as it was while the writer runs");
                Files.writeString(target, "{}");
                Files.writeString(target.resolveSibling("model.bin"), "bin");
                Files.createDirectories(target.resolveSibling("textures"));
                Files.writeString(target.resolveSibling("textures").resolve("a.png"), "png");
            });
        }
        assertEquals("{}", Files.readString(out));
        assertEquals("bin", Files.readString(dir.resolve("model.bin")));
        assertEquals("png", Files.readString(dir.resolve("textures").resolve("a.png")));
        assertEquals(List.of("model.bin", "model.gltf", "textures"), names());
    }

    @Test
    void warningsAndLimitsNameTheOutputNotTheStandIn() throws IOException {
        Path out = dir.resolve("model.ply");
        try (Scene scene = new Scene()) {
            scene.warn("read: an earlier warning");
            StagedWrite.run(out, scene, target -> {
                scene.warn(target + ": 3 vertices lie on texture seams");
                Files.writeString(target, "ply");
            });
            assertEquals(List.of("read: an earlier warning", out + ": 3 vertices lie on texture seams"),
                    scene.warnings());
            LimitExceededException e = assertThrows(LimitExceededException.class, () -> StagedWrite.run(out, scene,
                    target -> {
                        throw new LimitExceededException(target + ": the scene has more than 4294967295 vertices");
                    }));
            assertEquals(out + ": the scene has more than 4294967295 vertices", e.getMessage());
        }
        assertEquals("ply", Files.readString(out));
        assertEquals(List.of("model.ply"), names());
    }

    @Test
    void aFileWrittenOverKeepsItsPermissions() throws IOException {
        Path out = dir.resolve("private.stl");
        Files.writeString(out, "old");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-------"));
        try (Scene scene = new Scene()) {
            StagedWrite.run(out, scene, target -> Files.writeString(target, "new"));
        }
        assertEquals("new", Files.readString(out));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    }

    @Test
    void aLinkStaysALinkAndIsWrittenThrough() throws IOException {
        Path real = dir.resolve("real.stl");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.stl"), real.getFileName());
        try (Scene scene = new Scene()) {
            StagedWrite.run(link, scene, target -> Files.writeString(target, "new"));
        }
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(real));
    }

    @Test
    void aProcessStoppedWhileItWritesLeavesNoStandInFolder() throws Exception {
        Path out = dir.resolve("model.stl");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), SlowWrite.class.getName(), out.toString())
                .redirectErrorStream(true).start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
            assertEquals("writing", line);
            assertTrue(names().stream().anyMatch(n -> n.startsWith(".model.stl" + StagedWrite.MARK)), "staging");
            p.destroy(); // SIGTERM: the shutdown hooks run, as on Ctrl-C
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        assertEquals(List.of(), names());
    }

    /** Starts a staged write that never ends. */
    static final class SlowWrite {
        public static void main(String[] args) throws Exception {
            try (Scene scene = new Scene()) {
                StagedWrite.run(Path.of(args[0]), scene, target -> {
                    Files.writeString(target, "solid half");
                    System.out.println("writing");
                    System.out.flush();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
        }
    }

    @Test
    void aModelWrittenOverTheFileItWasReadFromReadsBackWhole() throws IOException {
        // The Duck as an OBJ with its MTL and texture, then read and written over itself.
        Path obj = dir.resolve("duck.obj");
        try (Scene duck = Formats.read(Corpus.root().resolve("glb/Duck.glb"))) {
            Formats.write(duck, obj, Format.OBJ, WriteOptions.DEFAULTS);
        }
        List<String> written = names();
        byte[] png = Files.readAllBytes(dir.resolve("image0.png"));
        try (Scene again = Formats.read(obj)) {
            Formats.write(again, obj, Format.OBJ, WriteOptions.DEFAULTS);
        }
        assertEquals(written, names(), "the same files, no stand-in folder left");
        try (Scene back = Formats.read(obj)) {
            assertEquals(4212, back.triangleCount());
            int texture = back.materials().get(0).baseColorTexture();
            assertTrue(texture >= 0, "the material still has its texture");
            assertArrayEquals(png, back.textures().get(texture).bytes());
        }
    }
}
