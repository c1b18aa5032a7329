// Everything a server process is started with; defaults are the embedded single-process setup.
package dev.meshforge.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * @param host           address to listen on (loopback by default: exposing the API is a deliberate choice)
 * @param port           TCP port; 0 takes any free one
 * @param dataDir        where the SQLite file, uploaded models and results live
 * @param workers        tasks run at once by this process (0: an API-only process)
 * @param keep           how long a finished task's status and results stay before they answer 410 Gone
 * @param maxUploadBytes largest model accepted
 * @param lease          how long a worker holds a task without a sign of life before another may take it
 * @param poll           how often an idle worker looks for a task
 * @param sweep          how often the files of expired tasks are deleted
 * @param taskTimeLimit  longest a task may run
 * @param costs          credits a task costs, per tool
 * @param webhooks       what webhook URLs may be and how deliveries are retried
 * @param databaseUrl    a PostgreSQL JDBC URL (credentials in it or in PGUSER/PGPASSWORD style parameters) shared by
 *                       several processes; null for the embedded SQLite file in {@code dataDir}
 * @param s3             the S3-compatible bucket that keeps models and results for every process; null for the
 *                       {@code tasks/} and {@code results/} folders of {@code dataDir}
 * @param modelUrls      whether and from where a task's model may be fetched by URL
 * @param thumbnails     render a small PNG of every model a task writes (skipped, with a warning, without EGL)
 * @param bodyMemoryBytes heap for task-creating request bodies held whole while they are parsed (a JSON body's model
 *                       is held twice: as base64 and decoded), and for their arrays, kept for the next bodies; a
 *                       body that does not fit in what is left of it (kept arrays let go) is received into a file
 *                       and parsed from there instead, so that many large uploads at once cannot exhaust the heap.
 *                       Default: a quarter of the heap ({@link #defaultBodyMemory()})
 * @param opNice         how many Linux nice steps below the process's own priority the op threads run (0-19; 0: at
 *                       the same priority; {@link #DEFAULT_OP_NICE} by default): a tool then takes the cores the
 *                       requests leave, all of an idle core, and a status poll does not queue for a core behind it.
 *                       Where a thread has no nice value of its own (not Linux) nothing is lowered, with a warning
 */
public record ServerConfig(String host, int port, Path dataDir, int workers, Duration keep, long maxUploadBytes,
                           Duration lease, Duration poll, Duration sweep, Duration taskTimeLimit, Costs costs,
                           Webhooks webhooks, String databaseUrl, S3 s3, ModelUrls modelUrls, boolean thumbnails,
                           long bodyMemoryBytes, int opNice) {
    /** The op threads' default distance below the API's priority: a tenth of a core's share against a request. */
    public static final int DEFAULT_OP_NICE = 10;

    /**
     * @param allowInsecure allow http:// and private, loopback and link-local addresses (tests and closed networks
     *                      only: otherwise a webhook could make the server call into its own network)
     * @param firstRetry    the wait before the second attempt; each later wait is four times the one before
     * @param maxAttempts   attempts before a delivery is given up and recorded as failed
     */
    public record Webhooks(boolean allowInsecure, Duration firstRetry, int maxAttempts) {
        public static final Webhooks DEFAULTS = new Webhooks(false, Duration.ofSeconds(10), 8);
    }

    /**
     * @param endpoint  the store's URL (null: AWS itself, found from the region)
     * @param region    the signing region (any name for most S3-compatible servers)
     * @param bucket    the bucket; made at start where it does not exist
     * @param prefix    prepended to every object key ("" or ending in '/')
     * @param accessKey the access key id, with {@code secretKey}; null: the AWS SDK's default credentials chain
     *                  (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, profiles, instance roles)
     * @param pathStyle bucket in the path rather than the host name (what most S3-compatible servers need)
     */
    public record S3(String endpoint, String region, String bucket, String prefix, String accessKey,
                     String secretKey, boolean pathStyle) {
        public S3 {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(bucket, "bucket");
            prefix = prefix == null ? "" : prefix;
            if (!prefix.isEmpty() && !prefix.endsWith("/")) {
                prefix = prefix + "/";
            }
            if ((accessKey == null) != (secretKey == null)) {
                throw new IllegalArgumentException("an S3 access key needs its secret key, and a secret key its "
                        + "access key");
            }
        }
    }

    /**
     * @param enabled       whether {@code model_url} is accepted at all (off by default)
     * @param allowHosts    host names a URL may name: exact names, or "*.example.com" for its subdomains
     * @param maxBytes      largest model fetched (more is refused while it arrives)
     * @param timeout       longest a fetch may take, connection included
     * @param allowInsecure allow http:// and private, loopback and link-local addresses (tests only)
     */
    public record ModelUrls(boolean enabled, java.util.List<String> allowHosts, long maxBytes, Duration timeout,
                            boolean allowInsecure) {
        public static final ModelUrls OFF = new ModelUrls(false, java.util.List.of(), 64L << 20,
                Duration.ofSeconds(30), false);

        public ModelUrls {
            allowHosts = java.util.List.copyOf(allowHosts);
            if (maxBytes <= 0 || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("model_url size and time limits must be positive");
            }
        }
    }

    /** Credits per task: convert, inspect, repair, repair with hollowing, scale; render per image. */
    public record Costs(long convert, long inspect, long repair, long repairHollow, long scale, long render,
                        long hollow) {
        public static final Costs DEFAULTS = new Costs(5, 1, 60, 90, 5, 5, 30);
    }

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        if (port < 0 || port > 65535 || workers < 0 || maxUploadBytes <= 0 || bodyMemoryBytes < 0 || opNice < 0
                || opNice > 19) {
            throw new IllegalArgumentException("port, workers, maxUploadBytes, bodyMemoryBytes or opNice out of range");
        }
        modelUrls = modelUrls == null ? ModelUrls.OFF : modelUrls;
    }

    /**
     * One process on loopback:8080, {@link #defaultWorkers()} workers, results kept 24 hours, models up to 256 MiB.
     */
    public static ServerConfig embedded(Path dataDir) {
        return new Builder(dataDir).build();
    }

    /** A builder holding this configuration's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Workers of a process that also answers the API: one fewer than its cores, at least one. A tool keeps a core
     * busy while it runs, so with every core a worker's a status poll would wait for a tool to be descheduled; the
     * core left over answers requests and runs the database's writes. A worker-only process (behind other API
     * processes) may set as many as it has cores.
     */
    public static int defaultWorkers() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    /** A quarter of the heap this JVM may grow to: what request bodies held whole may take of it at once. */
    public static long defaultBodyMemory() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    /** 0 receives every task-creating body into a file before it is parsed. */
    public ServerConfig withBodyMemory(long bytes) {
        return toBuilder().bodyMemoryBytes(bytes).build();
    }

    public ServerConfig withHost(String h) {
        return toBuilder().host(h).build();
    }

    public ServerConfig withPort(int p) {
        return toBuilder().port(p).build();
    }

    public ServerConfig withWorkers(int n) {
        return toBuilder().workers(n).build();
    }

    public ServerConfig withKeep(Duration d) {
        return toBuilder().keep(d).build();
    }

    public ServerConfig withMaxUploadBytes(long n) {
        return toBuilder().maxUploadBytes(n).build();
    }

    public ServerConfig withTiming(Duration leaseTime, Duration pollTime, Duration sweepTime) {
        return toBuilder().lease(leaseTime).poll(pollTime).sweep(sweepTime).build();
    }

    public ServerConfig withCosts(Costs c) {
        return toBuilder().costs(c).build();
    }

    public ServerConfig withDatabaseUrl(String url) {
        return toBuilder().databaseUrl(url).build();
    }

    public ServerConfig withWebhooks(Webhooks w) {
        return toBuilder().webhooks(w).build();
    }

    public ServerConfig withS3(S3 store) {
        return toBuilder().s3(store).build();
    }

    public ServerConfig withModelUrls(ModelUrls m) {
        return toBuilder().modelUrls(m).build();
    }

    public ServerConfig withDataDir(Path d) {
        return toBuilder().dataDir(d).build();
    }

    public ServerConfig withThumbnails(boolean on) {
        return toBuilder().thumbnails(on).build();
    }

    /** 0 runs the op threads at the process's own priority. */
    public ServerConfig withOpNice(int steps) {
        return toBuilder().opNice(steps).build();
    }

    /**
     * The values of a configuration, each set by its own method, made into one by {@link #build()} (which checks
     * them as the record's constructor does). {@code new Builder(dataDir)} starts from {@link #embedded}'s defaults.
     */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private Path dataDir;
        private int workers = defaultWorkers();
        private Duration keep = Duration.ofHours(24);
        private long maxUploadBytes = 256L << 20;
        private Duration lease = Duration.ofSeconds(30);
        private Duration poll = Duration.ofMillis(500);
        private Duration sweep = Duration.ofMinutes(1);
        private Duration taskTimeLimit = Duration.ofMinutes(15);
        private Costs costs = Costs.DEFAULTS;
        private Webhooks webhooks = Webhooks.DEFAULTS;
        private String databaseUrl;
        private S3 s3;
        private ModelUrls modelUrls = ModelUrls.OFF;
        private boolean thumbnails = true;
        private long bodyMemoryBytes = defaultBodyMemory();
        private int opNice = DEFAULT_OP_NICE;

        public Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        private Builder(ServerConfig c) {
            this(c.dataDir);
            host(c.host).port(c.port).workers(c.workers).keep(c.keep).maxUploadBytes(c.maxUploadBytes).lease(c.lease)
                    .poll(c.poll).sweep(c.sweep).taskTimeLimit(c.taskTimeLimit).costs(c.costs).webhooks(c.webhooks)
                    .databaseUrl(c.databaseUrl).s3(c.s3).modelUrls(c.modelUrls).thumbnails(c.thumbnails)
                    .bodyMemoryBytes(c.bodyMemoryBytes).opNice(c.opNice);
        }

        public ServerConfig build() {
            return new ServerConfig(host, port, dataDir, workers, keep, maxUploadBytes, lease, poll, sweep,
                    taskTimeLimit, costs, webhooks, databaseUrl, s3, modelUrls, thumbnails, bodyMemoryBytes, opNice);
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder dataDir(Path v) {
            dataDir = v;
            return this;
        }

        public Builder workers(int v) {
            workers = v;
            return this;
        }

        public Builder keep(Duration v) {
            keep = v;
            return this;
        }

        public Builder maxUploadBytes(long v) {
            maxUploadBytes = v;
            return this;
        }

        public Builder lease(Duration v) {
            lease = v;
            return this;
        }

        public Builder poll(Duration v) {
            poll = v;
            return this;
        }

        public Builder sweep(Duration v) {
            sweep = v;
            return this;
        }

        public Builder taskTimeLimit(Duration v) {
            taskTimeLimit = v;
            return this;
        }

        public Builder costs(Costs v) {
            costs = v;
            return this;
        }

        public Builder webhooks(Webhooks v) {
            webhooks = v;
            return this;
        }

        public Builder databaseUrl(String v) {
            databaseUrl = v;
            return this;
        }

        public Builder s3(S3 v) {
            s3 = v;
            return this;
        }

        public Builder modelUrls(ModelUrls v) {
            modelUrls = v;
            return this;
        }

        public Builder thumbnails(boolean v) {
            thumbnails = v;
            return this;
        }

        public Builder bodyMemoryBytes(long v) {
            bodyMemoryBytes = v;
            return this;
        }

        public Builder opNice(int v) {
            opNice = v;
            return this;
        }
    }
}
