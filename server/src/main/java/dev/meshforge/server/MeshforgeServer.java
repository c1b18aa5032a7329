// One server process: the HTTP API and a pool of workers over the embedded database and results directory.
package dev.meshforge.server;

import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.ops.Limits;
import dev.meshforge.server.internal.Api;
import dev.meshforge.server.internal.Database;
import dev.meshforge.server.internal.DirectoryTaskFiles;
import dev.meshforge.server.internal.TaskStore;
import dev.meshforge.server.internal.ToolCatalog;
import dev.meshforge.server.internal.Workers;
import io.javalin.Javalin;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Starts with {@link #start(ServerConfig)}; {@link #close()} stops taking requests, stops the workers (a task
 * they were running is left under its lease and taken up again after a restart) and closes the database.
 * Javalin runs on Jetty with virtual threads for requests; workers are platform threads, see {@link Workers}.
 */
public final class MeshforgeServer implements AutoCloseable {
    private final Database db;
    private final Workers workers;
    private final Javalin http;

    private MeshforgeServer(Database db, Workers workers, Javalin http) {
        this.db = db;
        this.workers = workers;
        this.http = http;
    }

    public static MeshforgeServer start(ServerConfig config) {
        Database db = Database.openEmbedded(config.dataDir());
        try {
            DirectoryTaskFiles files = new DirectoryTaskFiles(config.dataDir());
            TaskStore tasks = new TaskStore(db, config.keep());
            ToolCatalog catalog = new ToolCatalog(config.costs());
            // Readers refuse more than the upload limit, and archives that expand past 1 GiB or 100 times.
            ReadOptions read = new ReadOptions(Math.max(config.maxUploadBytes(), 1), 50_000_000L)
                    .withArchiveLimits(1_000, 1L << 30, 100);
            Workers pool = new Workers(tasks, files, catalog, new Workers.Settings(config.workers(), config.lease(),
                    config.poll(), config.sweep(), read, new Limits(0, config.taskTimeLimit())),
                    config.dataDir().resolve("work"));
            Api api = new Api(config, db, tasks, files, catalog, pool::poke);
            Javalin http = Javalin.create(cfg -> {
                cfg.concurrency.useVirtualThreads = true;
                cfg.jetty.host = config.host();
                cfg.jetty.port = config.port();
                cfg.startup.showJavalinBanner = false;
                api.install(cfg);
            });
            http.start();
            pool.start();
            return new MeshforgeServer(db, pool, http);
        } catch (IOException e) {
            db.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** The port listened on (the one chosen where the configuration said 0). */
    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.stop();
        workers.close();
        db.close();
    }
}
