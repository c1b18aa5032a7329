// Coverage-guided fuzzing of every reader and of the kernel's inspect on what they read (Jazzer).
package dev.meshforge.core.io;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meshforge.core.MeshforgeException;
import dev.meshforge.core.internal.TempFolders;
import dev.meshforge.core.ops.Inspect;
import dev.meshforge.core.ops.Limits;
import dev.meshforge.core.ops.RunControl;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.testing.Corpus;
import dev.meshforge.core.testing.TestData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * One fuzz target for all readers: the fuzzer's bytes choose a format and either make the file outright or edit a
 * seed of that format (bytes flipped, 32-bit fields overwritten, cuts, insertions, deletions). Seeds are the corpus
 * files of up to {@link #SEED_MAX_BYTES} bytes, read in place, and the fixture cube written by our own writers in
 * every format. Each input is written to a file and read through {@link Formats#read} under tight limits; what
 * reads is inspected by the kernel (self-intersections included). Reading or refusing with a
 * {@link MeshforgeException} is right; any other exception, an error, a hang past the timeout or a native crash
 * is a finding, and its file is kept under {@code target/fuzz-findings/} to become a regression fixture.
 *
 * <p>Without {@code JAZZER_FUZZ} the targets run as plain tests over their stored inputs (Jazzer's
 * {@code ReaderFuzzTestInputs} resources; none so far). {@code scripts/fuzz} fuzzes: {@code readers} for a minute
 * (CI), {@code readersUnbounded} for as long as it is given.
 */
class ReaderFuzzTest {
    static final String[] EXTENSIONS = {"stl", "obj", "ply", "fbx", "glb", "gltf", "zip", "3mf"};
    static final int SEED_MAX_BYTES = 256 * 1024;
    static final ReadOptions LIMITS = new ReadOptions(4L << 20, 2_000_000L).withArchiveLimits(64, 64L << 20, 200)
            .withMaxDecodedBytes(64L << 20).withMaxNodeDepth(64);
    static final RunControl INSPECT_LIMITS = RunControl.DEFAULTS.withLimits(
            new Limits(512L << 20, Duration.ofSeconds(20)));
    static final int TIME_LIMIT_S = 20;
    private static final ExecutorService WATCHED = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-read");
        t.setDaemon(true);
        return t;
    });
    private static final List<List<byte[]>> SEEDS = seeds();
    private static final Path WORK = workDir();

    @FuzzTest(maxDuration = "60s")
    void readers(FuzzedDataProvider data) throws IOException {
        readOne(data);
    }

    @FuzzTest(maxDuration = "9999h")
    void readersUnbounded(FuzzedDataProvider data) throws IOException {
        readOne(data);
    }

    private static void readOne(FuzzedDataProvider data) throws IOException {
        int format = data.consumeInt(0, EXTENSIONS.length - 1);
        List<byte[]> pool = SEEDS.get(format);
        byte[] bytes = pool.isEmpty() || data.consumeInt(0, 7) == 0
                ? data.consumeRemainingAsBytes()
                : edited(pool.get(data.consumeInt(0, pool.size() - 1)), data);
        Path file = WORK.resolve("input." + EXTENSIONS[format]);
        Files.write(file, bytes);
        try {
            readOrRefuse(file);
        } catch (RuntimeException | Error e) {
            keep(bytes, EXTENSIONS[format]);
            throw e;
        }
    }

    /**
     * Reads {@code file} and inspects what it holds, within {@link #TIME_LIMIT_S} seconds (past it, an error is
     * thrown: a hang is a finding); a {@link MeshforgeException} is a refusal, which is right.
     */
    static void readOrRefuse(Path file) {
        Future<?> f = WATCHED.submit(() -> {
            try (Scene scene = Formats.read(file, LIMITS)) {
                Inspect.TOOL.run(scene, Inspect.Options.DEFAULTS, INSPECT_LIMITS);
            } catch (MeshforgeException e) {
                // refused in one sentence: what a bad file must get
            }
        });
        try {
            f.get(TIME_LIMIT_S, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError(file + ": still reading after " + TIME_LIMIT_S + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** A seed with up to eight edits the fuzzer chooses. */
    private static byte[] edited(byte[] seed, FuzzedDataProvider data) {
        byte[] b = seed.clone();
        int edits = data.consumeInt(1, 8);
        for (int k = 0; k < edits && b.length > 0; k++) {
            int at = data.consumeInt(0, b.length - 1);
            switch (data.consumeInt(0, 4)) {
                case 0 -> b[at] ^= (byte) data.consumeInt(1, 255);
                case 1 -> {
                    if (at + 4 <= b.length) {
                        ByteBuffer.wrap(b, at, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(data.consumeInt());
                    }
                }
                case 2 -> b = java.util.Arrays.copyOf(b, at);
                case 3 -> {
                    byte[] ins = data.consumeBytes(64);
                    byte[] n = new byte[b.length + ins.length];
                    System.arraycopy(b, 0, n, 0, at);
                    System.arraycopy(ins, 0, n, at, ins.length);
                    System.arraycopy(b, at, n, at + ins.length, b.length - at);
                    b = n;
                }
                default -> {
                    int len = Math.min(data.consumeInt(1, 256), b.length - at);
                    byte[] n = new byte[b.length - len];
                    System.arraycopy(b, 0, n, 0, at);
                    System.arraycopy(b, at + len, n, at, b.length - at - len);
                    b = n;
                }
            }
        }
        return b;
    }

    private static List<List<byte[]>> seeds() {
        List<List<byte[]>> out = new ArrayList<>();
        for (int i = 0; i < EXTENSIONS.length; i++) {
            out.add(new ArrayList<>());
        }
        Path written = null;
        try {
            written = Files.createTempDirectory("meshforge-fuzz-seeds");
            try (Scene cube = Formats.read(TestData.file("cube.obj"))) {
                for (String ext : EXTENSIONS) {
                    if (!ext.equals("zip")) {
                        Path p = written.resolve("cube." + ext);
                        Formats.write(cube, p, Format.forOutput(p), WriteOptions.DEFAULTS);
                        add(out, p);
                    }
                }
                Path zip = written.resolve("cube.zip");
                Formats.write(cube, zip, Format.OBJ_ZIP, WriteOptions.DEFAULTS);
                add(out, zip);
            }
            Path corpus = Corpus.root();
            if (Files.isDirectory(corpus)) {
                try (Stream<Path> s = Files.walk(corpus)) {
                    for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                        if (Files.size(p) <= SEED_MAX_BYTES) {
                            add(out, p);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (written != null) {
                TempFolders.deleteQuietly(written); // the seeds are held in memory
            }
        }
        return out;
    }

    private static void add(List<List<byte[]>> out, Path p) throws IOException {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        for (int i = 0; i < EXTENSIONS.length; i++) {
            if (name.endsWith("." + EXTENSIONS[i])) {
                out.get(i).add(Files.readAllBytes(p));
            }
        }
    }

    private static Path workDir() {
        try {
            Path dir = Files.createTempDirectory("meshforge-fuzz");
            // A fuzzing run ends with the JVM (Jazzer exits on a finding, or at its time).
            Runtime.getRuntime().addShutdownHook(new Thread(() -> TempFolders.deleteQuietly(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps a finding's file under target/fuzz-findings, named by its hash. */
    private static void keep(byte[] bytes, String ext) throws IOException {
        Path dir = Path.of("target", "fuzz-findings");
        Files.createDirectories(dir);
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
            Files.write(dir.resolve(hash + "." + ext), bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
