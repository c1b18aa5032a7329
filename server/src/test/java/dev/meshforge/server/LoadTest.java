// A bounded load on loopback: many clients submitting small converts and polling, against a server process of its own.
package dev.meshforge.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshforge.server.internal.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server (API and workers, embedded SQLite, thumbnails off) runs in its own JVM so that its CPU time is its own.
 * Each client loops: submit a convert of the 12-triangle cube, poll its status until it ends, start again. Clients
 * share {@code keys} API keys with raised limits. Bounded twice: the run stops submitting after the set time, and
 * a task still open then is polled for at most 60 s more. The client spends as little of the shared cores as it can:
 * one kept-alive connection a client ({@link LoadConnection}), a poll's request made once, and only an ended task's
 * answer parsed as JSON.
 *
 * <p>By default a short run (8 clients, 5 s) that every build can afford; the measured run is
 * {@code scripts/load} (64 clients, 60 s). Figures are printed, not asserted (timings belong to reports, not tests);
 * what is asserted: no request failed, every accepted task finished, and each account's ledger balances.
 */
class LoadTest {
    static final int CLIENTS = Integer.getInteger("meshforge.load.clients", 8);
    static final int SECONDS = Integer.getInteger("meshforge.load.seconds", 5);
    static final int KEYS = Integer.getInteger("meshforge.load.keys", 8);
    static final int WORKERS = Integer.getInteger("meshforge.load.workers", 2);
    static final long POLL_MS = Long.getLong("meshforge.load.poll_ms", 200);
    /**
     * Seconds of load before the measured {@link #SECONDS} (the JIT compiling the server's and the client's hot
     * paths): the test prints the latencies of the whole run and of the measured part apart, and the throughput and
     * the CPU split of the measured part. None in the short run every build makes; {@code scripts/load} runs 10.
     */
    static final int WARMUP_SECONDS = Integer.getInteger("meshforge.load.warmup", 0);
    /**
     * How a task's model is sent: "json" (base64 in a JSON body, the default) or "multipart" (the file as a
     * multipart/form-data part beside the options, no base64).
     */
    static final String UPLOAD = System.getProperty("meshforge.load.upload", "json");
    static final long GRANT = 1_000_000;
    /** "postgresql" runs the server on a private PostgreSQL (as ScaleOutTest starts one) instead of SQLite. */
    static final String DATABASE = System.getProperty("meshforge.load.database", "sqlite");
    /** The model each task converts: the 12-triangle cube unless a path is given (a corpus model, say). */
    static final String MODEL = System.getProperty("meshforge.load.model", "");
    /** The tool each task runs (convert by default), and its options as a JSON object. */
    static final String TOOL = System.getProperty("meshforge.load.tool", "convert");
    static final String OPTIONS = System.getProperty("meshforge.load.options", "{\"output_format\":\"stl\"}");
    /** Options for the server's JVM, e.g. a flight recording: {@code -XX:StartFlightRecording=filename=load.jfr}. */
    static final String SERVER_OPTIONS = System.getProperty("meshforge.load.server_options", "");
    /**
     * Class path entries put before the test's own for the server process only: another build's server (e.g. the
     * classes of an earlier commit) measured by the same client, minutes apart.
     */
    static final String SERVER_CLASSPATH_FIRST = System.getProperty("meshforge.load.server_classpath_first", "");
    /**
     * The client: "socket" (default) keeps one HTTP/1.1 connection a client and parses only what it reads
     * ({@link LoadConnection}); "jdk" is java.net.http's client on two threads, as earlier figures were measured.
     */
    static final String CLIENT = System.getProperty("meshforge.load.client", "socket");
    /**
     * The server's op_nice (how far below the API's priority its op threads run), written to its configuration where
     * given; blank leaves the server's default (and lets an earlier build that has no such key run).
     */
    static final String OP_NICE = System.getProperty("meshforge.load.op_nice", "");
    /**
     * The clients' threads: "virtual" (default: as many carriers as the client's JVM sees cores) or "platform" (one
     * operating-system thread a client, scheduled by the kernel). The client's own wait for a thread is part of every
     * latency it measures, and the run prints it: with 256 clients on a loaded 2-core machine a client's sleep between
     * polls ended 77 to 1,667 ms late at p99 (either kind), most of the client's status p99.
     */
    static final String CLIENT_THREADS = System.getProperty("meshforge.load.client_threads", "virtual");

    @Test
    void manyClientsSubmitAndPollWithTheLedgerBalanced(@TempDir Path dir) throws Exception {
        if (!DATABASE.equals("postgresql")) {
            run(dir, null);
            return;
        }
        try (PostgresServer pg = PostgresServer.start(PostgresServer.binaries().orElseThrow(
                () -> new AssertionError("meshforge.load.database=postgresql needs PostgreSQL installed")))) {
            run(dir, pg.jdbcUrl());
        }
    }

    private void run(Path dir, String url) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        List<Administration.NewKey> keys = new ArrayList<>();
        try (Administration admin = Administration.open(data, url)) {
            for (int i = 0; i < KEYS; i++) {
                Administration.NewKey k = admin.createKey("load-" + i, null, null, false);
                admin.grant(k.account(), GRANT);
                admin.setTasksPerMinute(k.prefix(), 1_000_000);
                admin.setReadsPerMinute(k.prefix(), 1_000_000);
                admin.setMaxConcurrentTasks(k.prefix(), 1_000);
                keys.add(k);
            }
        }
        Path conf = dir.resolve("load.properties");
        Files.writeString(conf, "data = " + data + "\nworkers = " + WORKERS + "\nthumbnails = false\n"
                + (url == null ? "" : "database_url = " + url + "\n")
                + (OP_NICE.isBlank() ? "" : "op_nice = " + OP_NICE.trim() + "\n"));
        String classPath = System.getProperty("java.class.path");
        if (!SERVER_CLASSPATH_FIRST.isBlank()) {
            classPath = SERVER_CLASSPATH_FIRST.trim() + java.io.File.pathSeparator + classPath;
        }
        Process server = ScaleOutTest.startWorker(conf, classPath, SERVER_OPTIONS.isBlank() ? new String[0]
                : SERVER_OPTIONS.trim().split("\\s+"));
        String loadBefore = loadAverage();
        String[] ready = ScaleOutTest.READY.get(server.pid()).split(" ");
        String base = "http://127.0.0.1:" + ready[2];
        Duration cpuBefore = server.info().totalCpuDuration().orElse(Duration.ZERO);
        double[] threadCpuBefore = threadCpu(server.pid());
        // The client shares the machine's cores with the server: its own CPU is measured and reported too.
        Duration clientCpuBefore = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);

        Path model = MODEL.isBlank() ? TestServer.TESTDATA.resolve("cube.obj") : Path.of(MODEL);
        byte[] bodyBytes;
        String contentType;
        if (UPLOAD.equals("multipart")) {
            String boundary = "meshforge-load-" + Long.toHexString(System.nanoTime());
            contentType = "multipart/form-data; boundary=" + boundary;
            bodyBytes = TestServer.multipartBody(boundary, model.getFileName().toString(), Files.readAllBytes(model),
                    OPTIONS);
        } else if (UPLOAD.equals("json")) {
            contentType = "application/json";
            bodyBytes = TestServer.write(java.util.Map.of("file_name", model.getFileName().toString(),
                    "model_base64", Base64.getEncoder().encodeToString(Files.readAllBytes(model)),
                    "options", TestServer.read(OPTIONS))).getBytes(
                    java.nio.charset.StandardCharsets.UTF_8);
        } else {
            throw new IllegalArgumentException("meshforge.load.upload is json or multipart, not " + UPLOAD);
        }
        ConcurrentLinkedQueue<Long> submitNanos = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> statusNanos = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> warmSubmitNanos = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> warmStatusNanos = new ConcurrentLinkedQueue<>();
        // The server's own time in a request (its Server-Timing header): the latency without the client's and the
        // connection's share.
        ConcurrentLinkedQueue<Long> submitServerNanos = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> statusServerNanos = new ConcurrentLinkedQueue<>();
        // Of a status poll's time in the server: waiting for a read connection, and the read statements themselves.
        ConcurrentLinkedQueue<Long> statusPoolNanos = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> statusDbNanos = new ConcurrentLinkedQueue<>();
        // Before a status poll's handler in the server: from Jetty's parse of its headers to the first handler.
        ConcurrentLinkedQueue<Long> statusQueueNanos = new ConcurrentLinkedQueue<>();
        // A status poll's time outside the server's figures (the client's time less queue and app): the client's own
        // wait for a thread, the connection, and Jetty's read of the request before its parse.
        ConcurrentLinkedQueue<Long> statusOutsideNanos = new ConcurrentLinkedQueue<>();
        // The client's own wait for a thread, measured where it waits for nothing else: how late a client's sleep
        // between two polls ends (after the warm-up), and how late a platform thread's 10 ms sleeps end. A poll's
        // answer wakes its client the same way, so this wait is in every latency the client measures.
        ConcurrentLinkedQueue<Long> clientWakeNanos = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> probeWakeNanos = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        DoubleAdder opsSeconds = new DoubleAdder();
        // A worker's time on a task, from its claim (started_at) to the stored result (finished_at), and the time
        // the task waited in the queue before (created_at to started_at).
        DoubleAdder workerSeconds = new DoubleAdder();
        DoubleAdder queuedSeconds = new DoubleAdder();
        // Bounded client: one thread a client (CLIENT_THREADS) and, for the JDK's client, its own work on two threads,
        // not on a pool that grows with the load.
        var httpThreads = Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().name("load-http-", 0)
                .factory());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpThreads)
                .connectTimeout(Duration.ofSeconds(5)).build();
        long start = System.nanoTime();
        long stopSubmitting = start + TimeUnit.SECONDS.toNanos(WARMUP_SECONDS + SECONDS);
        long warm = start + TimeUnit.SECONDS.toNanos(WARMUP_SECONDS);
        long hardStop = stopSubmitting + TimeUnit.SECONDS.toNanos(60);
        int port = Integer.parseInt(ready[2]);
        // The server's CPU by kind and the tasks finished when the warm-up ends: the shares after it are those of a
        // server whose hot paths are compiled.
        double[][] atWarm = new double[1][];
        Thread warmMark = Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(warm - System.nanoTime())));
                double[] t = threadCpu(server.pid());
                double total = server.info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e9;
                double[] mark = java.util.Arrays.copyOf(t, t.length + 2);
                mark[t.length] = total;
                mark[t.length + 1] = finished.get();
                atWarm[0] = mark;
            } catch (InterruptedException e) {
                // the run ended first
            }
        });
        Thread probe = Thread.ofPlatform().daemon().name("load-probe").start(() -> {
            try {
                while (true) {
                    long p0 = System.nanoTime();
                    Thread.sleep(10);
                    long late = System.nanoTime() - p0 - TimeUnit.MILLISECONDS.toNanos(10);
                    if (p0 >= warm) {
                        probeWakeNanos.add(late);
                    }
                }
            } catch (InterruptedException e) {
                // the run ended
            }
        });
        int connectionsBefore = LoadConnection.OPENED.get();
        long clientGcBefore = gcMillis();
        try (var clients = CLIENT_THREADS.equals("platform") ? Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().daemon().name("load-client-", 0).factory())
                : Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < CLIENTS; c++) {
                String key = keys.get(c % keys.size()).key();
                Exchange send = exchange(http, base, port, key, contentType);
                clients.submit(() -> {
                    try (send) {
                        while (System.nanoTime() < stopSubmitting && errors.isEmpty()) {
                            long t0 = System.nanoTime();
                            LoadConnection.Answer a = send.post("/v1/tools/" + TOOL + "/", bodyBytes);
                            submitNanos.add(System.nanoTime() - t0);
                            if (t0 >= warm) {
                                warmSubmitNanos.add(System.nanoTime() - t0);
                            }
                            serverTiming(a.serverTiming(), submitServerNanos);
                            if (a.status() != 202) {
                                errors.add("submit " + a.status() + ": " + a.body());
                                return null;
                            }
                            String id = TestServer.read(a.body()).get("task_id").asText();
                            String poll = "/v1/generation-request/" + id + "/status/";
                            while (true) {
                                long s0 = System.nanoTime();
                                Thread.sleep(POLL_MS);
                                long t1 = System.nanoTime();
                                if (s0 >= warm) {
                                    clientWakeNanos.add(t1 - s0 - TimeUnit.MILLISECONDS.toNanos(POLL_MS));
                                }
                                LoadConnection.Answer st = send.get(poll);
                                long took = System.nanoTime() - t1;
                                statusNanos.add(took);
                                if (t1 >= warm) {
                                    warmStatusNanos.add(took);
                                }
                                serverTiming(st.serverTiming(), statusServerNanos);
                                serverTiming(st.serverTiming(), "db-wait", statusPoolNanos);
                                serverTiming(st.serverTiming(), "db", statusDbNanos);
                                serverTiming(st.serverTiming(), "queue", statusQueueNanos);
                                if (t1 >= warm) {
                                    statusOutsideNanos.add(took - metric(st.serverTiming(), "app")
                                            - metric(st.serverTiming(), "queue"));
                                }
                                if (st.status() != 200) {
                                    errors.add("status " + st.status() + ": " + st.body());
                                    return null;
                                }
                                // Only an ended task's answer is parsed: a running one's says so in its first members.
                                if (st.body().contains("\"status\":\"PENDING\"")
                                        || st.body().contains("\"status\":\"IN_PROGRESS\"")) {
                                    if (System.nanoTime() > hardStop) {
                                        errors.add("task " + id + " still open 60 s after the run");
                                        return null;
                                    }
                                    continue;
                                }
                                JsonNode j = TestServer.read(st.body());
                                String s = j.get("status").asText();
                                if (s.equals("FINISHED")) {
                                    finished.incrementAndGet();
                                    opsSeconds.add(j.get("report").get("seconds").asDouble());
                                    workerSeconds.add(seconds(j, "started_at", "finished_at"));
                                    queuedSeconds.add(seconds(j, "created_at", "started_at"));
                                    break;
                                }
                                failed.incrementAndGet();
                                errors.add("task " + id + " ended " + s + ": " + j.get("failure_reason"));
                                return null;
                            }
                        }
                    }
                    return null;
                });
            }
        }
        long end = System.nanoTime();
        probe.interrupt();
        int connections = LoadConnection.OPENED.get() - connectionsBefore;
        long clientGc = gcMillis() - clientGcBefore;
        double wall = (end - start) / 1e9;
        double cpu = (server.info().totalCpuDuration().orElse(Duration.ZERO).minus(cpuBefore)).toNanos() / 1e9;
        double[] threadCpu = threadCpu(server.pid());
        String nices = niceValues(server.pid());
        double cpuTotal = server.info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e9;
        warmMark.interrupt();
        warmMark.join();
        double[] afterWarm = null;
        if (atWarm[0] != null) {
            // After the warm-up: op threads (with the threads that ended meanwhile), JIT, collector, all CPU, tasks
            // finished.
            double[] m = atWarm[0];
            double all = cpuTotal - m[threadCpu.length];
            double ended = all - (threadCpu[0] - m[0]) - (threadCpu[1] - m[1]) - (threadCpu[2] - m[2])
                    - (threadCpu[3] - m[3]);
            afterWarm = new double[]{threadCpu[0] - m[0], threadCpu[1] - m[1], threadCpu[2] - m[2], all,
                    finished.get() - m[threadCpu.length + 1], Math.max(0, ended)};
        }
        for (int i = 0; i < threadCpu.length; i++) {
            threadCpu[i] -= threadCpuBefore[i];
        }
        // A thread's time stays in /proc only while it lives: what no living thread accounts for is the threads
        // that ended during the run, the kernel's helper threads (started by an op for a stage of its call) and JIT
        // compiler threads the JVM stopped. The op's share is given without them and with them: between the two.
        double endedCpu = Math.max(0, cpu - threadCpu[0] - threadCpu[1] - threadCpu[2] - threadCpu[3]);
        double opCpu = threadCpu[0];
        double clientCpu = (ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO)
                .minus(clientCpuBefore)).toNanos() / 1e9;
        httpThreads.shutdownNow();
        String loadAfter = loadAverage();
        server.destroy();
        server.waitFor(30, TimeUnit.SECONDS);

        List<Long> submits = sorted(submitNanos);
        List<Long> polls = sorted(statusNanos);
        System.out.printf(Locale.ROOT, "load: %s, %d clients, %d keys, %d workers, %d s of warm-up and %d s measured "
                + "(%.1f s in all), poll every %d ms, %s of %s with %s sent as %s, %s client, server options [%s]%n",
                url == null ? "SQLite" : "PostgreSQL", CLIENTS, KEYS, WORKERS, WARMUP_SECONDS, SECONDS, wall, POLL_MS,
                TOOL, model.getFileName(), OPTIONS, UPLOAD, CLIENT, SERVER_OPTIONS.trim());
        System.out.println("load: the server's threads by nice value at the end: " + nices);
        System.out.printf(Locale.ROOT, "load: %d tasks finished, %.1f tasks/s; %d failed; %d status reads%n",
                finished.get(), finished.get() / wall, failed.get(), polls.size());
        System.out.printf(Locale.ROOT, "load: whole run: submit p50 %.1f ms, p99 %.1f ms; status p50 %.1f ms, p99 "
                + "%.1f ms%n",
                ms(submits, 0.50), ms(submits, 0.99), ms(polls, 0.50), ms(polls, 0.99));
        if (WARMUP_SECONDS > 0) {
            List<Long> warmSubmits = sorted(warmSubmitNanos);
            List<Long> warmPolls = sorted(warmStatusNanos);
            System.out.printf(Locale.ROOT, "load: measured (after the %d s of warm-up): %.1f tasks/s; submit p50 %.1f "
                    + "ms, p99 %.1f ms; status p50 %.1f ms, p99 %.1f ms (%d status reads)%n", WARMUP_SECONDS,
                    afterWarm == null ? 0 : afterWarm[4] / ((end - warm) / 1e9), ms(warmSubmits, 0.50),
                    ms(warmSubmits, 0.99), ms(warmPolls, 0.50), ms(warmPolls, 0.99), warmPolls.size());
        }
        System.out.printf(Locale.ROOT, "load: in the server (Server-Timing): submit p50 %.2f ms, p99 %.2f ms; status "
                + "p50 %.2f ms, p99 %.2f ms%n", ms(sorted(submitServerNanos), 0.50), ms(sorted(submitServerNanos), 0.99),
                ms(sorted(statusServerNanos), 0.50), ms(sorted(statusServerNanos), 0.99));
        System.out.printf(Locale.ROOT, "load: of a status poll in the server, waiting for a read connection p50 %.2f ms, "
                + "p99 %.2f ms; the reads' statements p50 %.2f ms, p99 %.2f ms%n", ms(sorted(statusPoolNanos), 0.50),
                ms(sorted(statusPoolNanos), 0.99), ms(sorted(statusDbNanos), 0.50), ms(sorted(statusDbNanos), 0.99));
        System.out.printf(Locale.ROOT, "load: before a status poll's handler in the server (Jetty's parse of its "
                + "headers to the first handler) p50 %.2f ms, p99 %.2f ms%n", ms(sorted(statusQueueNanos), 0.50),
                ms(sorted(statusQueueNanos), 0.99));
        System.out.printf(Locale.ROOT, "load: measured: a status poll's time outside the server's queue and app "
                + "figures p50 %.2f ms, p99 %.2f ms%n", ms(sorted(statusOutsideNanos), 0.50),
                ms(sorted(statusOutsideNanos), 0.99));
        System.out.printf(Locale.ROOT, "load: the client's own wait for a thread, measured: a %s client's sleep "
                        + "between polls ended late by p50 %.2f ms, p99 %.2f ms (%d sleeps); a platform thread's 10 ms "
                        + "sleep p50 %.2f ms, p99 %.2f ms; the client's collector %d ms in all; %d connections opened "
                        + "for %d clients%n", CLIENT_THREADS, ms(sorted(clientWakeNanos), 0.50),
                ms(sorted(clientWakeNanos), 0.99), clientWakeNanos.size(), ms(sorted(probeWakeNanos), 0.50),
                ms(sorted(probeWakeNanos), 0.99), clientGc, connections, CLIENTS);
        System.out.printf(Locale.ROOT, "load: client CPU %.1f s (%.2f cores: the test's JVM, clients and all), "
                + "server %.0f%% and client %.0f%% of the CPU both used%n", clientCpu, clientCpu / wall,
                100 * cpu / (cpu + clientCpu), 100 * clientCpu / (cpu + clientCpu));
        System.out.printf(Locale.ROOT, "load: server CPU %.1f s in %.1f s (%.2f cores of %d); the ops' own time (their "
                        + "reports' seconds, wall time) %.1f s, %.0f%% of the workers' time%n", cpu, wall, cpu / wall,
                Runtime.getRuntime().availableProcessors(), opsSeconds.sum(),
                100 * opsSeconds.sum() / (WORKERS * wall));
        System.out.printf(Locale.ROOT, "load: the op threads (model read, tool, result stored) used %.1f s of CPU, "
                + "%.0f%% of the server's (%.0f%% with the %.1f s of threads that ended during the run: the kernel's "
                + "helper threads, stopped JIT threads); %.2f ms of CPU a task, the rest of the server %.2f ms a task"
                + "%n", opCpu, 100 * opCpu / cpu, 100 * (opCpu + endedCpu) / cpu, endedCpu,
                1000 * opCpu / finished.get(), 1000 * (cpu - opCpu) / finished.get());
        System.out.printf(Locale.ROOT, "load: of the server's CPU, the JIT compilers %.1f s (%.0f%%), the garbage "
                + "collector %.1f s (%.0f%%), request, worker and other threads %.1f s (%.0f%%)%n", threadCpu[1],
                100 * threadCpu[1] / cpu, threadCpu[2], 100 * threadCpu[2] / cpu, threadCpu[3],
                100 * threadCpu[3] / cpu);
        if (WARMUP_SECONDS > 0 && afterWarm != null && afterWarm[4] > 0) {
            System.out.printf(Locale.ROOT, "load: measured (after the %d s of warm-up): the op threads %.0f%% of the "
                            + "server's CPU, %.0f%% with the threads that ended (%.2f ms a task, the rest %.2f ms; with "
                            + "them %.2f and %.2f ms), the JIT compilers %.0f%%, the collector %.0f%%%n",
                    WARMUP_SECONDS, 100 * afterWarm[0] / afterWarm[3], 100 * (afterWarm[0] + afterWarm[5])
                            / afterWarm[3], 1000 * afterWarm[0] / afterWarm[4],
                    1000 * (afterWarm[3] - afterWarm[0]) / afterWarm[4],
                    1000 * (afterWarm[0] + afterWarm[5]) / afterWarm[4],
                    1000 * (afterWarm[3] - afterWarm[0] - afterWarm[5]) / afterWarm[4],
                    100 * afterWarm[1] / afterWarm[3], 100 * afterWarm[2] / afterWarm[3]);
            // The rest without the JIT compilers and the collector (nor the threads that ended): the server's own work
            // beside the op (requests, submit threads, workers' transactions, timers), which compares across runs whose
            // JIT time moves with the machine's load; and the status polls a task, which grow with its wait.
            System.out.printf(Locale.ROOT, "load: measured: the rest without the JIT compilers and the collector "
                            + "%.2f ms a task; %.1f status polls a task%n",
                    1000 * (afterWarm[3] - afterWarm[0] - afterWarm[5] - afterWarm[1] - afterWarm[2]) / afterWarm[4],
                    warmStatusNanos.size() / afterWarm[4]);
        }
        System.out.printf(Locale.ROOT, "load: per task, a worker's time from claim to stored result %.1f ms, of it "
                        + "the op %.1f ms (%.0f%%); waiting in the queue %.1f ms; workers busy %.0f%% of the run%n",
                1000 * workerSeconds.sum() / finished.get(), 1000 * opsSeconds.sum() / finished.get(),
                100 * opsSeconds.sum() / workerSeconds.sum(), 1000 * queuedSeconds.sum() / finished.get(),
                100 * workerSeconds.sum() / (WORKERS * wall));
        System.out.printf(Locale.ROOT, "load: machine load average %s at the start, %s at the end%n", loadBefore,
                loadAfter);

        if (!errors.isEmpty()) {
            // The server's own account of its failures, for the report.
            List<String> log = Files.readAllLines(dir.resolve("load.properties.log"));
            List<String> causes = new ArrayList<>();
            for (int i = 0; i < log.size() && causes.size() < 6; i++) {
                if (log.get(i).contains(" ERROR ") && i + 1 < log.size()) {
                    causes.add(log.get(i) + " / " + log.get(i + 1));
                }
            }
            assertEquals(List.of(), List.copyOf(errors).subList(0, Math.min(3, errors.size())), String.join("\n",
                    causes));
        }
        assertTrue(finished.get() > 0, "no task finished");
        assertEquals(submits.size(), finished.get(), "accepted tasks that did not finish");
        // The ledger, read straight from the database: per account one charge of the tool's cost per task (its
        // default in the server's cost table), no refund, and the balance the sum of its rows.
        long cost = cost(TOOL, OPTIONS);
        long charged = 0;
        try (Database db = Database.open(data, url); Administration admin = Administration.open(data, url)) {
            for (Administration.NewKey k : keys) {
                long[] rows = db.read(c -> {
                    var ps = c.prepareStatement("SELECT COALESCE(SUM(delta), 0), COALESCE(SUM(CASE WHEN kind = "
                            + "'charge' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN kind = 'refund' THEN 1 ELSE 0 "
                            + "END), 0), COALESCE(SUM(CASE WHEN kind = 'charge' THEN delta ELSE 0 END), 0) FROM ledger "
                            + "WHERE account_id = ?");
                    ps.setString(1, k.account());
                    var rs = ps.executeQuery();
                    rs.next();
                    return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
                });
                assertEquals(rows[0], admin.balance(k.account()), "balance is not the ledger's sum");
                assertEquals(0, rows[2], "a refund without a failed task");
                assertEquals(-cost * rows[1], rows[3], "a charge other than " + cost);
                assertEquals(GRANT - cost * rows[1], rows[0]);
                charged += rows[1];
            }
        }
        assertEquals(finished.get(), charged, "charges and finished tasks differ");
        System.out.printf(Locale.ROOT, "load: ledger balanced: %d charges of %d credits, 0 refunds, over %d "
                + "accounts%n", charged, cost, KEYS);
    }

    /** A task's charge by the default cost table, for the tools a load run may name. */
    static long cost(String tool, String options) {
        ServerConfig.Costs c = ServerConfig.Costs.DEFAULTS;
        return switch (tool) {
            case "convert" -> c.convert();
            case "inspect" -> c.inspect();
            case "repair" -> TestServer.read(options).path("hollow").asBoolean(false) ? c.repairHollow() : c.repair();
            case "hollow" -> c.hollow();
            case "scale" -> c.scale();
            default -> throw new IllegalArgumentException("meshforge.load.tool is convert, inspect, repair, hollow or "
                    + "scale, not " + tool);
        };
    }

    /** One client's way to the server: a POST of a JSON body or a GET, both with its key. */
    private interface Exchange extends AutoCloseable {
        LoadConnection.Answer post(String path, byte[] json) throws Exception;

        LoadConnection.Answer get(String path) throws Exception;

        @Override
        void close();
    }

    private static Exchange exchange(HttpClient http, String base, int port, String key, String contentType) {
        if (CLIENT.equals("jdk")) {
            return new Exchange() {
                public LoadConnection.Answer post(String path, byte[] json) throws Exception {
                    return answer(http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization",
                            "Bearer " + key).header("Content-Type", contentType).POST(HttpRequest
                            .BodyPublishers.ofByteArray(json)).build(), HttpResponse.BodyHandlers.ofString()));
                }

                public LoadConnection.Answer get(String path) throws Exception {
                    return answer(http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization",
                            "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString()));
                }

                private LoadConnection.Answer answer(HttpResponse<String> r) {
                    return new LoadConnection.Answer(r.statusCode(), r.headers().firstValue("Server-Timing")
                            .orElse(null), r.body());
                }

                public void close() {
                }
            };
        }
        LoadConnection connection = new LoadConnection("127.0.0.1", port);
        String host = "127.0.0.1:" + port;
        java.util.Map<String, byte[]> heads = new java.util.HashMap<>();
        return new Exchange() {
            public LoadConnection.Answer post(String path, byte[] body) throws Exception {
                return connection.send(LoadConnection.head("POST", path, host, key, contentType, body.length),
                        body);
            }

            public LoadConnection.Answer get(String path) throws Exception {
                // A task's poll is the same request every time: its header block is made once.
                byte[] head = heads.computeIfAbsent(path, p -> LoadConnection.head("GET", p, host, key, null, -1));
                if (heads.size() > 4) {
                    heads.keySet().removeIf(p -> !p.equals(path));
                }
                return connection.send(head, null);
            }

            public void close() {
                connection.close();
            }
        };
    }

    /** The server's {@code Server-Timing: app;dur=MS} of an answer, where it sent one. */
    private static void serverTiming(String v, ConcurrentLinkedQueue<Long> into) {
        serverTiming(v, "app", into);
    }

    /** One metric's nanoseconds in a Server-Timing header, 0 where it is absent. */
    private static long metric(String v, String name) {
        ConcurrentLinkedQueue<Long> one = new ConcurrentLinkedQueue<>();
        serverTiming(v, name, one);
        return one.isEmpty() ? 0 : one.peek();
    }

    /** One metric of a Server-Timing header ({@code name;dur=MS}, metrics separated by commas), where present. */
    private static void serverTiming(String v, String name, ConcurrentLinkedQueue<Long> into) {
        if (v == null) {
            return;
        }
        for (String metric : v.split(",")) {
            String[] parts = metric.trim().split(";");
            if (parts[0].equals(name)) {
                for (int i = 1; i < parts.length; i++) {
                    if (parts[i].startsWith("dur=")) {
                        into.add((long) (Double.parseDouble(parts[i].substring(4)) * 1e6));
                    }
                }
            }
        }
    }

    private static double seconds(JsonNode status, String from, String to) {
        return Duration.between(java.time.Instant.parse(status.get(from).asText()),
                java.time.Instant.parse(status.get(to).asText())).toNanos() / 1e9;
    }

    /**
     * The CPU seconds of a process's threads by kind, from /proc/PID/task/TID/stat (utime and stime in clock ticks, 100
     * a second on Linux): [0] op threads (named "mf-op-..."), [1] the JIT compilers, [2] the garbage collector's,
     * [3] every other living thread; zeros where there is no /proc. A thread that ended between two readings is in
     * none of them (the process's total still has it).
     */
    private static double[] threadCpu(long pid) {
        double[] ticks = new double[4];
        for (ThreadTicks t : threadTicks(pid)) {
            String name = t.name();
            int kind = name.startsWith("mf-op-") ? 0 : name.startsWith("C1 Compiler")
                    || name.startsWith("C2 Compiler") ? 1 : name.startsWith("GC Thread")
                    || name.startsWith("G1 ") ? 2 : 3;
            ticks[kind] += t.user() + t.system();
        }
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] /= 100.0;
        }
        return ticks;
    }

    /** A living thread's name and its user and system CPU in clock ticks (100 a second on Linux). */
    record ThreadTicks(String name, long user, long system) {
    }

    /** Every living thread of a process, from /proc/PID/task/TID/stat; none where there is no /proc. */
    static List<ThreadTicks> threadTicks(long pid) {
        List<ThreadTicks> all = new ArrayList<>();
        try (var threads = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : threads.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    if (open < 0 || close < open) {
                        continue;
                    }
                    String[] f = stat.substring(close + 2).split(" ");
                    // After the name: state is field 3 of stat(5), utime 14 and stime 15.
                    all.add(new ThreadTicks(stat.substring(open + 1, close), Long.parseLong(f[11]),
                            Long.parseLong(f[12])));
                } catch (java.io.IOException | RuntimeException e) {
                    // a thread that ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            return all;
        }
        return all;
    }

    /**
     * How many of the server's threads run at each nice value, the op threads (with the kernel's native helpers they
     * started, which carry their name) apart from the others: e.g. "op threads {10=3}, the others {0=41}".
     */
    private static String niceValues(long pid) {
        Map<Integer, Integer> ops = new TreeMap<>();
        Map<Integer, Integer> others = new TreeMap<>();
        try (var threads = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : threads.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(stat.indexOf('(') + 1, close);
                    // After the name: nice is field 19 of stat(5).
                    int nice = Integer.parseInt(stat.substring(close + 2).split(" ")[16]);
                    (name.startsWith("mf-op-") ? ops : others).merge(nice, 1, Integer::sum);
                } catch (java.io.IOException | RuntimeException e) {
                    // a thread that ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            return "unknown";
        }
        return "op threads " + ops + ", the others " + others;
    }

    /** The milliseconds this JVM's collectors have taken (their pauses and concurrent work together). */
    private static long gcMillis() {
        long ms = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    /** The 1-minute load average (Linux), to tell a quiet machine's figures from a busy one's. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static List<Long> sorted(ConcurrentLinkedQueue<Long> q) {
        List<Long> l = new ArrayList<>(q);
        Collections.sort(l);
        return l;
    }

    private static double ms(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1e6;
    }
}
