// Op threads give way to the API's: their Linux nice value, read back from /proc.
package dev.meshforge.server.internal;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ThreadNiceTest {
    /** Field 19 of a thread's stat file, after the command name in parentheses (which may hold spaces). */
    static int niceOf(Path stat) throws Exception {
        String line = Files.readString(stat);
        String[] after = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(after[16]);
    }

    private static int niceOfThisThread() throws Exception {
        return niceOf(Path.of("/proc/thread-self/stat"));
    }

    /** The nice value a new thread reaches by lowering itself {@code steps}, and the value of one it then starts. */
    private static int[] lowerInNewThread(int steps) throws Exception {
        AtomicReference<Object> seen = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                if (!ThreadNice.lower(steps)) {
                    seen.set("refused");
                    return;
                }
                int own = niceOfThisThread();
                AtomicReference<Integer> child = new AtomicReference<>();
                Thread c = Thread.ofPlatform().start(() -> {
                    try {
                        child.set(niceOfThisThread());
                    } catch (Exception e) {
                        child.set(Integer.MIN_VALUE);
                    }
                });
                c.join();
                seen.set(new int[] {own, child.get()});
            } catch (Exception e) {
                seen.set(e);
            }
        });
        t.join();
        if (!(seen.get() instanceof int[] values)) {
            throw new AssertionError("lowering failed: " + seen.get());
        }
        return values;
    }

    @Test
    void aThreadLowersItsOwnPriorityAndWhatItStartsButNoOtherThread() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "per-thread nice values are Linux's");
        int before = niceOfThisThread();
        assumeTrue(before <= ThreadNice.LOWEST - 7, "this test already runs at nice " + before);
        int[] seen = lowerInNewThread(7);
        assertEquals(before + 7, seen[0], "the thread's own nice value");
        assertEquals(before + 7, seen[1], "a thread it starts inherits it");
        assertEquals(before, niceOfThisThread(), "the calling thread's priority must not change");
    }

    @Test
    void aThreadIsLoweredAtMostToTheLowestPriority() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "per-thread nice values are Linux's");
        assertEquals(ThreadNice.LOWEST, lowerInNewThread(ThreadNice.LOWEST + 1 - niceOfThisThread() + 5)[0]);
    }
}
