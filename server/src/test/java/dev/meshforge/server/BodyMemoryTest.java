// Many large uploads at once on a small heap: the bodies past the body memory go to files, and each is accepted.
package dev.meshforge.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BodyMemoryTest {
    @TempDir
    Path dir;

    /**
     * Six 40 MB models as base64 JSON (53 MB a body) at once to a server process with a 192 MiB heap: held whole,
     * each would take its body and its decoded model, 560 MB in all. The body memory (a quarter of the heap) holds
     * none of them, so each is received into a file and decoded from there; every one is accepted and the server
     * answers on. (An API-only process: no worker reads the models.)
     */
    @Test
    void sixLargeUploadsAtOnceOnASmallHeapAreAllAccepted() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path conf = dir.resolve("server.properties");
        Files.writeString(conf, "data = " + data + "\nworkers = 0\nthumbnails = false\nmax_upload_mb = 64\n");
        Administration.NewKey k;
        try (Administration admin = Administration.open(data, null)) {
            k = admin.createKey("large", null, null, false);
            admin.grant(k.account(), 1_000);
            admin.setTasksPerMinute(k.prefix(), 100);
            admin.setMaxConcurrentTasks(k.prefix(), 100);
        }
        // A binary STL of 799,998 triangles, every one at the origin: 40 MB.
        int triangles = 799_998;
        ByteBuffer stl = ByteBuffer.allocate(84 + 50 * triangles).order(ByteOrder.LITTLE_ENDIAN);
        stl.putInt(80, triangles);
        byte[] body = ("{\"file_name\":\"large.stl\",\"options\":{\"output_format\":\"glb\"},\"model_base64\":\""
                + Base64.getEncoder().encodeToString(stl.array()) + "\"}").getBytes(StandardCharsets.US_ASCII);
        Process server = ScaleOutTest.startWorker(conf, new String[]{"-Xmx192m"});
        try {
            String base = "http://127.0.0.1:" + ScaleOutTest.READY.get(server.pid()).split(" ")[2];
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/tools/convert/"))
                        .header("Authorization", "Bearer " + k.key()).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> a : answers) {
                HttpResponse<String> r = a.get(150, TimeUnit.SECONDS);
                assertEquals(202, r.statusCode(), r.body());
                assertTrue(r.body().contains("\"task_id\""), r.body());
            }
            assertTrue(server.isAlive(), "the server process ended");
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            // Each model stored whole, once; nothing left in the uploads folder.
            try (var models = Files.find(data.resolve("tasks"), 2, (p, a) -> a.isRegularFile())) {
                List<Long> sizes = models.map(p -> p.toFile().length()).toList();
                assertEquals(java.util.Collections.nCopies(6, (long) stl.capacity()), sizes);
            }
            try (var left = Files.list(data.resolve("uploads"))) {
                assertEquals(List.of(), left.toList());
            }
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
