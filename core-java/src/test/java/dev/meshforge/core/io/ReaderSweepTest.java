// Every corpus file cut short and with bytes flipped, as ufbx tests its reader: each variant reads or is refused.
package dev.meshforge.core.io;

import dev.meshforge.core.MeshforgeException;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.testing.Corpus;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For each model file of the corpus: the file truncated at lengths up to 4 KiB and at evenly spaced lengths beyond,
 * and the file with a few bytes flipped at fixed seeds. Each variant must read, or fail with a {@link
 * MeshforgeException} whose message names the file and a place in it (a byte offset, a line, an archive entry, a
 * JSON path such as {@code accessors[3]}, a record or element; an empty file needs none); no other exception, no
 * read longer than {@link #TIME_LIMIT_S} seconds, no out-of-memory or stack overflow.
 *
 * <p>By default a sample keeps CI under two minutes: every 61st length up to 4 KiB, 8 lengths beyond, 4 seeds.
 * {@code -Dmeshforge.sweep=full} (or {@code MESHFORGE_SWEEP=full}) runs every length up to 4 KiB, 64 beyond and
 * 32 seeds: some hours on two cores.
 */
class ReaderSweepTest {
    static final boolean FULL = "full".equals(System.getProperty("meshforge.sweep", System.getenv("MESHFORGE_SWEEP")));
    static final int SMALL_STEP = FULL ? 1 : 61;
    static final int BEYOND = FULL ? 64 : 8;
    static final int SEEDS = FULL ? 32 : 4;
    static final int TIME_LIMIT_S = 20;
    static final Pattern MODEL = Pattern.compile("(?i).*\\.(stl|obj|ply|fbx|glb|gltf|zip)$");
    static final Pattern PLACE = Pattern.compile("(byte|offset|line|record|vertex|face|triangle|entry|accessors|"
            + "bufferViews|buffers|nodes|meshes|images|textures|materials|skins|animations|scenes)\\b|\\[\\d+\\]"
            + "|is empty \\(0 bytes\\)");

    @TempDir
    static Path tmp;

    static List<Path> models() throws IOException {
        Path root = Corpus.root();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> MODEL.matcher(p.getFileName().toString()).matches())
                    .sorted().toList();
        }
    }

    /** The lengths a file is cut to: short prefixes, then evenly spaced ones up to (not including) its size. */
    static List<Integer> lengths(int size) {
        List<Integer> out = new ArrayList<>();
        for (int n = 0; n < Math.min(size, 4096); n += SMALL_STEP) {
            out.add(n);
        }
        if (size > 4096) {
            for (int k = 0; k < BEYOND; k++) {
                out.add(4096 + (int) ((long) (size - 4096) * k / BEYOND));
            }
        }
        return out;
    }

    /** Eight bytes flipped (XOR with a non-zero byte) at places chosen by {@code seed}; headers are hit often. */
    static byte[] flipped(byte[] whole, long seed) {
        byte[] b = whole.clone();
        Random r = new Random(seed);
        for (int k = 0; k < 8; k++) {
            int at = k < 4 ? r.nextInt(Math.min(b.length, 512)) : r.nextInt(b.length);
            b[at] ^= (byte) (1 + r.nextInt(255));
        }
        return b;
    }

    @TestFactory
    Stream<DynamicTest> everyVariantReadsOrIsRefusedInOneSentence() throws IOException {
        return models().stream().map(model -> DynamicTest.dynamicTest(Corpus.root().relativize(model).toString(),
                () -> sweep(model)));
    }

    private void sweep(Path model) throws Exception {
        byte[] whole = Files.readAllBytes(model);
        Path dir = Files.createTempDirectory(tmp, "sweep");
        Path variant = dir.resolve(model.getFileName().toString());
        if (model.getFileName().toString().endsWith(".gltf")) {
            // The cut JSON keeps its buffers and images beside it (copies in the temporary folder, never in the
            // project), so that the variants reach the accessors instead of all failing at the first buffer.
            try (Stream<Path> siblings = Files.list(model.getParent())) {
                for (Path sib : siblings.filter(Files::isRegularFile).filter(x -> !x.equals(model)).toList()) {
                    Files.copy(sib, dir.resolve(sib.getFileName().toString()));
                }
            }
        }
        List<String> failures = new ArrayList<>();
        int reads = 0;
        ExecutorService worker = Executors.newSingleThreadExecutor(daemon());
        try {
            List<String> names = new ArrayList<>();
            List<byte[]> contents = new ArrayList<>();
            for (int n : lengths(whole.length)) {
                names.add("cut to " + n + " bytes");
                contents.add(java.util.Arrays.copyOf(whole, n));
            }
            for (int seed = 1; seed <= SEEDS && whole.length > 0; seed++) {
                names.add("flipped at seed " + seed);
                contents.add(flipped(whole, seed));
            }
            for (int i = 0; i < names.size() && failures.size() < 5; i++) {
                Files.write(variant, contents.get(i));
                reads++;
                Future<String> f = worker.submit(() -> readOrRefuse(variant));
                String outcome;
                try {
                    outcome = f.get(TIME_LIMIT_S, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    failures.add(names.get(i) + ": still reading after " + TIME_LIMIT_S + " s");
                    f.cancel(true);
                    worker.shutdownNow();
                    worker = Executors.newSingleThreadExecutor(daemon());
                    continue;
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    failures.add(names.get(i) + ": " + c.getClass().getName() + ": " + c.getMessage()
                            + (c.getStackTrace().length > 0 ? " at " + c.getStackTrace()[0] : ""));
                    continue;
                }
                if (outcome != null) {
                    if (!outcome.contains(variant.toString())) {
                        failures.add(names.get(i) + ": the message does not name the file: " + outcome);
                    } else if (!PLACE.matcher(outcome.replace(variant.toString(), "")).find()) {
                        failures.add(names.get(i) + ": the message names no place in the file: " + outcome);
                    }
                }
            }
        } finally {
            worker.shutdownNow();
        }
        assertTrue(failures.isEmpty(), model + " (" + reads + " variants): " + String.join("\n  ", failures));
    }

    /** Null when the variant was read; the message when it was refused as it must be; anything else is thrown. */
    private static String readOrRefuse(Path variant) {
        try (Scene s = Formats.read(variant)) {
            return null;
        } catch (MeshforgeException e) {
            return e.getMessage();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(null, r, "sweep-read", 0);
            t.setDaemon(true);
            return t;
        };
    }
}
