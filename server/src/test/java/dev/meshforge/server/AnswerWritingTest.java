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
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JSON answers are written as the bytes they were serialized to: whole, with their length, the server's timing, and
 * compressed where the client asks and the answer is large enough, as before.
 */
class AnswerWritingTest {
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
    void aStatusAnswerHasItsLengthAndTiming() {
        Administration.NewKey k = s.account(100);
        TestServer.Answer a = s.submit(k.key(), "convert", "cube.obj", TestServer.fixture("cube.obj"),
                java.util.Map.of("output_format", "stl"));
        assertEquals(202, a.status(), () -> a.json().toString());
        assertEquals(Long.toString(a.response().body().length), a.header("Content-Length"));
        String id = a.json().get("task_id").asText();
        assertEquals("FINISHED", s.await(k.key(), id).get("status").asText());
        TestServer.Answer st = s.get(k.key(), "/v1/generation-request/" + id + "/status/");
        assertEquals(200, st.status());
        assertEquals(Long.toString(st.response().body().length), st.header("Content-Length"));
        assertTrue(st.header("Server-Timing").matches("app;dur=\\d+\\.\\d{3}, db-wait;dur=\\d+\\.\\d{3}, "
                + "db;dur=\\d+\\.\\d{3}"), st.header("Server-Timing"));
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
