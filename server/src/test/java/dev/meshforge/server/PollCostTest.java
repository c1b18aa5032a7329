// The server's CPU per status poll: one client polling one finished task as fast as it can, on one kept connection.
package dev.meshforge.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A measurement, not a check: runs only where {@code meshforge.pollcost.polls} is set (README gives the command). The server
 * runs in a process of its own (its CPU is its process's, read from /proc; the client's is apart), one key makes one
 * task and waits for it to finish, then the client polls its status: {@code meshforge.pollcost.warmup} polls first
 * (compiling the hot paths), then {@code meshforge.pollcost.rounds} rounds of {@code polls} each, and after each
 * round as long a pause without requests, whose CPU (the server's background: the rate limit's flush, the workers'
 * queue reads, the JIT) is taken from the round's. Prints the server's CPU microseconds a poll, each round's and the
 * median. {@code meshforge.load.server_classpath_first} measures another build's server classes with the same client.
 */
class PollCostTest {
    static final int POLLS = Integer.getInteger("meshforge.pollcost.polls", 0);
    static final int WARMUP = Integer.getInteger("meshforge.pollcost.warmup", 20_000);
    static final int ROUNDS = Integer.getInteger("meshforge.pollcost.rounds", 5);
    static final String CLASSPATH_FIRST = System.getProperty("meshforge.load.server_classpath_first", "");
    static final String SERVER_OPTIONS = System.getProperty("meshforge.load.server_options", "");

    @Test
    void serverCpuPerStatusPoll(@TempDir Path dir) throws Exception {
        assumeTrue(POLLS > 0, "a measurement: set meshforge.pollcost.polls to run it");
        Path data = Files.createDirectories(dir.resolve("data"));
        Administration.NewKey key;
        try (Administration admin = Administration.open(data, null)) {
            key = admin.createKey("pollcost", null, null, false);
            admin.grant(key.account(), 1_000_000);
            admin.setReadsPerMinute(key.prefix(), 100_000_000);
        }
        Path conf = dir.resolve("pollcost.properties");
        Files.writeString(conf, "data = " + data + "\nworkers = 1\nthumbnails = false\n");
        String classPath = System.getProperty("java.class.path");
        if (!CLASSPATH_FIRST.isBlank()) {
            classPath = CLASSPATH_FIRST.trim() + java.io.File.pathSeparator + classPath;
        }
        Process server = ScaleOutTest.startWorker(conf, classPath, SERVER_OPTIONS.isBlank() ? new String[0]
                : SERVER_OPTIONS.trim().split("\\s+"));
        try (LoadConnection connection = new LoadConnection("127.0.0.1",
                Integer.parseInt(ScaleOutTest.READY.get(server.pid()).split(" ")[2]))) {
            String host = "127.0.0.1:" + ScaleOutTest.READY.get(server.pid()).split(" ")[2];
            byte[] body = TestServer.write(Map.of("file_name", "cube.obj", "model_base64", Base64.getEncoder()
                    .encodeToString(Files.readAllBytes(TestServer.TESTDATA.resolve("cube.obj"))), "options",
                    Map.of("output_format", "stl"))).getBytes(StandardCharsets.UTF_8);
            LoadConnection.Answer made = connection.send(LoadConnection.head("POST", "/v1/tools/convert/", host,
                    key.key(), "application/json", body.length), body);
            assertEquals(202, made.status(), made.body());
            String id = TestServer.read(made.body()).get("task_id").asText();
            byte[] poll = LoadConnection.head("GET", "/v1/generation-request/" + id + "/status/", host, key.key(),
                    null, -1);
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!connection.send(poll, null).body().contains("\"status\":\"FINISHED\"")) {
                assumeTrue(System.nanoTime() < until, "the task did not finish in 60 s");
                Thread.sleep(50);
            }
            polls(connection, poll, WARMUP);
            double[] micros = new double[ROUNDS];
            double[] idleShare = new double[ROUNDS];
            double[] withoutJit = new double[ROUNDS];
            String loadBefore = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
            Map<String, long[]> threadsBefore = threadTicks(server.pid());
            for (int r = 0; r < ROUNDS; r++) {
                long c0 = cpuNanos(server);
                long jit0 = jitTicks(server.pid());
                long t0 = System.nanoTime();
                polls(connection, poll, POLLS);
                long wall = System.nanoTime() - t0;
                long c1 = cpuNanos(server);
                long jit1 = jitTicks(server.pid());
                Thread.sleep(Duration.ofNanos(wall));
                long idle = cpuNanos(server) - c1;
                long idleJit = jitTicks(server.pid()) - jit1;
                micros[r] = (c1 - c0 - idle) / 1e3 / POLLS;
                withoutJit[r] = (c1 - c0 - idle - 10_000_000L * (jit1 - jit0 - idleJit)) / 1e3 / POLLS;
                idleShare[r] = 100.0 * idle / Math.max(1, c1 - c0);
            }
            String loadAfter = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
            Map<String, long[]> threadsAfter = threadTicks(server.pid());
            StringBuilder kinds = new StringBuilder();
            threadsAfter.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0] + b.getValue()[1],
                    a.getValue()[0] + a.getValue()[1])).limit(8).forEach(e -> {
                        long[] was = threadsBefore.getOrDefault(e.getKey(), new long[2]);
                        long user = e.getValue()[0] - was[0];
                        long system = e.getValue()[1] - was[1];
                        if (user + system > 0) {
                            kinds.append(String.format("; %s %.1f+%.1f us", e.getKey(),
                                    1e4 * user / ((double) POLLS * ROUNDS), 1e4 * system / ((double) POLLS * ROUNDS)));
                        }
                    });
            List<String> each = new ArrayList<>();
            for (int r = 0; r < ROUNDS; r++) {
                each.add(String.format("%.1f (idle %.0f%%, without the JIT %.1f)", micros[r], idleShare[r],
                        withoutJit[r]));
            }
            double[] sorted = micros.clone();
            Arrays.sort(sorted);
            double[] sortedWithoutJit = withoutJit.clone();
            Arrays.sort(sortedWithoutJit);
            System.out.printf("pollcost: server CPU a status poll: median %.1f us (without the JIT's compiler "
                            + "threads %.1f us), rounds of %d polls: %s; load %s -> %s; server classes first: %s%n",
                    sorted[ROUNDS / 2], sortedWithoutJit[ROUNDS / 2], POLLS,
                    String.join(", ", each), loadBefore, loadAfter, CLASSPATH_FIRST.isBlank() ? "none"
                            : CLASSPATH_FIRST);
            System.out.println("pollcost: user+system CPU a poll by thread kind (rounds and pauses)" + kinds);
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static void polls(LoadConnection connection, byte[] poll, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            LoadConnection.Answer a = connection.send(poll, null);
            if (a.status() != 200) {
                throw new AssertionError("status " + a.status() + ": " + a.body());
            }
        }
    }

    /**
     * The user and system clock ticks (100 a second) of a process's living threads, summed by name with digits
     * taken out (the kinds: Jetty's selectors, the virtual threads' carriers, the JIT's compilers, ...).
     */
    private static Map<String, long[]> threadTicks(long pid) {
        Map<String, long[]> ticks = new java.util.HashMap<>();
        for (LoadTest.ThreadTicks t : LoadTest.threadTicks(pid)) {
            long[] sum = ticks.computeIfAbsent(t.name().replaceAll("[0-9]+", "N"), k -> new long[2]);
            sum[0] += t.user();
            sum[1] += t.system();
        }
        return ticks;
    }

    /** The clock ticks of the JIT's compiler threads so far. */
    private static long jitTicks(long pid) {
        long ticks = 0;
        for (Map.Entry<String, long[]> e : threadTicks(pid).entrySet()) {
            if (e.getKey().startsWith("CN Compiler")) {
                ticks += e.getValue()[0] + e.getValue()[1];
            }
        }
        return ticks;
    }

    /** The server process's CPU time so far (user and system, all its threads). */
    private static long cpuNanos(Process server) {
        return server.info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
    }
}
