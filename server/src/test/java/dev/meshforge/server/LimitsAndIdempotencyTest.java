// Per-key rate limits (tasks counted in the database, reads in memory and flushed) and Idempotency-Key.
package dev.meshforge.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LimitsAndIdempotencyTest {
    @TempDir
    static Path dir;
    static TestServer s;
    static final byte[] CUBE = TestServer.fixture("cube.obj");

    @BeforeAll
    static void start() {
        // Loopback webhook URLs allowed: the endpoints made here are never called (their accounts run no task).
        s = new TestServer(TestServer.config(dir).withWebhooks(new ServerConfig.Webhooks(true,
                java.time.Duration.ofSeconds(10), 8)));
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    /** The limit counts in one-minute windows: keep a test's requests inside one. */
    static void awayFromTheMinutesEnd() {
        long intoMinute = System.currentTimeMillis() % 60_000;
        if (intoMinute > 50_000) {
            TestServer.sleep(60_000 - intoMinute + 100);
        }
    }

    @Test
    void theFourthTaskInAMinuteIs429WithRetryAfterWhilePollsGoOn() {
        Administration.NewKey k = s.account(100);
        awayFromTheMinutesEnd();
        String id = null;
        for (int i = 0; i < 3; i++) {
            TestServer.Answer a = s.submit(k.key(), "inspect", "cube.obj", CUBE, null);
            assertEquals(202, a.status());
            id = a.json().get("task_id").asText();
        }
        TestServer.Answer refused = s.submit(k.key(), "inspect", "cube.obj", CUBE, null);
        refused.problem(429, "rate_limited");
        long retry = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
        assertEquals("0", refused.header("RateLimit-Remaining"));
        // Polling every few seconds for a minute is far below the reads limit and never meets the task limit.
        for (int i = 0; i < 30; i++) {
            assertEquals(200, s.get(k.key(), "/v1/generation-request/" + id + "/status/").status());
        }
        // The refused request was not charged.
        assertEquals(97, s.balance(k.key()));
    }

    @Test
    void pollsPastTheKeysReadsLimitAre429WhileTaskCreationGoesOn() {
        Administration.NewKey k = s.account(100);
        s.admin.setReadsPerMinute(k.prefix(), 5);
        awayFromTheMinutesEnd();
        String id = s.submit(k.key(), "inspect", "cube.obj", CUBE, null).json().get("task_id").asText();
        String status = "/v1/generation-request/" + id + "/status/";
        for (int i = 0; i < 5; i++) {
            assertEquals(200, s.get(k.key(), status).status());
        }
        TestServer.Answer refused = s.get(k.key(), status);
        refused.problem(429, "rate_limited");
        assertEquals("0", refused.header("RateLimit-Remaining"));
        long retry = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
        // The wallet shares the reads limit; creating tasks has a limit of its own.
        s.get(k.key(), "/v1/wallet/").problem(429, "rate_limited");
        assertEquals(202, s.submit(k.key(), "inspect", "cube.obj", CUBE, null).status());
    }

    @Test
    void aKeysOwnLimitIsHonoured() {
        Administration.NewKey k = s.account(100);
        s.admin.setTasksPerMinute(k.prefix(), 5);
        awayFromTheMinutesEnd();
        for (int i = 0; i < 5; i++) {
            assertEquals(202, s.submit(k.key(), "inspect", "cube.obj", CUBE, null).status());
        }
        s.submit(k.key(), "inspect", "cube.obj", CUBE, null).problem(429, "rate_limited");
    }

    @Test
    void limitsArePerKey() {
        Administration.NewKey a = s.account(100);
        Administration.NewKey b = s.admin.createKey("b", a.account(), null, false);
        awayFromTheMinutesEnd();
        for (int i = 0; i < 3; i++) {
            assertEquals(202, s.submit(a.key(), "inspect", "cube.obj", CUBE, null).status());
        }
        s.submit(a.key(), "inspect", "cube.obj", CUBE, null).problem(429, "rate_limited");
        assertEquals(202, s.submit(b.key(), "inspect", "cube.obj", CUBE, null).status());
    }

    @Test
    void theSameKeyAndBodyGiveTheSameTaskChargedOnce() {
        Administration.NewKey k = s.account(100);
        TestServer.Answer first = s.submit(k.key(), "convert", "cube.obj", CUBE, Map.of("output_format", "stl"),
                "Idempotency-Key", "order-17");
        TestServer.Answer again = s.submit(k.key(), "convert", "cube.obj", CUBE, Map.of("output_format", "stl"),
                "Idempotency-Key", "order-17");
        assertEquals(202, first.status());
        assertEquals(202, again.status());
        assertNull(first.header("Idempotent-Replayed"));
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(first.json().get("task_id"), again.json().get("task_id"));
        assertEquals(95, s.balance(k.key()));
        JsonNode wallet = s.get(k.key(), "/v1/wallet/").json();
        assertEquals(2, wallet.get("entries").size());
    }

    @Test
    void aMultipartUploadIsComparedByItsFileToo() {
        // A multipart file is moved into place, not copied: its hash is taken from the moved file.
        Administration.NewKey k = s.account(100);
        TestServer.Answer first = s.submitMultipart(k.key(), "inspect", "cube.obj", CUBE, null, "Idempotency-Key",
                "upload-3");
        TestServer.Answer again = s.submitMultipart(k.key(), "inspect", "cube.obj", CUBE, null, "Idempotency-Key",
                "upload-3");
        assertEquals(202, first.status());
        long charged = s.balance(k.key());
        assertTrue(charged < 100, "the task was not charged");
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(first.json().get("task_id"), again.json().get("task_id"));
        byte[] other = (new String(CUBE, java.nio.charset.StandardCharsets.US_ASCII) + "\n# another file\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        s.submitMultipart(k.key(), "inspect", "cube.obj", other, null, "Idempotency-Key", "upload-3")
                .problem(409, "idempotency_conflict");
        assertEquals(charged, s.balance(k.key()));
        assertEquals(12, s.await(k.key(), first.json().get("task_id").asText()).get("report").get("triangles")
                .asInt());
    }

    @Test
    void theSameKeyWithAnotherBodyIs409() {
        Administration.NewKey k = s.account(100);
        assertEquals(202, s.submit(k.key(), "convert", "cube.obj", CUBE, Map.of("output_format", "stl"),
                "Idempotency-Key", "order-18").status());
        s.submit(k.key(), "convert", "cube.obj", CUBE, Map.of("output_format", "ply"), "Idempotency-Key",
                "order-18").problem(409, "idempotency_conflict");
        assertEquals(95, s.balance(k.key()));
    }

    @Test
    void aRepeatedWebhookPostMakesOneEndpoint() {
        Administration.NewKey k = s.account(0);
        Map<String, Object> body = Map.of("url", "http://127.0.0.1:9/hooks/meshforge");
        TestServer.Answer first = s.postJson(k.key(), "/v1/webhooks/", body, "Idempotency-Key", "hook-1");
        TestServer.Answer again = s.postJson(k.key(), "/v1/webhooks/", body, "Idempotency-Key", "hook-1");
        assertEquals(201, first.status(), () -> first.json().toString());
        assertEquals(201, again.status());
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(first.json(), again.json());
        s.postJson(k.key(), "/v1/webhooks/", Map.of("url", "http://127.0.0.1:9/other"), "Idempotency-Key", "hook-1")
                .problem(409, "idempotency_conflict");
        // Without the key, the same body makes a second endpoint.
        TestServer.Answer other = s.postJson(k.key(), "/v1/webhooks/", body);
        assertTrue(!other.json().get("id").equals(first.json().get("id")));
    }

    @Test
    void aRepeatedGrantAddsCreditsOnce() {
        Administration.NewKey root = s.admin.createKey("root", null, null, true);
        Administration.NewKey k = s.account(10);
        String body = "{\"account\":\"" + k.account() + "\",\"amount\":40}";
        for (int i = 0; i < 3; i++) {
            TestServer.Answer a = s.postJson(root.key(), "/v1/admin/credits", body, "Idempotency-Key", "grant-7");
            assertEquals(201, a.status(), () -> a.json().toString());
            assertEquals(50, a.json().get("balance").asLong());
        }
        assertEquals(50, s.balance(k.key()));
        s.postJson(root.key(), "/v1/admin/credits", body.replace("40", "41"), "Idempotency-Key", "grant-7")
                .problem(409, "idempotency_conflict");
        s.postJson(root.key(), "/v1/admin/keys", "{\"name\":\"x\"}", "Idempotency-Key", "key-1")
                .problem(400, "idempotency_not_supported");
    }

    @Test
    void idempotencyKeysAreSeparatePerAccount() {
        Administration.NewKey a = s.account(100);
        Administration.NewKey b = s.account(100);
        TestServer.Answer ta = s.submit(a.key(), "inspect", "cube.obj", CUBE, null, "Idempotency-Key", "same");
        TestServer.Answer tb = s.submit(b.key(), "inspect", "cube.obj", CUBE, null, "Idempotency-Key", "same");
        assertEquals(202, ta.status());
        assertEquals(202, tb.status());
        assertTrue(!ta.json().get("task_id").equals(tb.json().get("task_id")));
    }
}
