// Health without a key; every other route refuses a missing, wrong, expired or revoked key; keys are stored hashed.
package dev.meshforge.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeyTest {
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
    void healthAnswersWithoutAKey() {
        TestServer.Answer a = s.get(null, "/health");
        assertEquals(200, a.status());
        assertEquals("ok", a.json().get("status").asText());
    }

    @Test
    void missingKeyIs401WithChallenge() {
        TestServer.Answer a = s.get(null, "/v1/wallet/");
        a.problem(401, "missing_api_key");
        assertEquals("Bearer realm=\"meshforge\"", a.header("WWW-Authenticate"));
    }

    @Test
    void wrongKeyIs401() {
        Administration.NewKey k = s.account(0);
        // The right prefix with one character changed: nothing but the whole key opens the account.
        String wrong = k.key().substring(0, k.key().length() - 1) + (k.key().endsWith("a") ? "b" : "a");
        s.get(wrong, "/v1/wallet/").problem(401, "invalid_api_key");
        s.get("not-a-key", "/v1/wallet/").problem(401, "invalid_api_key");
        assertEquals(200, s.get(k.key(), "/v1/wallet/").status());
    }

    @Test
    void basicAuthIsRefused() {
        Administration.NewKey k = s.account(0);
        s.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.url("/v1/wallet/")))
                .header("Authorization", "Basic " + k.key())).problem(401, "invalid_api_key");
    }

    @Test
    void expiredKeyIs401() {
        Administration.NewKey k = s.admin.createKey("short-lived", null, Instant.now().minusSeconds(1), false);
        s.get(k.key(), "/v1/wallet/").problem(401, "api_key_expired");
    }

    @Test
    void revokedKeyIsRefusedOnTheNextRequest() {
        Administration.NewKey k = s.account(0);
        assertEquals(200, s.get(k.key(), "/v1/wallet/").status());
        assertTrue(s.admin.revokeKey(k.prefix()));
        s.get(k.key(), "/v1/wallet/").problem(401, "api_key_revoked");
        assertFalse(s.admin.revokeKey("mf_nosuchkey"));
    }

    /** A status poll reads its key together with its task: it refuses keys exactly as every other route does. */
    @Test
    void theStatusRouteRefusesKeysAsTheOthersDo() {
        Administration.NewKey owner = s.account(10);
        String id = s.submit(owner.key(), "inspect", "cube.obj", TestServer.fixture("cube.obj"), null).json()
                .get("task_id").asText();
        String path = "/v1/generation-request/" + id + "/status/";
        assertEquals(200, s.get(owner.key(), path).status());
        s.get(null, path).problem(401, "missing_api_key");
        String wrong = owner.key().substring(0, owner.key().length() - 1) + (owner.key().endsWith("a") ? "b" : "a");
        s.get(wrong, path).problem(401, "invalid_api_key");
        s.get("not-a-key", path).problem(401, "invalid_api_key");
        s.get(wrong, "/v1/generation-request/task_nosuchtask/status").problem(401, "invalid_api_key");
        Administration.NewKey expired = s.admin.createKey("short-lived", owner.account(),
                Instant.now().minusSeconds(1), false);
        s.get(expired.key(), path).problem(401, "api_key_expired");
        Administration.NewKey second = s.admin.createKey("second", owner.account(), null, false);
        assertEquals(200, s.get(second.key(), path).status());
        assertTrue(s.admin.revokeKey(second.prefix()));
        s.get(second.key(), path).problem(401, "api_key_revoked");
        // Another account's valid key: the task is not found, as one that does not exist.
        s.get(s.account(0).key(), path).problem(404, "task_not_found");
        assertEquals(200, s.get(owner.key(), path).status());
    }

    @Test
    void keysAreRandomWithAPrefixAndStoredOnlyAsAHash() throws Exception {
        Administration.NewKey a = s.account(0);
        Administration.NewKey b = s.account(0);
        assertTrue(a.key().matches("mf_[a-z2-7]{32}"), a.key());
        assertEquals(a.key().substring(0, 11), a.prefix());
        assertFalse(a.key().equals(b.key()));
        assertFalse(a.account().equals(b.account()));
        assertTrue(s.admin.listKeys(a.account()).stream().anyMatch(k -> k.prefix().equals(a.prefix())));
        // Neither the key nor its secret part appears anywhere in the database files.
        String secret = a.key().substring(11);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("meshforge.db")).toList()) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertFalse(bytes.contains(secret), f + " holds the key's secret");
                assertTrue(!bytes.isEmpty());
            }
        }
    }

    @Test
    void aSecondKeyOfTheSameAccountSeesTheSameWallet() {
        Administration.NewKey a = s.account(25);
        Administration.NewKey b = s.admin.createKey("second", a.account(), null, false);
        assertEquals(a.account(), b.account());
        assertEquals(25, s.balance(b.key()));
    }

    @Test
    void adminRouteNeedsAnAdminKeyAndMakesKeys() {
        Administration.NewKey plain = s.account(0);
        s.postJson(plain.key(), "/v1/admin/keys", "{\"name\":\"x\"}").problem(403, "admin_only");
        Administration.NewKey root = s.admin.createKey("root", null, null, true);
        TestServer.Answer made = s.postJson(root.key(), "/v1/admin/keys",
                "{\"name\":\"made\",\"account\":\"" + plain.account() + "\",\"expires_in_days\":90}");
        assertEquals(201, made.status());
        JsonNode k = made.json();
        assertEquals(plain.account(), k.get("account").asText());
        assertEquals("made", k.get("name").asText());
        assertNotNull(Instant.parse(k.get("expires_at").asText()));
        assertEquals(200, s.get(k.get("key").asText(), "/v1/wallet/").status());
        assertEquals(200, s.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                s.url("/v1/admin/keys/" + k.get("prefix").asText()))).DELETE()
                .header("Authorization", "Bearer " + root.key())).status());
        s.get(k.get("key").asText(), "/v1/wallet/").problem(401, "api_key_revoked");
        s.postJson(root.key(), "/v1/admin/keys", "{\"name\":\"x\",\"colour\":1}").problem(400, "unknown_field");
    }

    @Test
    void unknownRouteIsAProblem() {
        Administration.NewKey k = s.account(0);
        s.get(k.key(), "/v1/nothing-here").problem(404, "route_not_found");
    }
}
