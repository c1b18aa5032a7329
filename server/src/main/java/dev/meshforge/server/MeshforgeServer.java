// One server process: the HTTP API and a pool of workers over the database and the task files' store.
package dev.meshforge.server;

import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.ops.Limits;
import dev.meshforge.server.internal.Api;
import dev.meshforge.server.internal.Database;
import dev.meshforge.server.internal.DirectoryTaskFiles;
import dev.meshforge.server.internal.S3TaskFiles;
import dev.meshforge.server.internal.TaskFiles;
import dev.meshforge.server.internal.TaskStore;
import dev.meshforge.server.internal.Thumbnails;
import dev.meshforge.server.internal.ToolCatalog;
import dev.meshforge.server.internal.WebhookSender;
import dev.meshforge.server.internal.Workers;
import io.javalin.Javalin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts with {@link #start(ServerConfig)}; {@link #close()} stops taking requests, stops the workers (a task
 * they were running is left under its lease and taken up again after a restart) and closes the database.
 * Javalin runs on Jetty with virtual threads for requests; workers are platform threads, see {@link Workers}.
 */
public final class MeshforgeServer implements AutoCloseable {
    /**
     * The JVM's property for the number of carrier threads under virtual threads (by default as many as cores).
     * A virtual thread keeps its carrier while it computes or runs native code (SQLite's driver), so with as many
     * carriers as cores a status poll waited on the carriers behind other requests' work; with more carriers the
     * operating system shares the cores between them. Measured on the 2-core machine (a 40k-triangle model's load
     * run, 30 s): status p99 after the warm-up 36.2 ms with 2 carriers, 13.4 ms with 8. Set here, before the first
     * virtual thread of the process, unless given on the command line; a JVM that has run a virtual thread before
     * keeps the scheduler it made then.
     */
    public static final String CARRIERS_PROPERTY = "jdk.virtualThreadScheduler.parallelism";
    /** Bytes a connection reads from its socket at once (see where the HTTP configuration is made). */
    static final int INPUT_BUFFER_BYTES = 64 << 10;

    static {
        if (System.getProperty(CARRIERS_PROPERTY) == null) {
            System.setProperty(CARRIERS_PROPERTY, Integer.toString(Math.max(8,
                    4 * Runtime.getRuntime().availableProcessors())));
        }
    }

    private final Database db;
    private final Workers workers;
    private final Javalin http;
    private final ScheduledExecutorService timer;
    private final TaskFiles files;
    private final Thumbnails thumbnails;
    private final Api api;

    private MeshforgeServer(Database db, Workers workers, Javalin http, ScheduledExecutorService timer,
                            TaskFiles files, Thumbnails thumbnails, Api api) {
        this.api = api;
        this.files = files;
        this.thumbnails = thumbnails;
        this.db = db;
        this.workers = workers;
        this.http = http;
        this.timer = timer;
    }

    public static MeshforgeServer start(ServerConfig config) {
        Database db = Database.open(config.dataDir(), config.databaseUrl());
        TaskFiles files = null;
        Thumbnails thumbnails = null;
        Api api = null;
        try {
            files = openFiles(config);
            TaskStore tasks = new TaskStore(db, config.keep());
            thumbnails = new Thumbnails(config.thumbnails());
            ToolCatalog catalog = new ToolCatalog(config.costs(), thumbnails);
            // Readers refuse more than the upload limit, and archives that expand past 1 GiB or 100 times.
            ReadOptions read = new ReadOptions(Math.max(config.maxUploadBytes(), 1), 50_000_000L)
                    .withArchiveLimits(1_000, 1L << 30, 100);
            Workers pool = new Workers(tasks, files, catalog, new Workers.Settings(config.workers(), config.lease(),
                    config.poll(), config.sweep(), read, new Limits(0, config.taskTimeLimit()), config.opNice()),
                    config.dataDir().resolve("work"));
            WebhookSender webhooks = new WebhookSender(db, config.webhooks());
            Api routes = new Api(config, db, tasks, files, catalog, webhooks, pool::poke);
            api = routes;
            Javalin http = Javalin.create(cfg -> {
                cfg.concurrency.useVirtualThreads = true;
                cfg.jetty.host = config.host();
                cfg.jetty.port = config.port();
                cfg.startup.showJavalinBanner = false;
                // A connection reads the socket into a buffer of this size: an upload (a model of hundreds of KB to
                // MB) arrives in a few reads instead of one every 8 KB (Jetty's default), each a system call.
                cfg.jetty.modifyHttpConfiguration(h -> h.setInputBufferSize(INPUT_BUFFER_BYTES));
                routes.install(cfg);
            });
            http.start();
            pool.start();
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                    .name("meshforge-webhooks").factory());
            long every = config.poll().toMillis();
            timer.scheduleWithFixedDelay(() -> {
                try {
                    webhooks.sendDue();
                } catch (RuntimeException e) {
                    // A busy database: the deliveries stay due and go out on the next round.
                    org.slf4j.LoggerFactory.getLogger(MeshforgeServer.class).warn("webhooks: {}", e.toString());
                }
            }, every, every, TimeUnit.MILLISECONDS);
            return new MeshforgeServer(db, pool, http, timer, files, thumbnails, routes);
        } catch (IOException e) {
            closeFiles(api);
            closeFiles(thumbnails);
            closeFiles(files);
            db.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeFiles(api);
            closeFiles(thumbnails);
            closeFiles(files);
            db.close();
            throw e;
        }
    }

    /** The results directory of the data dir, or the configured S3-compatible bucket. */
    private static TaskFiles openFiles(ServerConfig config) throws IOException {
        if (config.s3() == null) {
            return new DirectoryTaskFiles(config.dataDir());
        }
        S3TaskFiles s3 = new S3TaskFiles(config.s3());
        try {
            s3.ensureBucket();
        } catch (IOException e) {
            s3.close();
            throw e;
        }
        return s3;
    }

    private static void closeFiles(Object files) {
        if (files instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // Closing an HTTP client pool: nothing left to save.
            }
        }
    }

    /** The port listened on (the one chosen where the configuration said 0). */
    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.stop();
        api.close();
        timer.shutdownNow();
        workers.close();
        closeFiles(thumbnails);
        closeFiles(files);
        db.close();
    }
}
