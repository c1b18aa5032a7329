// A server process for the scale-out test: one worker against PostgreSQL, run in its own JVM so it can be killed.
package dev.meshforge.server;

import java.nio.file.Path;
import java.time.Duration;

/** Arguments: data directory, PostgreSQL JDBC URL, lease in milliseconds. Prints "ready" and runs until killed. */
public final class WorkerProcess {
    private WorkerProcess() {
    }

    public static void main(String[] args) throws Exception {
        ServerConfig config = ServerConfig.embedded(Path.of(args[0])).withPort(0).withWorkers(1)
                .withDatabaseUrl(args[1])
                .withTiming(Duration.ofMillis(Long.parseLong(args[2])), Duration.ofMillis(100), Duration.ofSeconds(1));
        MeshforgeServer.start(config);
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.currentThread().join();
    }
}
