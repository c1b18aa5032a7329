// LimitsAndIdempotencyTest again with no memory for request bodies: a body's file is compared as its bytes were.
package dev.meshforge.server;

import org.junit.jupiter.api.BeforeAll;

/** The same key and body give the same task, another body a 409, when the bodies are received into files. */
class LimitsAndIdempotencyFromFilesTest extends LimitsAndIdempotencyTest {
    // Named apart from LimitsAndIdempotencyTest.start, which JUnit runs first (a static method of the same signature does not keep
    // it from running): the server that made is closed here, not left running against the class's temporary
    // folder once JUnit deletes it.
    @BeforeAll
    static void startWithBodiesInFiles() {
        s.close();
        s = new TestServer(TestServer.config(dir).withWebhooks(new ServerConfig.Webhooks(true,
                java.time.Duration.ofSeconds(10), 8)).withBodyMemory(0));
    }
}
