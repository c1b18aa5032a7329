// The OpenAPI document is served without a key, and the contract check that every test runs does reject bad bodies.
package dev.meshforge.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenApiDocumentTest {
    static final OpenApiContract C = OpenApiContract.INSTANCE;
    static final String STATUS = "#/components/schemas/TaskStatus";

    @Test
    void theDocumentIsServedWithoutAKey(@TempDir Path dir) {
        try (TestServer s = new TestServer(TestServer.config(dir).withWorkers(0))) {
            TestServer.Answer a = s.get(null, "/v1/openapi.json");
            assertEquals(200, a.status());
            assertEquals("3.1.0", a.json().get("openapi").asText());
            assertEquals(C.text, new String(a.response().body(), StandardCharsets.UTF_8));
            assertTrue(a.json().get("paths").has("/v1/generation-request/{task_id}/status/"));
        }
    }

    @Test
    void aBodyMissingARequiredMemberIsCaught() {
        assertThrows(AssertionFailedError.class, () -> C.validate("test", STATUS, bytes("{\"task_id\":\"t\"}")));
        // The same through the pointer the check of a real response takes: the operation's documented response.
        assertThrows(AssertionFailedError.class, () -> C.validate("test", "#/paths/~1v1~1generation-request~1"
                + "{task_id}~1status~1/get/responses/200/content/application~1json/schema", bytes("{\"task_id\":1}")));
        assertThrows(AssertionFailedError.class, () -> C.validate("test", "#/components/schemas/Health",
                bytes("{\"status\":\"fine\"}")));
    }

    @Test
    void anUndocumentedMemberOrAWrongTypeIsCaught() {
        String ok = "{\"type\":\"urn:meshforge:problem:x\",\"title\":\"t\",\"status\":400,\"detail\":\"d\",\"code\":\"x\"}";
        C.validate("test", "#/components/schemas/Problem", bytes(ok));
        assertThrows(AssertionFailedError.class, () -> C.validate("test", "#/components/schemas/Problem",
                bytes(ok.replace("}", ",\"stack\":\"at x\"}"))));
        assertThrows(AssertionFailedError.class, () -> C.validate("test", "#/components/schemas/Problem",
                bytes(ok.replace("400", "\"400\""))));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
