// Every refusal of RefusalTest again with no memory for request bodies: each body is received into a file first.
package dev.meshforge.server;

import org.junit.jupiter.api.BeforeAll;

/** Each refusal still answers its status and leaves no task, charge or file, its body's file included. */
class RefusalFromFilesTest extends RefusalTest {
    // Named apart from RefusalTest.start, which JUnit runs first (a static method of the same signature does not keep
    // it from running): the server that made is closed here, not left running against the class's temporary
    // folder once JUnit deletes it.
    @BeforeAll
    static void startWithBodiesInFiles() {
        s.close();
        s = new TestServer(TestServer.config(dir).withMaxUploadBytes(64 << 10).withBodyMemory(0));
    }
}
