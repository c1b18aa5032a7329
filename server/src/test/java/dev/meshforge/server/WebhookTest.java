// Webhooks: a receiver on loopback gets task.finished signed as Standard Webhooks specifies, after a retry.
package dev.meshforge.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookTest {
    record Received(String id, String timestamp, String signature, String body) {
    }

    @Test
    void aFinishedTaskIsAnnouncedSignedAndRetriedAfterA500(@TempDir Path dir) throws Exception {
        List<Received> received = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", ex -> {
            received.add(new Received(ex.getRequestHeaders().getFirst("webhook-id"),
                    ex.getRequestHeaders().getFirst("webhook-timestamp"),
                    ex.getRequestHeaders().getFirst("webhook-signature"),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            // The first attempt fails, as a receiver that is restarting would.
            ex.sendResponseHeaders(calls.incrementAndGet() == 1 ? 500 : 204, -1);
            ex.close();
        });
        receiver.start();
        ServerConfig config = TestServer.config(dir).withWebhooks(new ServerConfig.Webhooks(true,
                Duration.ofMillis(200), 5));
        try (TestServer s = new TestServer(config)) {
            Administration.NewKey k = s.account(10);
            TestServer.Answer hook = s.postJson(k.key(), "/v1/webhooks/", Map.of("url",
                    "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"));
            assertEquals(201, hook.status());
            String secret = hook.json().get("secret").asText();
            String id = s.submit(k.key(), "inspect", "cube.obj", TestServer.fixture("cube.obj"), null).json()
                    .get("task_id").asText();
            s.await(k.key(), id);
            Instant end = Instant.now().plusSeconds(20);
            while (received.size() < 2 && Instant.now().isBefore(end)) {
                TestServer.sleep(50);
            }
            assertEquals(2, received.size());
            Received first = received.get(0);
            Received second = received.get(1);
            // A retry is the same message: same id, same body, so that a receiver can drop repeats.
            assertEquals(first.id(), second.id());
            assertEquals(first.body(), second.body());
            for (Received r : received) {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
                String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(
                        (r.id() + "." + r.timestamp() + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
                assertEquals(expected, r.signature());
                long age = Instant.now().getEpochSecond() - Long.parseLong(r.timestamp());
                assertTrue(age >= 0 && age < 60, "timestamp " + r.timestamp());
            }
            JsonNode body = TestServer.read(second.body());
            assertEquals("task.finished", body.get("type").asText());
            assertEquals(id, body.get("data").get("task_id").asText());
            assertEquals("FINISHED", body.get("data").get("status").asText());

            JsonNode deliveries = s.get(k.key(), "/v1/webhooks/" + hook.json().get("id").asText()
                    + "/deliveries").json().get("deliveries");
            assertEquals(1, deliveries.size());
            assertEquals("delivered", deliveries.get(0).get("state").asText());
            assertEquals(2, deliveries.get(0).get("attempts").asInt());
            assertEquals(204, deliveries.get(0).get("last_status").asInt());
            // Another account cannot read this endpoint's record.
            s.get(s.account(0).key(), "/v1/webhooks/" + hook.json().get("id").asText() + "/deliveries")
                    .problem(404, "webhook_not_found");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void loopbackAndPlainHttpEndpointsAreRefusedByDefault(@TempDir Path dir) {
        try (TestServer s = new TestServer(TestServer.config(dir).withWorkers(0))) {
            Administration.NewKey k = s.account(0);
            assertEquals("url", s.postJson(k.key(), "/v1/webhooks/", Map.of("url", "https://127.0.0.1/hook"))
                    .problem(400, "webhook_url_not_allowed").get("field").asText());
            s.postJson(k.key(), "/v1/webhooks/", Map.of("url", "https://10.1.2.3/hook"))
                    .problem(400, "webhook_url_not_allowed");
            s.postJson(k.key(), "/v1/webhooks/", Map.of("url", "https://[::1]/hook"))
                    .problem(400, "webhook_url_not_allowed");
            s.postJson(k.key(), "/v1/webhooks/", Map.of("url", "http://example.com/hook"))
                    .problem(400, "invalid_webhook_url");
            s.postJson(k.key(), "/v1/webhooks/", Map.of("url", "https://example.com/hook", "events", "all"))
                    .problem(400, "unknown_field");
        }
    }
}
