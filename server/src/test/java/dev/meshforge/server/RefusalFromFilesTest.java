// Every refusal of RefusalTest again with no memory for request bodies: each body is received into a file first.
package dev.meshforge.server;

import org.junit.jupiter.api.BeforeAll;

/** Each refusal still answers its status and leaves no task, charge or file, its body's file included. */
class RefusalFromFilesTest extends RefusalTest {
    @BeforeAll
    static void start() {
        s = new TestServer(TestServer.config(dir).withMaxUploadBytes(64 << 10).withBodyMemory(0));
    }
}
