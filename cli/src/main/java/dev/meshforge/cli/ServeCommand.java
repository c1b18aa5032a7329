// `meshforge serve`: the tools HTTP API and its workers in one process (embedded, or one of many with --config).
package dev.meshforge.cli;

import dev.meshforge.core.scene.Scene;
import dev.meshforge.server.MeshforgeServer;
import dev.meshforge.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Runs until interrupted (Ctrl-C or SIGTERM), then stops taking requests and lets the workers go. */
@Command(name = "serve", addMethodSubcommands = false,
        description = "Serve the tools HTTP API (GET /health answers 200 when ready).")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDirectory data = new DataDirectory();

    @Option(names = "--port", defaultValue = "8080", description = "TCP port (default: ${DEFAULT-VALUE}; 0 takes "
            + "a free one)")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to listen on (default: "
            + "${DEFAULT-VALUE}; 0.0.0.0 for every interface)")
    String host;

    @Option(names = "--workers", description = "tasks run at once (default: one fewer than the cores, at least 1)")
    int workers;

    @Option(names = "--keep", defaultValue = "24h", paramLabel = "DURATION", description = "how long results stay "
            + "(default: ${DEFAULT-VALUE}; e.g. 90m, 24h, 7d)")
    String keep;

    @Option(names = "--max-upload-mb", defaultValue = "256", description = "largest model accepted, MiB (default: "
            + "${DEFAULT-VALUE})")
    long maxUploadMb;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535 || workers < 0 || maxUploadMb <= 0) {
            throw new ParameterException(spec.commandLine(), "--port must be 0 to 65535, --workers 0 or more and "
                    + "--max-upload-mb positive");
        }
        ServerConfig config = settings();
        Scene.zeroReusedBuffers(true); // several accounts' models in one process (Main.main switched it off)
        MeshforgeServer server;
        try {
            server = MeshforgeServer.start(config);
        } catch (RuntimeException e) {
            // A port in use or a database that cannot be reached is the operator's to fix: one line, exit 2.
            if (e.getClass().getSimpleName().contains("Bind") || String.valueOf(e.getMessage()).contains("in use")) {
                throw new ParameterException(spec.commandLine(), "cannot listen on " + host + ":" + port
                        + ": the port is in use or not allowed; choose another with --port");
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        spec.commandLine().getErr().println("meshforge: serving on http://" + host + ":" + server.port()
                + " (" + (config.databaseUrl() == null ? "SQLite" : "PostgreSQL") + ", files in "
                + (config.s3() == null ? config.dataDir().toAbsolutePath() : "s3://" + config.s3().bucket() + "/"
                + config.s3().prefix()) + ", " + config.workers() + " workers)");
        spec.commandLine().getErr().flush();
        stopped.await();
        return 0;
    }

    /** The embedded defaults, then the file and the environment, then the options given on this command line. */
    private ServerConfig settings() {
        ServerConfig c = data.settings(spec);
        var given = spec.commandLine().getParseResult();
        if (given.hasMatchedOption("--host")) {
            c = c.withHost(host);
        }
        if (given.hasMatchedOption("--port")) {
            c = c.withPort(port);
        }
        if (given.hasMatchedOption("--workers")) {
            c = c.withWorkers(workers);
        }
        if (given.hasMatchedOption("--keep")) {
            c = c.withKeep(KeysCommand.duration(spec, keep, "--keep"));
        }
        if (given.hasMatchedOption("--max-upload-mb")) {
            c = c.withMaxUploadBytes(maxUploadMb << 20);
        }
        return c;
    }

}
