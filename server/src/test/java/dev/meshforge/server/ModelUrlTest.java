// model_url: off by default; when on, https only, an allow-list, no loopback or private address, size and time limits.
package dev.meshforge.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelUrlTest {
    private static TestServer.Answer submitUrl(TestServer s, String key, String url) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model_url", url);
        body.put("options", Map.of("output_format", "stl"));
        return s.postJson(key, "/v1/tools/convert/", body);
    }

    /** After a refusal: nothing charged, no task, no upload left behind. */
    private static void nothingLeft(TestServer s, Administration.NewKey k, long credits) throws IOException {
        assertEquals(credits, s.balance(k.key()));
        Path uploads = s.config.dataDir().resolve("uploads");
        if (Files.exists(uploads)) {
            try (var files = Files.list(uploads)) {
                assertEquals(List.of(), files.filter(Files::isRegularFile).toList());
            }
        }
        Path tasks = s.config.dataDir().resolve("tasks");
        if (Files.exists(tasks)) {
            try (var files = Files.list(tasks)) {
                assertEquals(List.of(), files.toList());
            }
        }
    }

    @Test
    void offByDefault(@TempDir Path dir) throws IOException {
        try (TestServer s = new TestServer(TestServer.config(dir))) {
            Administration.NewKey k = s.account(100);
            JsonNode p = submitUrl(s, k.key(), "https://models.example.com/cube.stl").problem(400,
                    "model_url_disabled");
            assertEquals("model_url", p.get("field").asText());
            nothingLeft(s, k, 100);
        }
    }

    @Test
    void hostileUrlsAreRefusedBeforeAnyConnection(@TempDir Path dir) throws IOException {
        ServerConfig.ModelUrls on = new ServerConfig.ModelUrls(true, List.of("localhost", "127.0.0.1", "::1",
                "0.0.0.0", "127.0.0.2", "*.example.org"), 1 << 20, Duration.ofSeconds(5), false);
        try (TestServer s = new TestServer(TestServer.config(dir).withModelUrls(on))) {
            Administration.NewKey k = s.account(100);
            s.admin.setTasksPerMinute(k.prefix(), 100);
            int port = s.server.port();   // the API itself: a server must never be made to call itself
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("http://localhost:" + port + "/health.stl", "invalid_model_url");
            expected.put("ftp://files.example.org/cube.stl", "invalid_model_url");
            expected.put("https://user:secret@files.example.org/cube.stl", "invalid_model_url");
            expected.put("not a url at all", "invalid_model_url");
            expected.put("https://127.0.0.1:" + port + "/cube.stl", "model_url_private_address");
            expected.put("https://127.0.0.2/cube.stl", "model_url_private_address");
            expected.put("https://localhost:" + port + "/cube.stl", "model_url_private_address");
            expected.put("https://[::1]:" + port + "/cube.stl", "model_url_private_address");
            expected.put("https://0.0.0.0:" + port + "/cube.stl", "model_url_private_address");
            expected.put("https://[::ffff:127.0.0.1]:" + port + "/cube.stl", "model_url_not_allowed");
            expected.put("https://169.254.169.254/latest/meta-data.stl", "model_url_not_allowed");
            expected.put("https://evil.example.com/cube.stl", "model_url_not_allowed");
            expected.put("https://example.org.evil.test/cube.stl", "model_url_not_allowed");
            expected.put("https://example.org/cube.stl", "model_url_not_allowed");
            expected.put("https://nohost.invalid.example.org/cube.stl", "model_url_unresolved");
            for (Map.Entry<String, String> e : expected.entrySet()) {
                JsonNode p = submitUrl(s, k.key(), e.getKey()).problem(400, e.getValue());
                assertEquals("model_url", p.get("field").asText(), e.getKey());
            }
            nothingLeft(s, k, 100);
        }
    }

    @Test
    void aFetchedModelIsConvertedAndLimitsHold(@TempDir Path dir) throws Exception {
        byte[] cube = TestServer.fixture("cube.obj");
        HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin.createContext("/models/cube.obj", x -> {
            x.sendResponseHeaders(200, cube.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(cube);
            }
        });
        origin.createContext("/big.obj", x -> {
            x.sendResponseHeaders(200, 0);   // chunked: no length to refuse early, the count must stop it
            try (OutputStream o = x.getResponseBody()) {
                byte[] line = "v 0 0 0\n".getBytes();
                for (int i = 0; i < 20_000; i++) {
                    o.write(line);
                }
            } catch (IOException clientLeft) {
                // the server stopped reading at its limit
            }
        });
        origin.createContext("/moved.obj", x -> {
            x.getResponseHeaders().add("Location", "http://127.0.0.1:1/cube.obj");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        origin.createContext("/stalls.obj", x -> {
            x.sendResponseHeaders(200, cube.length);
            OutputStream o = x.getResponseBody();
            o.write(cube, 0, 10);
            o.flush();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.close();
        });
        origin.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        origin.start();
        // allowInsecure lets this test's plain-http origin on loopback stand for a public https host.
        ServerConfig.ModelUrls insecure = new ServerConfig.ModelUrls(true, List.of("127.0.0.1"), 100_000,
                Duration.ofSeconds(2), true);
        String base = "http://127.0.0.1:" + origin.getAddress().getPort();
        try (TestServer s = new TestServer(TestServer.config(dir).withModelUrls(insecure))) {
            Administration.NewKey k = s.account(100);
            s.admin.setTasksPerMinute(k.prefix(), 100);
            TestServer.Answer a = submitUrl(s, k.key(), base + "/models/cube.obj");
            assertEquals(202, a.status(), () -> a.json().toString());
            JsonNode st = s.await(k.key(), a.json().get("task_id").asText());
            assertEquals("FINISHED", st.get("status").asText(), st.toString());
            JsonNode result = st.get("results").get(0);
            assertEquals("cube.stl", result.get("name").asText());
            byte[] stl = s.get(k.key(), result.get("asset").asText()).response().body();
            assertEquals(84 + 12 * 50, stl.length);   // the fixture's 12 triangles, as binary STL
            assertEquals(95, s.balance(k.key()));

            assertEquals("model_url", submitUrl(s, k.key(), base + "/big.obj").problem(413, "file_too_large")
                    .get("field").asText());
            submitUrl(s, k.key(), base + "/moved.obj").problem(400, "model_url_redirect");
            submitUrl(s, k.key(), base + "/missing.obj").problem(400, "model_url_fetch_failed");
            long t0 = System.nanoTime();
            submitUrl(s, k.key(), base + "/stalls.obj").problem(400, "model_url_timeout");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 6, "a stalled fetch took " + seconds + " s against a limit of 2 s");
            nothingLeftButTheFinished(s);
            assertEquals(95, s.balance(k.key()));
        } finally {
            origin.stop(0);
        }
    }

    private static void nothingLeftButTheFinished(TestServer s) throws IOException {
        Path uploads = s.config.dataDir().resolve("uploads");
        try (var files = Files.list(uploads)) {
            assertEquals(List.of(), files.filter(Files::isRegularFile).toList());
        }
        // No model kept: the refused requests stored none, and the finished task's left with its end.
        try (var tasks = Files.list(s.config.dataDir().resolve("tasks"))) {
            assertEquals(List.of(), tasks.toList());
        }
    }
}
