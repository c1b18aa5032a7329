// A server on loopback in a temporary data directory, and an HTTP client that speaks to it as clients do.
package dev.meshforge.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Starts {@link MeshforgeServer} on port 0; {@link #close()} stops it. Tests make a fresh account each. */
final class TestServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path TESTDATA = Path.of(System.getProperty("meshforge.testdata", "../testdata"));

    final ServerConfig config;
    final MeshforgeServer server;
    final Administration admin;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** An HTTP answer with its body as bytes and, where it is JSON, parsed. */
    record Answer(int status, HttpResponse<byte[]> response, JsonNode json) {
        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        String contentType() {
            return header("Content-Type");
        }

        /** Asserts a problem+json answer of this status and code; returns its body. */
        JsonNode problem(int expectedStatus, String code) {
            assertEquals(expectedStatus, status, () -> "body: " + new String(response.body(), StandardCharsets.UTF_8));
            assertTrue(contentType().startsWith("application/problem+json"), contentType());
            assertEquals(code, json.get("code").asText());
            assertEquals(expectedStatus, json.get("status").asInt());
            assertEquals("urn:meshforge:problem:" + code, json.get("type").asText());
            String detail = json.get("detail").asText();
            assertTrue(!detail.isBlank() && !detail.contains("Exception") && !detail.contains("\tat "), detail);
            return json;
        }
    }

    TestServer(ServerConfig config) {
        this(config, null);
    }

    /** @param databaseUrl the PostgreSQL the server uses, or null for its embedded file */
    TestServer(ServerConfig config, String databaseUrl) {
        this.config = config;
        this.server = MeshforgeServer.start(config);
        this.admin = Administration.open(config.dataDir(), databaseUrl);
    }

    static ServerConfig config(Path dir) {
        return ServerConfig.embedded(dir).withPort(0).withWorkers(2).withThumbnails(false)
                .withTiming(Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMillis(200));
    }

    /** A new account with one key and {@code credits} credits; returns the key. */
    Administration.NewKey account(long credits) {
        Administration.NewKey k = admin.createKey("test", null, null, false);
        if (credits > 0) {
            admin.grant(k.account(), credits);
        }
        return k;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            String type = r.headers().firstValue("Content-Type").orElse("");
            JsonNode json = type.contains("json") && r.body().length > 0 ? JSON.readTree(r.body()) : null;
            OpenApiContract.INSTANCE.check(r);
            return new Answer(r.statusCode(), r, json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer get(String key, String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : url(path))).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return send(b);
    }

    /** POSTs a JSON body; {@code extra} are more headers, name then value. */
    Answer postJson(String key, String path, Object body, String... extra) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : write(body)));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        for (int i = 0; i < extra.length; i += 2) {
            b.header(extra[i], extra[i + 1]);
        }
        return send(b);
    }

    /** A task with the model as base64 JSON. */
    Answer submit(String key, String tool, String fileName, byte[] model, Map<String, Object> options,
                  String... headers) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("file_name", fileName);
        body.put("model_base64", Base64.getEncoder().encodeToString(model));
        if (options != null) {
            body.put("options", options);
        }
        return postJson(key, "/v1/tools/" + tool + "/", body, headers);
    }

    /** A task's multipart body: the part "options" where given, then the file part "model". */
    static byte[] multipartBody(String boundary, String fileName, byte[] model, String optionsJson) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (optionsJson != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"options\"\r\n\r\n"
                    + optionsJson + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"; filename=\""
                + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(model);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    /** A task as a multipart upload: the file part "model" and, where given, the part "options". */
    Answer submitMultipart(String key, String tool, String fileName, byte[] model, String optionsJson,
                           String... headers) {
        String boundary = "meshforge-test-boundary-7d1f";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/v1/tools/" + tool + "/")))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipartBody(boundary, fileName, model, optionsJson)));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    /** Polls the status every 100 ms until the task is FINISHED or FAILED (at most 60 s); returns the last status. */
    JsonNode await(String key, String taskId) {
        Instant end = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(end)) {
            Answer a = get(key, "/v1/generation-request/" + taskId + "/status/");
            assertEquals(200, a.status(), () -> new String(a.response().body(), StandardCharsets.UTF_8));
            String status = a.json().get("status").asText();
            if (status.equals("FINISHED") || status.equals("FAILED")) {
                return a.json();
            }
            sleep(100);
        }
        return fail("task " + taskId + " did not end within 60 s");
    }

    long balance(String key) {
        Answer w = get(key, "/v1/wallet/");
        assertEquals(200, w.status());
        return w.json().get("balance").asLong();
    }

    static byte[] fixture(String name) {
        try {
            return Files.readAllBytes(TESTDATA.resolve(name));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        admin.close();
        server.close();
    }
}
