// Every task of TaskTest again with no memory for request bodies: each body is received into a file and parsed there.
package dev.meshforge.server;

import org.junit.jupiter.api.BeforeAll;

/**
 * The path that many large uploads at once take: the JSON body's base64 is decoded as it is read from its file (plain,
 * with escapes and wrapped lines, in UTF-16, and over the JSON library's limit on a string's length), and a multipart
 * body is parsed from its file.
 */
class TaskFromFilesTest extends TaskTest {
    // Named apart from TaskTest.start, which JUnit runs first (a static method of the same signature does not keep
    // it from running): the server that made is closed here, not left running against the class's temporary
    // folder once JUnit deletes it.
    @BeforeAll
    static void startWithBodiesInFiles() {
        s.close();
        s = new TestServer(TestServer.config(dir).withBodyMemory(0));
    }
}
