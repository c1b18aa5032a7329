// Tasks end to end over HTTP: upload, queue, worker, status with progress, results downloaded, credits charged.
package dev.meshforge.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskTest {
    @TempDir
    static Path dir;
    static TestServer s;

    @BeforeAll
    static void start() {
        s = new TestServer(TestServer.config(dir));
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    @Test
    void aMultipartModelLargerThanTheParsersMemoryPartIsMovedIntoPlace() {
        // Over 64 KiB, the parser keeps the model part in a file of its own, which is moved into place: the task
        // reads it whole (the cube after 200 KB of comment lines).
        StringBuilder obj = new StringBuilder();
        while (obj.length() < 200_000) {
            obj.append("# a comment line that pads the model past the parser's in-memory part size\n");
        }
        byte[] cube = TestServer.fixture("cube.obj");
        byte[] model = (obj + new String(cube, java.nio.charset.StandardCharsets.UTF_8))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Administration.NewKey k = s.account(100);
        TestServer.Answer a = s.submitMultipart(k.key(), "inspect", "padded.obj", model, null);
        assertEquals(202, a.status(), () -> a.json().toString());
        JsonNode st = s.await(k.key(), a.json().get("task_id").asText());
        assertEquals("FINISHED", st.get("status").asText(), st.toString());
        assertEquals(12, st.get("report").get("triangles").asLong(), st.toString());
    }

    /** The Linux thread ids of this process whose name starts with {@code prefix}, with their nice values. */
    private static Map<String, Integer> threadNices(String prefix) throws IOException {
        Map<String, Integer> nices = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                int close = stat.lastIndexOf(')');
                if (stat.substring(stat.indexOf('(') + 1, close).startsWith(prefix)) {
                    // After the name: nice is field 19 of proc(5)'s stat.
                    nices.put(t.getFileName().toString(), Integer.parseInt(stat.substring(close + 2).split(" ")[16]));
                }
            }
        }
        return nices;
    }

    /** The nice values of the op threads a server with {@code opNice} starts for its first tasks. */
    private static Map<String, Integer> opThreadNices(Path data, int opNice) throws IOException {
        Map<String, Integer> before = threadNices("mf-op-");
        try (TestServer t = new TestServer(TestServer.config(data).withOpNice(opNice))) {
            Administration.NewKey k = t.account(100);
            for (int i = 0; i < 2; i++) {
                TestServer.Answer a = t.submit(k.key(), "convert", "cube.obj", TestServer.fixture("cube.obj"),
                        Map.of("output_format", "stl"));
                assertEquals(202, a.status(), () -> a.json().toString());
                JsonNode st = t.await(k.key(), a.json().get("task_id").asText());
                assertEquals("FINISHED", st.get("status").asText(), st.toString());
            }
            Map<String, Integer> started = threadNices("mf-op-");
            started.keySet().removeAll(before.keySet());
            assertFalse(started.isEmpty(), "the server's op threads are named mf-op-");
            // The worker threads, which hold the database's writer, stay at the API's priority.
            Map<String, Integer> workers = threadNices("worker-");
            assertFalse(workers.isEmpty(), "the worker threads are named worker-");
            int own = threadNices("").get(Long.toString(ProcessHandle.current().pid()));
            workers.forEach((tid, nice) -> assertEquals(own, nice, "worker thread " + tid));
            return started;
        }
    }

    @Test
    void opThreadsRunTheConfiguredStepsBelowTheApisPriority(@TempDir Path low, @TempDir Path same)
            throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/proc/self/task")),
                "per-thread nice values are Linux's");
        int own = threadNices("").get(Long.toString(ProcessHandle.current().pid()));
        org.junit.jupiter.api.Assumptions.assumeTrue(own <= 19 - 7, "this test already runs at nice " + own);
        opThreadNices(low, 7).forEach((tid, nice) -> assertEquals(own + 7, nice, "op thread " + tid));
        opThreadNices(same, 0).forEach((tid, nice) -> assertEquals(own, nice, "op thread " + tid + " with op_nice 0"));
    }

    @Test
    void convertByMultipartGivesADownloadableStlAndCharges5() {
        Administration.NewKey k = s.account(100);
        TestServer.Answer a = s.submitMultipart(k.key(), "convert", "cube.obj", TestServer.fixture("cube.obj"),
                "{\"output_format\":\"stl\"}");
        assertEquals(202, a.status(), () -> a.json().toString());
        String id = a.json().get("task_id").asText();
        assertEquals("PENDING", a.json().get("status").asText());
        assertEquals(5, a.json().get("cost").asLong());
        assertEquals("/v1/generation-request/" + id + "/status/", a.header("Location"));

        JsonNode st = s.await(k.key(), id);
        assertEquals("FINISHED", st.get("status").asText(), st.toString());
        assertEquals(100, st.get("progress").asInt());
        assertTrue(st.get("failure_reason").isNull());
        assertEquals(1, st.get("results").size());
        JsonNode result = st.get("results").get(0);
        assertEquals("stl", result.get("asset_type").asText());
        assertEquals("cube.stl", result.get("name").asText());
        assertTrue(result.get("thumbnail").isNull());
        Instant expires = Instant.parse(st.get("expires_at").asText());
        Instant finished = Instant.parse(st.get("finished_at").asText());
        assertEquals(Duration.ofHours(24), Duration.between(finished, expires));

        TestServer.Answer file = s.get(k.key(), result.get("asset").asText());
        assertEquals(200, file.status());
        byte[] stl = file.response().body();
        // Binary STL: 80-byte header, triangle count, 50 bytes a triangle; the cube has 12.
        assertEquals(12, ByteBuffer.wrap(stl, 80, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        assertEquals(84 + 12 * 50, stl.length);
        assertEquals(result.get("bytes").asLong(), stl.length);
        assertEquals(95, s.balance(k.key()));
    }

    @Test
    void repairByBase64ClosesTheHoleAndWritesGlb() {
        Administration.NewKey k = s.account(100);
        TestServer.Answer a = s.submit(k.key(), "repair", "open-cube.obj", TestServer.fixture("open-cube.obj"),
                Map.of("quality", "low"));
        assertEquals(202, a.status(), () -> a.json().toString());
        JsonNode st = s.await(k.key(), a.json().get("task_id").asText());
        assertEquals("FINISHED", st.get("status").asText(), st.toString());
        JsonNode report = st.get("report");
        assertEquals(10, report.get("triangles_in").asLong());
        assertEquals(1, report.get("holes_filled").asLong());
        assertFalse(report.get("before").get("watertight").asBoolean());
        assertTrue(report.get("after").get("watertight").asBoolean());
        assertEquals(1.0, report.get("after").get("volume").asDouble(), 1e-6);
        JsonNode result = st.get("results").get(0);
        assertEquals("glb", result.get("asset_type").asText());
        TestServer.Answer file = s.get(k.key(), result.get("asset").asText());
        assertEquals("model/gltf-binary", file.contentType());
        assertEquals("glTF", new String(file.response().body(), 0, 4, StandardCharsets.US_ASCII));
        assertEquals(40, s.balance(k.key()));
    }

    @Test
    void progressStreamsAsServerSentEventsUntilTheTaskEnds() {
        Administration.NewKey k = s.account(100);
        String id = s.submit(k.key(), "repair", "open-cube.obj", TestServer.fixture("open-cube.obj"),
                Map.of("quality", "low")).json().get("task_id").asText();
        TestServer.Answer a = s.get(k.key(), "/v1/generation-request/" + id + "/events");
        assertEquals(200, a.status());
        assertTrue(a.contentType().startsWith("text/event-stream"), a.contentType());
        java.util.List<JsonNode> events = new java.util.ArrayList<>();
        for (String line : new String(a.response().body(), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("data: ")) {
                events.add(TestServer.read(line.substring(6)));
            }
        }
        assertFalse(events.isEmpty());
        int progress = -1;
        for (JsonNode e : events) {
            assertEquals(id, e.get("task_id").asText());
            assertTrue(e.get("progress").asInt() >= progress, events.toString());
            progress = e.get("progress").asInt();
        }
        JsonNode last = events.get(events.size() - 1);
        assertEquals("FINISHED", last.get("status").asText());
        assertEquals(100, last.get("progress").asInt());
        // Another account's task gets a problem+json answer, not a stream.
        s.get(s.account(0).key(), "/v1/generation-request/" + id + "/events").problem(404, "task_not_found");
    }

    @Test
    void inspectReportsTheCubeWithoutFiles() {
        Administration.NewKey k = s.account(10);
        TestServer.Answer a = s.submit(k.key(), "inspect", "cube.obj", TestServer.fixture("cube.obj"), null);
        assertEquals(202, a.status(), () -> a.json().toString());
        JsonNode st = s.await(k.key(), a.json().get("task_id").asText());
        assertEquals("FINISHED", st.get("status").asText(), st.toString());
        assertEquals(12, st.get("report").get("triangles").asLong());
        assertTrue(st.get("report").get("watertight").asBoolean());
        assertEquals(0, st.get("results").size());
        assertEquals(9, s.balance(k.key()));
    }

    /** The model's text decoded straight from the body's bytes, and the forms that need the JSON string read first. */
    @Test
    void base64WithEscapesWrappedLinesOrInUtf16ReadsTheSameModel() {
        Administration.NewKey k = s.account(30);
        byte[] cube = TestServer.fixture("cube.obj");
        String wrapped = java.util.Base64.getMimeEncoder().encodeToString(cube);
        assertTrue(wrapped.contains("\r\n") && wrapped.contains("A"), wrapped);
        // Line breaks as JSON escapes, and every A as a six-character Unicode escape: JSON says the same string.
        String escaped = "{\"file_name\":\"cube.obj\",\"model_base64\":\""
                + wrapped.replace("\r\n", "\\r\\n").replace("A", "\\u0041") + "\"}";
        String plain = "{\"model_base64\":\"" + java.util.Base64.getEncoder().encodeToString(cube)
                + "\", \"file_name\":\"cube.obj\"}";
        java.util.List<TestServer.Answer> answers = java.util.List.of(
                s.postJson(k.key(), "/v1/tools/inspect/", escaped),
                s.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.url("/v1/tools/inspect/")))
                        .header("Authorization", "Bearer " + k.key()).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                                plain.getBytes(StandardCharsets.UTF_16BE)))));
        for (TestServer.Answer a : answers) {
            assertEquals(202, a.status(), () -> a.json().toString());
            JsonNode st = s.await(k.key(), a.json().get("task_id").asText());
            assertEquals("FINISHED", st.get("status").asText(), st.toString());
            assertEquals(12, st.get("report").get("triangles").asLong());
        }
    }

    /** A flat n x n grid of unit squares as binary STL, two triangles a square (50 bytes each). */
    static byte[] gridStl(int n) {
        ByteBuffer stl = ByteBuffer.allocate(84 + 50 * 2 * n * n).order(ByteOrder.LITTLE_ENDIAN);
        stl.position(80);
        stl.putInt(2 * n * n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                float[][] q = {{i, j}, {i + 1, j}, {i + 1, j + 1}, {i, j + 1}};
                for (int[] t : new int[][]{{0, 1, 2}, {0, 2, 3}}) {
                    stl.putFloat(0).putFloat(0).putFloat(1);
                    for (int c : t) {
                        stl.putFloat(q[c][0]).putFloat(q[c][1]).putFloat(0);
                    }
                    stl.putShort((short) 0);
                }
            }
        }
        return stl.array();
    }

    /**
     * A model over 15 MB as base64 (over 20 million characters, the JSON library's default limit on a string) is
     * read: the upload limit, not the parser's, decides.
     */
    @Test
    void aBase64ModelOverTwentyMillionCharactersIsRead() {
        Administration.NewKey k = s.account(10);
        // 336,200 triangles, 16.8 MB, 22.4 million base64 characters.
        int n = 410;
        byte[] stl = gridStl(n);
        assertTrue(java.util.Base64.getEncoder().encodeToString(stl).length() > 20_000_000);
        TestServer.Answer a = s.submit(k.key(), "inspect", "grid.stl", stl, null);
        assertEquals(202, a.status(), () -> a.json().toString());
        JsonNode st = s.await(k.key(), a.json().get("task_id").asText());
        assertEquals("FINISHED", st.get("status").asText(), st.toString());
        assertEquals(2L * n * n, st.get("report").get("triangles").asLong());
    }

    /**
     * A multipart model over the 64 KiB a multipart parser keeps in memory where the body is in a file
     * (TaskFromFilesTest): the part is a file of the parser's, moved into place.
     */
    @Test
    void aMultipartModelLargerThanAPartInMemoryIsRead() {
        Administration.NewKey k = s.account(10);
        int n = 40;
        byte[] stl = gridStl(n);
        assertTrue(stl.length > 1 << 17, "not over the parser's 64 KiB");
        TestServer.Answer a = s.submitMultipart(k.key(), "inspect", "grid.stl", stl, null);
        assertEquals(202, a.status(), () -> a.json().toString());
        JsonNode st = s.await(k.key(), a.json().get("task_id").asText());
        assertEquals("FINISHED", st.get("status").asText(), st.toString());
        assertEquals(2L * n * n, st.get("report").get("triangles").asLong());
    }

    @Test
    void aModelTheReaderRefusesFailsAndIsRefunded() {
        Administration.NewKey k = s.account(100);
        byte[] notAModel = "this is not a model\nf 1 2 3\n".getBytes(StandardCharsets.US_ASCII);
        TestServer.Answer a = s.submit(k.key(), "repair", "broken.obj", notAModel, null);
        assertEquals(202, a.status(), () -> a.json().toString());
        JsonNode st = s.await(k.key(), a.json().get("task_id").asText());
        assertEquals("FAILED", st.get("status").asText(), st.toString());
        String reason = st.get("failure_reason").asText();
        assertTrue(reason.contains("broken.obj"), reason);
        // The client is told about its file, never about the server's directories.
        assertFalse(reason.contains(dir.toString()), reason);
        assertEquals(100, s.balance(k.key()));
        JsonNode wallet = s.get(k.key(), "/v1/wallet/").json();
        long sum = 0;
        for (JsonNode e : wallet.get("entries")) {
            sum += e.get("delta").asLong();
        }
        assertEquals(100, sum);
        assertEquals(3, wallet.get("entries").size());
        assertEquals("refund", wallet.get("entries").get(0).get("kind").asText());
        assertEquals(60, wallet.get("entries").get(0).get("delta").asLong());
    }

    @Test
    void aZipBombFailsOnTheArchiveLimitAndIsRefunded() throws Exception {
        // 24 MiB of one OBJ line packed into a few dozen KiB: far past the server's expansion ratio of 100.
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(zip)) {
            z.putNextEntry(new java.util.zip.ZipEntry("bomb.obj"));
            byte[] line = "v 0 0 0\n".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 48; i++) {
                z.write(line);
            }
            z.closeEntry();
        }
        assertTrue(zip.size() < 200_000, "the bomb is " + zip.size() + " bytes");
        Administration.NewKey k = s.account(100);
        TestServer.Answer a = s.submitMultipart(k.key(), "convert", "bomb.zip", zip.toByteArray(), null);
        assertEquals(202, a.status(), () -> a.json().toString());
        JsonNode st = s.await(k.key(), a.json().get("task_id").asText());
        assertEquals("FAILED", st.get("status").asText(), st.toString());
        String reason = st.get("failure_reason").asText();
        assertTrue(reason.startsWith("bomb.zip: entry 'bomb.obj' ") && reason.contains("more than 100 times"), reason);
        assertFalse(reason.contains(dir.toString()), reason);
        assertEquals(100, s.balance(k.key()));
    }

    @Test
    void anotherAccountsTaskIsNotFoundLikeAnUnknownOne() {
        Administration.NewKey owner = s.account(10);
        Administration.NewKey other = s.account(10);
        String id = s.submit(owner.key(), "inspect", "cube.obj", TestServer.fixture("cube.obj"), null).json()
                .get("task_id").asText();
        JsonNode theirs = s.get(other.key(), "/v1/generation-request/" + id + "/status/").problem(404,
                "task_not_found");
        JsonNode unknown = s.get(other.key(), "/v1/generation-request/task_nosuchtask/status/").problem(404,
                "task_not_found");
        assertEquals(theirs.get("title"), unknown.get("title"));
        s.await(owner.key(), id);
        s.get(other.key(), "/v1/generation-request/" + id + "/assets/cube.stl").problem(404, "task_not_found");
    }

    @Test
    void assetNamesThatClimbOutOfTheTaskAreNotFound() {
        Administration.NewKey k = s.account(100);
        String id = s.submit(k.key(), "convert", "cube.obj", TestServer.fixture("cube.obj"),
                Map.of("output_format", "stl")).json().get("task_id").asText();
        assertEquals("FINISHED", s.await(k.key(), id).get("status").asText());
        String base = "/v1/generation-request/" + id + "/assets/";
        // Only the names the task's results list are served: never the model, the database or another task's file.
        s.get(k.key(), base + "cube.obj").problem(404, "asset_not_found");
        s.get(k.key(), base + "..%2F..%2Fmeshforge.db").problem(404, "asset_not_found");
        s.get(k.key(), base + "%2e%2e").problem(404, "asset_not_found");
        assertEquals(200, s.get(k.key(), base + "cube.stl").status());
    }

    @Test
    void aKeyRunsAtMostItsAllowedTasksAtOnce() throws Exception {
        Administration.NewKey k = s.account(1000);
        assertTrue(s.admin.setMaxConcurrentTasks(k.prefix(), 1));
        // The loop below reads both statuses every 50 ms, 40 reads a second: over the default 600 a minute once the
        // repairs take more than 15 s together, as they can on a busy machine.
        assertTrue(s.admin.setReadsPerMinute(k.prefix(), 100_000));
        // Two slow repairs and two free workers: the key's limit of one makes the second wait for the first.
        byte[] spheres = ScaleOutTest.twoSpheres(40, 80);
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            TestServer.Answer a = s.submit(k.key(), "repair", "spheres.obj", spheres, null);
            assertEquals(202, a.status(), () -> a.json().toString());
            ids.add(a.json().get("task_id").asText());
        }
        // The two statuses are read one after the other, not as one snapshot, so "both IN_PROGRESS in one round"
        // may only mean the first finished between the reads. What a limit of one does rule out: each task's
        // observed run (first to last read that saw it IN_PROGRESS, in read order) overlapping the other's.
        long[] first = {Long.MAX_VALUE, Long.MAX_VALUE};
        long[] last = {-1, -1};
        long read = 0;
        boolean sawOneWaiting = false;
        Instant end = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(end)) {
            int running = 0;
            int pending = 0;
            int done = 0;
            for (int i = 0; i < ids.size(); i++) {
                String st = s.get(k.key(), "/v1/generation-request/" + ids.get(i) + "/status/").json().get("status")
                        .asText();
                read++;
                if (st.equals("IN_PROGRESS")) {
                    running++;
                    first[i] = Math.min(first[i], read);
                    last[i] = read;
                }
                pending += st.equals("PENDING") ? 1 : 0;
                done += st.equals("FINISHED") || st.equals("FAILED") ? 1 : 0;
            }
            sawOneWaiting |= running == 1 && pending == 1;
            if (done == 2) {
                break;
            }
            TestServer.sleep(50);
        }
        assertTrue(last[0] < first[1] || last[1] < first[0], "observed runs overlap: task 0 in reads " + first[0]
                + ".." + last[0] + ", task 1 in reads " + first[1] + ".." + last[1]);
        assertTrue(sawOneWaiting);
        for (String id : ids) {
            assertEquals("FINISHED", s.await(k.key(), id).get("status").asText());
        }
    }

    @Test
    void pathTricksInTheFileNameStayInTheTaskFolder(@TempDir Path own) throws Exception {
        // A server of this class's settings without workers, so that the stored model is seen before a worker ends
        // the task and deletes it; then one with workers on the same data runs it.
        Path data = own.resolve("data");
        String id;
        Administration.NewKey k;
        try (TestServer queued = new TestServer(s.config.toBuilder().dataDir(data).workers(0).build())) {
            k = queued.account(10);
            TestServer.Answer a = queued.submit(k.key(), "inspect", "../../../etc/..\\passwd.obj",
                    TestServer.fixture("cube.obj"), null);
            assertEquals(202, a.status(), () -> a.json().toString());
            id = a.json().get("task_id").asText();
            assertTrue(Files.isRegularFile(data.resolve("tasks").resolve(id).resolve("passwd.obj")));
            assertFalse(Files.exists(data.resolve("passwd.obj")));
            assertFalse(Files.exists(own.resolve("passwd.obj")));
        }
        try (TestServer running = new TestServer(s.config.toBuilder().dataDir(data).build())) {
            assertEquals("FINISHED", running.await(k.key(), id).get("status").asText());
        }
    }

    // JSON answers are written as the bytes they were serialized to: whole, with their length, the server's
    // timing, and compressed where the client asks and the answer is large enough, as through Javalin's result.
    @Test
    void aStatusAnswerHasItsLengthAndTiming() {
        String key = s.account(100).key();
        TestServer.Answer a = s.submit(key, "inspect", "cube.obj", TestServer.fixture("cube.obj"), null);
        assertEquals(Long.toString(a.response().body().length), a.header("Content-Length"));
        assertEquals(202, a.status(), () -> a.json().toString());
        String id = a.json().get("task_id").asText();
        assertEquals("FINISHED", s.await(key, id).get("status").asText());
        TestServer.Answer st = s.get(key, "/v1/generation-request/" + id + "/status/");
        assertEquals(200, st.status());
        assertEquals(Long.toString(st.response().body().length), st.header("Content-Length"));
        assertTrue(st.header("Server-Timing").matches("app;dur=\\d+\\.\\d{3}, db-wait;dur=\\d+\\.\\d{3}, "
                + "db;dur=\\d+\\.\\d{3}, queue;dur=\\d+\\.\\d{3}"), st.header("Server-Timing"));
        assertEquals(id, st.json().get("task_id").asText());
    }

    @Test
    void aLargeAnswerIsCompressedWhereTheClientAsks() throws IOException, InterruptedException {
        Administration.NewKey k = s.account(0);
        for (int i = 0; i < 40; i++) {
            s.admin.grant(k.account(), 1 + i);
        }
        TestServer.Answer plain = s.get(k.key(), "/v1/wallet/");
        assertEquals(200, plain.status());
        assertNull(plain.header("Content-Encoding"));
        assertTrue(plain.response().body().length > 1500, "the wallet is " + plain.response().body().length
                + " bytes");
        assertEquals(820, plain.json().get("balance").asLong());

        // Sent by the client itself: the test server's own send would read the compressed bytes as JSON.
        HttpResponse<byte[]> zipped = s.http.send(HttpRequest.newBuilder(URI.create(s.url("/v1/wallet/"))).GET()
                .header("Authorization", "Bearer " + k.key()).header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, zipped.statusCode());
        assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElse(null));
        byte[] body;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            body = in.readAllBytes();
        }
        JsonNode unzipped = TestServer.JSON.readTree(body);
        assertEquals(plain.json(), unzipped);
    }
}
