// Bad and hostile requests: each answers its status with a problem+json body and leaves no task, charge or file.
package dev.meshforge.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RefusalTest {
    @TempDir
    static Path dir;
    static TestServer s;
    static final byte[] CUBE = TestServer.fixture("cube.obj");
    Administration.NewKey k;

    @BeforeAll
    static void start() {
        // A 64 KiB limit, so that "too large" is cheap to send.
        s = new TestServer(TestServer.config(dir).withMaxUploadBytes(64 << 10));
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    @AfterEach
    void nothingWasLeft() throws Exception {
        if (k == null) {
            return;
        }
        // No task row, no ledger row beyond the grant, no stored model, no upload left in the spool.
        assertEquals(0, count("SELECT COUNT(*) FROM tasks WHERE account_id = '" + k.account() + "'"));
        assertEquals(1, count("SELECT COUNT(*) FROM ledger WHERE account_id = '" + k.account() + "'"));
        assertEquals(100, s.admin.balance(k.account()));
        try (Stream<Path> tasks = Files.list(dir.resolve("tasks"))) {
            assertEquals(0, tasks.count());
        }
        assertEquals(0, uploads().stream().filter(p -> p.getFileName().toString().startsWith("upload-")).count());
    }

    /** What is in the uploads folder (nothing where no body was ever received into a file). */
    static java.util.List<Path> uploads() throws IOException {
        try (Stream<Path> files = Files.exists(dir.resolve("uploads")) ? Files.list(dir.resolve("uploads"))
                : Stream.empty()) {
            return files.toList();
        }
    }

    static long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("meshforge.db"));
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Administration.NewKey key() {
        k = s.account(100);
        return k;
    }

    @Test
    void unknownOptionIs400NamingIt() {
        var a = s.submit(key().key(), "repair", "cube.obj", CUBE, Map.of("qualty", "max"));
        assertEquals("qualty", a.problem(400, "unknown_option").get("field").asText());
        assertTrue(a.json().get("detail").asText().contains("'qualty'"));
    }

    @Test
    void badOptionValueIs400NamingIt() {
        var a = s.submit(key().key(), "repair", "cube.obj", CUBE, Map.of("quality", "ultra"));
        assertEquals("quality", a.problem(400, "invalid_option").get("field").asText());
        var b = s.submit(k.key(), "convert", "cube.obj", CUBE, Map.of("output_format", "dwg"));
        assertEquals("output_format", b.problem(400, "invalid_option").get("field").asText());
        var c = s.submit(k.key(), "repair", "cube.obj", CUBE, Map.of("target_triangles", -3));
        assertEquals("target_triangles", c.problem(400, "invalid_option").get("field").asText());
    }

    @Test
    void unknownBodyFieldIs400NamingIt() {
        var a = s.postJson(key().key(), "/v1/tools/convert/", Map.of("file_name", "cube.obj", "model_base64",
                "AAAA", "output_format", "stl"));
        assertEquals("output_format", a.problem(400, "unknown_field").get("field").asText());
    }

    @Test
    void unknownToolIs404() {
        s.submit(key().key(), "teleport", "cube.obj", CUBE, null).problem(404, "unknown_tool");
    }

    @Test
    void modelUrlIsOffByDefault() {
        var a = s.postJson(key().key(), "/v1/tools/convert/", Map.of("file_name", "cube.obj", "model_url",
                "http://127.0.0.1/cube.obj"));
        assertEquals("model_url", a.problem(400, "model_url_disabled").get("field").asText());
    }

    @Test
    void modelOverTheLimitIs413() {
        byte[] big = new byte[100 << 10];
        java.util.Arrays.fill(big, (byte) 'v');
        s.submit(key().key(), "inspect", "big.obj", big, null).problem(413, "file_too_large");
        s.submitMultipart(k.key(), "inspect", "big.obj", big, null).problem(413, "file_too_large");
    }

    @Test
    void bodyThatIsNotTheDeclaredFormatIs400() {
        var a = s.submit(key().key(), "inspect", "cube.glb", CUBE, null);
        assertEquals("model", a.problem(400, "format_mismatch").get("field").asText());
        s.submit(k.key(), "inspect", "cube.ply", "glTF\u0002\0\0\0".getBytes(StandardCharsets.ISO_8859_1), null)
                .problem(400, "format_mismatch");
        s.submitMultipart(k.key(), "inspect", "cube.obj", new byte[]{0, 1, 2, 3, 0, 0}, null)
                .problem(400, "format_mismatch");
    }

    @Test
    void multipartBodiesThatAreNotATaskAre400() throws Exception {
        String k1 = key().key();
        String b = "meshforge-test-boundary-7d1f";
        // A part that is neither the model nor the options is named, as an unknown JSON field is.
        byte[] colour = ("--" + b + "\r\nContent-Disposition: form-data; name=\"colour\"\r\n\r\nred\r\n--" + b
                + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] extra = concat(b, TestServer.multipartBody(b, "cube.obj", CUBE, null), colour);
        assertEquals("colour", multipart(k1, "boundary=" + b, extra).problem(400, "unknown_field").get("field")
                .asText());
        // Options without a model.
        byte[] noModel = ("--" + b + "\r\nContent-Disposition: form-data; name=\"options\"\r\n\r\n{}\r\n--" + b
                + "--\r\n").getBytes(StandardCharsets.UTF_8);
        assertEquals("model", multipart(k1, "boundary=" + b, noModel).problem(400, "missing_model").get("field")
                .asText());
        // Not multipart at all, and a Content-Type without its boundary.
        multipart(k1, "boundary=" + b, CUBE).problem(400, "bad_multipart");
        multipart(k1, "charset=utf-8", TestServer.multipartBody(b, "cube.obj", CUBE, null))
                .problem(400, "bad_multipart");
        // Options that are not JSON.
        multipart(k1, "boundary=" + b, TestServer.multipartBody(b, "cube.obj", CUBE, "{nope"))
                .problem(400, "invalid_json");
        // Nothing of any of them is left in the uploads folder: the parser's own part files go once each request
        // has ended (Jetty removes them after the answer, so they are given a few seconds).
        java.util.List<Path> left = java.util.List.of();
        for (long end = System.nanoTime() + 10_000_000_000L; System.nanoTime() < end; Thread.sleep(100)) {
            left = uploads().stream().filter(Files::isRegularFile).toList();
            if (left.isEmpty()) {
                break;
            }
        }
        assertEquals(java.util.List.of(), left);
    }

    private static byte[] concat(String boundary, byte[] head, byte[] tail) {
        // The head without its closing delimiter ("--BOUNDARY--\r\n"): the tail's part follows its last part.
        String h = new String(head, StandardCharsets.ISO_8859_1);
        h = h.substring(0, h.length() - ("--" + boundary + "--\r\n").length());
        byte[] a = h.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = java.util.Arrays.copyOf(a, a.length + tail.length);
        System.arraycopy(tail, 0, out, a.length, tail.length);
        return out;
    }

    private TestServer.Answer multipart(String key, String contentTypeParameter, byte[] body) {
        return s.send(HttpRequest.newBuilder(URI.create(s.url("/v1/tools/inspect/")))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "multipart/form-data; " + contentTypeParameter)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    @Test
    void unreadableExtensionIs400() {
        s.submit(key().key(), "inspect", "cube.exe", CUBE, null).problem(400, "unsupported_format");
        s.submit(k.key(), "inspect", "../..", CUBE, null).problem(400, "unsupported_format");
    }

    @Test
    void invalidJsonAndBase64Are400() {
        s.postJson(key().key(), "/v1/tools/inspect/", "{\"file_name\": ").problem(400, "invalid_json");
        s.postJson(k.key(), "/v1/tools/inspect/", Map.of("file_name", "a.obj", "model_base64", "###"))
                .problem(400, "invalid_base64");
        s.postJson(k.key(), "/v1/tools/inspect/", "{\"file_name\":\"a.obj\",\"file_name\":\"b.obj\"}")
                .problem(400, "invalid_json");
    }

    @Test
    void otherContentTypeIs415() throws IOException {
        s.send(HttpRequest.newBuilder(URI.create(s.url("/v1/tools/inspect/")))
                .header("Authorization", "Bearer " + key().key()).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(CUBE))).problem(415, "unsupported_media_type");
    }

    @Test
    void notEnoughCreditsIs402() {
        k = s.account(100);
        Administration.NewKey poor = s.account(59);
        var a = s.submit(poor.key(), "repair", "cube.obj", CUBE, null);
        a.problem(402, "insufficient_credits");
        assertEquals(59, a.json().get("balance").asLong());
        assertEquals(60, a.json().get("cost").asLong());
        assertEquals(59, s.balance(poor.key()));
        Administration.NewKey none = s.account(0);
        s.submit(none.key(), "convert", "cube.obj", CUBE, null).problem(402, "insufficient_credits");
    }

    @Test
    void badIdempotencyKeyIs400() {
        s.submit(key().key(), "inspect", "cube.obj", CUBE, null, "Idempotency-Key", "has spaces in it")
                .problem(400, "invalid_idempotency_key");
    }
}
