// A server process for the scale-out and load tests: set up by a configuration file, in its own JVM (to be killed,
// or measured apart from its clients).
package dev.meshforge.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Arguments: configuration file (data, database_url, s3.*, workers, ...), lease in milliseconds. Prints "ready PID
 * PORT" and runs until killed.
 */
public final class WorkerProcess {
    private WorkerProcess() {
    }

    public static void main(String[] args) throws Exception {
        // The defaults' data folder, which the configuration file's own replaces: beside that file, in the test's
        // folder (which the test removes), not one more folder left in the system's temporary folder a run.
        Path config = Path.of(args[0]).toAbsolutePath();
        ServerConfig base = ServerConfig.embedded(Files.createTempDirectory(config.getParent(), "worker-defaults"))
                .withPort(0)
                .withWorkers(1)
                .withTiming(Duration.ofMillis(Long.parseLong(args[1])), Duration.ofMillis(100), Duration.ofSeconds(1));
        MeshforgeServer server = MeshforgeServer.start(ConfigFile.apply(base, config, Map.of()));
        System.out.println("ready " + ProcessHandle.current().pid() + " " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
