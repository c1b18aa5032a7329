package dev.meshforge.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Jackson's buffers, shared by all threads through one pool: no answer or parse sees another's bytes. */
class JsonBuffersTest {
    @Test
    void manyVirtualThreadsWriteAndReadTheirOwnJson() throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> done = new ArrayList<>();
            for (int i = 0; i < 4000; i++) {
                int n = i;
                done.add(threads.submit(() -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("task_id", "task_" + n);
                    // Past one 8 KB buffer for some, so that grown and kept buffers are reused too.
                    m.put("text", "x".repeat(n * 7 % 20_000));
                    m.put("n", n);
                    byte[] bytes = Json.bytes(m);
                    JsonNode back = Json.read(new String(bytes, StandardCharsets.UTF_8));
                    return back.get("task_id").asText() + "/" + back.get("text").asText().length() + "/"
                            + back.get("n").asInt() + "/" + Json.write(m).equals(new String(bytes,
                            StandardCharsets.UTF_8));
                }));
            }
            for (int i = 0; i < done.size(); i++) {
                assertEquals("task_" + i + "/" + i * 7 % 20_000 + "/" + i + "/true", done.get(i).get());
            }
        }
    }
}
