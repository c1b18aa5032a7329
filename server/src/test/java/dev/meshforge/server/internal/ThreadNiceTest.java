// Worker threads give way to the API's: their Linux nice value, read back from /proc.
package dev.meshforge.server.internal;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ThreadNiceTest {
    private static final int NICE = 10;

    /** Field 19 of /proc/thread-self/stat, after the command name in parentheses (which may hold spaces). */
    private static int niceOfThisThread() throws Exception {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(after[16]);
    }

    @Test
    void aWorkerThreadLowersItsOwnPriorityAndNoOtherThreads() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "per-thread nice values are Linux's");
        int before = niceOfThisThread();
        assumeTrue(before < NICE, "this test already runs at nice " + before);
        AtomicReference<Object> seen = new AtomicReference<>();
        Thread worker = Thread.ofPlatform().start(() -> {
            try {
                boolean set = ThreadNice.set(NICE);
                seen.set(set ? niceOfThisThread() : "refused");
            } catch (Exception e) {
                seen.set(e);
            }
        });
        worker.join();
        assertEquals(NICE, seen.get());
        assertEquals(before, niceOfThisThread(), "the calling thread's priority must not change");
    }
}
