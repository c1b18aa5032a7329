// libdeflate's answers against java.util.zip's on the same streams: the same bytes, and no stream taken that zlib
// would not inflate to exactly the size asked.
package dev.meshforge.core.io.internal;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LibDeflateTest {
    /** Doubles as an FBX exporter writes them: smooth values, so that the stream has matches and literals. */
    private static double[] values(int n, long seed) {
        Random random = new Random(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = i % 7 == 0 ? random.nextGaussian() : Math.cos(i * 0.01);
        }
        return d;
    }

    private static byte[] bytes(double[] d) {
        byte[] b = new byte[d.length * 8];
        MemorySegment.copy(MemorySegment.ofArray(d), 0, MemorySegment.ofArray(b), 0, b.length);
        return b;
    }

    private static byte[] deflate(byte[] raw, int level) {
        Deflater deflater = new Deflater(level);
        deflater.setInput(raw);
        deflater.finish();
        byte[] out = new byte[raw.length + 1024];
        int n = deflater.deflate(out);
        deflater.end();
        return Arrays.copyOf(out, n);
    }

    private static byte[] zlibInflate(byte[] stream, int size) throws Exception {
        Inflater inflater = new Inflater();
        inflater.setInput(stream);
        byte[] out = new byte[size];
        int n = inflater.inflate(out);
        inflater.end();
        assertEquals(size, n);
        return out;
    }

    @Test
    void inflatesStreamsIntoArraysAsZlibDoes() throws Exception {
        assumeTrue(LibDeflate.available(), "libdeflate is not installed (Debian: libdeflate0)");
        for (int level : new int[] {1, 6, 9}) {
            double[] d = values(100_000 + level, level);
            byte[] stream = deflate(bytes(d), level);
            double[] out = new double[d.length];
            assertTrue(LibDeflate.inflate(stream, 0, stream.length, MemorySegment.ofArray(out)), "level " + level);
            assertArrayEquals(bytes(d), bytes(out), "level " + level);
            assertArrayEquals(zlibInflate(stream, d.length * 8), bytes(out), "level " + level);
            // The stream taken from inside a larger array, as from a file's bytes.
            byte[] padded = new byte[stream.length + 37];
            System.arraycopy(stream, 0, padded, 20, stream.length);
            int[] ints = new int[d.length * 2];
            assertTrue(LibDeflate.inflate(padded, 20, stream.length, MemorySegment.ofArray(ints)));
            assertArrayEquals(bytes(d), Arrays.copyOf(toBytes(ints), d.length * 8));
        }
    }

    private static byte[] toBytes(int[] ints) {
        byte[] b = new byte[ints.length * 4];
        MemorySegment.copy(MemorySegment.ofArray(ints), 0, MemorySegment.ofArray(b), 0, b.length);
        return b;
    }

    @Test
    void refusesWhatDoesNotInflateToExactlyTheSizeAsked() {
        assumeTrue(LibDeflate.available(), "libdeflate is not installed (Debian: libdeflate0)");
        double[] d = values(50_000, 3);
        byte[] stream = deflate(bytes(d), 6);
        // Too small and too large a buffer: the stream holds more, or fewer, bytes than asked.
        assertFalse(LibDeflate.inflate(stream, 0, stream.length, MemorySegment.ofArray(new double[d.length - 1])));
        assertFalse(LibDeflate.inflate(stream, 0, stream.length, MemorySegment.ofArray(new double[d.length + 1])));
        // Cut short, and a flipped byte (the checksum or the data is then wrong).
        assertFalse(LibDeflate.inflate(stream, 0, stream.length - 9, MemorySegment.ofArray(new double[d.length])));
        assertFalse(LibDeflate.inflate(stream, 0, 10, MemorySegment.ofArray(new double[d.length])));
        byte[] flipped = stream.clone();
        flipped[stream.length - 2] ^= 0x40;
        assertFalse(LibDeflate.inflate(flipped, 0, flipped.length, MemorySegment.ofArray(new double[d.length])));
        byte[] garbage = new byte[1000];
        new Random(5).nextBytes(garbage);
        assertFalse(LibDeflate.inflate(garbage, 0, garbage.length, MemorySegment.ofArray(new float[2000])));
    }
}
