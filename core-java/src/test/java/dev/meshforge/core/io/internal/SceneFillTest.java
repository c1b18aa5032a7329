// A large file read into a reused buffer of huge pages holds the file's bytes and nothing of an earlier read's.
package dev.meshforge.core.io.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SceneFillTest {
    @TempDir
    Path dir;

    /**
     * A 40 MiB file of one byte value is read and released (its buffer kept in the pool, unscrubbed as a file's copy
     * is), then files of random bytes that take that buffer again, read on one thread and in two halves: each read
     * holds exactly its file, so no byte of the first (0x55 where the random bytes leave a gap) shows through.
     */
    @Test
    void aLargeFileReadIntoAReusedBufferHoldsExactlyItsBytesOnOneThreadAndInHalves() throws IOException {
        byte[] earlier = new byte[40 << 20];
        Arrays.fill(earlier, (byte) 0x55);
        Path first = dir.resolve("first.bin");
        Files.write(first, earlier);
        Random random = new Random(5);
        for (boolean halves : new boolean[] {false, true, true}) {
            read(first, halves).close();
            // Smaller than the first (it takes its buffer again) and no whole number of huge pages.
            byte[] bytes = new byte[(36 << 20) + 12_345];
            random.nextBytes(bytes);
            Path file = dir.resolve("next.bin");
            Files.write(file, bytes);
            try (Read r = read(file, halves)) {
                assertEquals(bytes.length, r.data.byteSize(), "halves " + halves);
                assertEquals(-1, MemorySegment.mismatch(r.data, 0, r.data.byteSize(), MemorySegment.ofArray(bytes), 0,
                        bytes.length), "halves " + halves + ": the first byte that differs from the file");
            }
        }
    }

    /** A file's bytes as SceneFill.map gives them, in a shared arena that closing the read closes. */
    private static Read read(Path file, boolean halves) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new Read(arena, SceneFill.map(ch, arena, halves));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private record Read(Arena arena, MemorySegment data) implements AutoCloseable {
        @Override
        public void close() {
            arena.close();
        }
    }
}
