// The HTTP routes of the tools API: authentication, limits, task creation, status, downloads, the wallet.
package dev.meshforge.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshforge.server.ServerConfig;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Every route but {@code /health} and the OpenAPI document needs {@code Authorization: Bearer <key>}. Every refusal
 * is a {@link ApiProblem} answered as problem+json; anything else that escapes a handler is logged under an id and
 * answered as a 500 naming that id, never with a stack trace.
 */
public final class Api implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    private static final String KEY = "meshforge.key";
    private static final String STARTED = "meshforge.started";
    /** When Jetty had parsed the request's headers (its own clock, System.nanoTime). */
    private static final String PARSED = "meshforge.parsed";
    /** The key a status poll presents, checked by the poll's own read. */
    private static final String PRESENTED = "meshforge.presented";
    /** A JSON answer's bytes, written by the after handler. */
    private static final String ANSWER = "meshforge.answer";
    private static final java.util.regex.Pattern STATUS_ROUTE =
            java.util.regex.Pattern.compile("/v1/generation-request/[^/]+/status/?");
    private static final Set<String> JSON_FIELDS = Set.of("file_name", "model_base64", "model_url", "options");

    /** The API's OpenAPI 3.1 document; the tests validate every response they get against it. */
    private static final byte[] OPENAPI = openapi();

    private final ServerConfig config;
    private final Database db;
    private final KeyStore keys;
    private final RateLimiter limiter;
    private final TaskStore tasks;
    private final TaskFiles files;
    private final ToolCatalog catalog;
    private final Runnable queued;
    private final Path uploads;

    private final WebhookSender webhooks;
    private final ModelFetcher fetcher;
    /**
     * A JSON upload's computing (parsing the body, decoding the base64 model, hashing and storing it) runs on these
     * platform threads, not on the request's virtual thread: a virtual thread is not preempted while it computes,
     * and requests have only as many carrier threads as there are cores, so under load status polls and downloads
     * waited on the carriers behind uploads (measured: the client's status p99 was 20-70x the time the server spent
     * on a poll). Here the operating system shares the cores between the two kinds. Waiting for the network (the
     * body arriving, a multipart upload streamed to disk, a model_url fetched) stays on the virtual thread, so a
     * slow sender holds no submit thread. A small multipart body held in memory ({@link #INLINE_BODY_BYTES}) is the
     * exception: its parse is as short as a poll, and the hand-off there and back cost more than the work.
     */
    private final ExecutorService submitters;
    /**
     * {@link ServerConfig#bodyMemoryBytes}: a task-creating body is read into memory only where its arrays (the body
     * and its decoded model) fit here; they go back once its task is accepted or refused, and are kept for the next.
     */
    private final BodyMemory bodyMemory;

    public Api(ServerConfig config, Database db, TaskStore tasks, TaskFiles files, ToolCatalog catalog,
               WebhookSender webhooks, Runnable queued) {
        this.webhooks = webhooks;
        this.config = config;
        this.db = db;
        this.keys = new KeyStore(db);
        this.limiter = new RateLimiter(db);
        this.tasks = tasks;
        this.files = files;
        this.catalog = catalog;
        this.queued = queued;
        this.uploads = config.dataDir().resolve("uploads");
        this.fetcher = new ModelFetcher(config.modelUrls());
        this.submitters = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                Thread.ofPlatform().name("mf-submit-", 0).daemon().factory());
        this.bodyMemory = new BodyMemory(config.bodyMemoryBytes());
    }

    public void install(JavalinConfig cfg) {
        // A JSON body carries the model in base64: a third larger than the model, plus the other members.
        cfg.http.maxRequestSize = config.maxUploadBytes() / 3 * 4 + (1 << 20);
        var r = cfg.routes;
        // The time a request spends in this server, sent as Server-Timing (a load test tells it from the time the
        // client and the connection add).
        // Of it, the database reads: waiting for a read connection (db-wait) and their statements (db). Before it,
        // the time from Jetty's parse of the request's headers to this first handler (queue): the request's wait for
        // a thread to run it, which the client sees and the app's figure does not.
        r.before(ctx -> {
            ctx.attribute(STARTED, System.nanoTime());
            ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(ctx.req());
            if (jetty != null) {
                ctx.attribute(PARSED, jetty.getHeadersNanoTime());
            }
            Database.countReads();
        });
        r.after(ctx -> {
            Long t0 = ctx.attribute(STARTED);
            Long parsed = ctx.attribute(PARSED);
            long[] reads = Database.readTimes();
            if (t0 != null) {
                ctx.header("Server-Timing", "app;dur=" + millis(System.nanoTime() - t0) + ", db-wait;dur="
                        + millis(reads[0]) + ", db;dur=" + millis(reads[1])
                        + (parsed == null ? "" : ", queue;dur=" + millis(t0 - parsed)));
            }
            // A JSON answer is written here, on the request's thread, as the bytes it was serialized to: through
            // Javalin's result it became a string, its bytes, a stream, and was copied through a new 32 KB array.
            byte[] answer = ctx.attribute(ANSWER);
            if (answer != null) {
                ctx.outputStream().write(answer);
            }
        });
        r.get("/health", this::health);
        r.get("/v1/openapi.json", ctx -> ctx.contentType("application/json").result(OPENAPI));
        r.before("/v1/*", this::authenticate);
        r.post("/v1/tools/{tool}", this::createTask);
        r.get("/v1/generation-request/{id}/status", this::status);
        r.get("/v1/generation-request/{id}/assets/{name}", this::download);
        r.get("/v1/generation-request/{id}/events", this::events);
        r.get("/v1/wallet", this::wallet);
        r.post("/v1/webhooks", this::createWebhook);
        r.get("/v1/webhooks/{id}/deliveries", this::webhookDeliveries);
        r.post("/v1/admin/keys", this::adminCreateKey);
        r.delete("/v1/admin/keys/{prefix}", this::adminRevokeKey);
        r.post("/v1/admin/credits", this::adminGrant);
        r.exception(ApiProblem.class, (e, ctx) -> problem(ctx, e));
        r.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, fromJavalin(e, ctx)));
        r.exception(Exception.class, (e, ctx) -> {
            String id = Database.newId("err_");
            LOG.error("{} {} failed ({})", ctx.method(), ctx.path(), id, e);
            problem(ctx, new ApiProblem(500, "internal_error", "Internal server error", "the server failed to "
                    + "answer this request; the failure is logged as " + id));
        });
    }

    /** Stops counting reads, after adding this process's last ones to the database. */
    @Override
    public void close() {
        limiter.close();
        submitters.shutdown();
    }

    /** Runs a request's computing on a submit thread, the request's thread waiting for it. */
    private <T> T onSubmitThread(Callable<T> work) throws IOException {
        Future<T> done = submitters.submit(work);
        try {
            return done.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException cause -> throw cause;
                case IOException cause -> throw cause;
                case Error error -> throw error;
                default -> throw new IllegalStateException(e.getCause());
            }
        } catch (InterruptedException e) {
            done.cancel(true);
            Thread.currentThread().interrupt();
            throw new ApiProblem(503, "shutting_down", "Service unavailable", "the server is stopping; send the "
                    + "request again");
        }
    }

    private static byte[] openapi() {
        try (InputStream in = Api.class.getResourceAsStream("/dev/meshforge/server/openapi.json")) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the OpenAPI document is missing from the server's jar", e);
        }
    }

    private void health(Context ctx) {
        if (!db.ready()) {
            throw new ApiProblem(503, "not_ready", "Service unavailable", "the database does not answer");
        }
        json(ctx, 200, Map.of("status", "ok"));
    }

    private void authenticate(Context ctx) {
        if (ctx.path().equals("/v1/openapi.json")) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw unauthorized("missing_api_key", "this route needs an API key: send Authorization: Bearer <key>");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("invalid_api_key", "the Authorization header must be 'Bearer <key>'");
        }
        String presented = header.substring(7).trim();
        if (STATUS_ROUTE.matcher(ctx.path()).matches()) {
            // A status poll reads its key with its task, in one statement (see status).
            ctx.attribute(PRESENTED, presented);
            return;
        }
        accept(ctx, keys.authenticate(presented));
    }

    /** The request goes on under the key found, or is refused saying why. */
    private static void accept(Context ctx, KeyStore.Lookup found) {
        switch (found) {
            case KeyStore.Found f -> ctx.attribute(KEY, f.key());
            case KeyStore.Refusal refusal -> throw switch (refusal) {
                case UNKNOWN -> unauthorized("invalid_api_key", "the API key is not valid");
                case EXPIRED -> unauthorized("api_key_expired", "the API key has expired; create a new one");
                case REVOKED -> unauthorized("api_key_revoked", "the API key has been revoked");
            };
        }
    }

    private static ApiProblem unauthorized(String code, String detail) {
        return new ApiProblem(401, code, "Unauthorized", detail).header("WWW-Authenticate", "Bearer realm=\"meshforge\"");
    }

    private static KeyStore.ApiKey key(Context ctx) {
        return ctx.attribute(KEY);
    }

    /** Counts a read (status, download, wallet, webhooks) against the key's reads limit. */
    private void limit(Context ctx, KeyStore.ApiKey key, String bucket, int perMinute) {
        rateHeaders(ctx, limiter.read(key.id(), perMinute, Instant.now()), bucket);
    }

    /** Sets the RateLimit headers; a request over the limit is a 429 naming when to try again. */
    private static void rateHeaders(Context ctx, RateLimiter.Decision d, String bucket) {
        ctx.header("RateLimit-Limit", Integer.toString(d.limit()));
        ctx.header("RateLimit-Remaining", Integer.toString(d.remaining()));
        if (!d.allowed()) {
            throw new ApiProblem(429, "rate_limited", "Too many requests", "this key may make " + d.limit() + " "
                    + (bucket.equals(RateLimiter.TASKS) ? "task-creating requests" : "reads") + " a minute; try "
                    + "again in " + d.retryAfterSeconds() + " s")
                    .header("Retry-After", Long.toString(d.retryAfterSeconds()));
        }
    }

    private void createTask(Context ctx) throws IOException {
        String tool = ctx.pathParam("tool");
        if (!ToolCatalog.known(tool)) {
            throw new ApiProblem(404, "unknown_tool", "Not found", "there is no tool '" + tool + "'; the tools are "
                    + String.join(", ", ToolCatalog.TOOLS));
        }
        KeyStore.ApiKey key = key(ctx);
        // A key at its limit is refused before its upload is read; the request is counted when its task is made.
        rateHeaders(ctx, limiter.peek(key.id(), RateLimiter.TASKS, key.tasksPerMinute(), Instant.now()),
                RateLimiter.TASKS);
        String idempotencyKey = idempotencyKey(ctx);
        long length = ctx.req().getContentLengthLong();
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        boolean multipart = type.startsWith("multipart/form-data");
        long maxBody = multipart ? config.maxUploadBytes() + (1 << 20) : config.maxUploadBytes() / 3 * 4 + (1 << 20);
        if (length > maxBody) {
            throw Upload.tooLarge(config.maxUploadBytes());
        }
        if (!multipart && !type.startsWith("application/json")) {
            throw new ApiProblem(415, "unsupported_media_type", "Unsupported media type", "send the model as "
                    + "multipart/form-data or application/json, not '" + type + "'");
        }
        // The body is received whole as it arrives, on the request's thread (a slow sender holds no submit thread),
        // then parsed, checked and accepted in one go on a submit thread. It is held in memory where the body
        // memory has room for it (the model is copied out of it once, hence two arrays); otherwise, and where its
        // length is not declared, it goes into a file in the uploads folder and is parsed from there, so that many
        // large uploads at once take disk, not heap.
        BodyMemory.Loan loan = length >= 0 && length <= maxBody ? bodyMemory.borrow(length, multipart) : null;
        if (loan != null) {
            try (loan) {
                byte[] raw = loan.body();
                int n = readBody(ctx, raw, (int) length);
                if (multipart && n <= INLINE_BODY_BYTES) {
                    multipartTask(ctx, key, tool, type, Content.Source.from(ByteBuffer.wrap(raw, 0, n)), n,
                            loan.model(), maxBody, idempotencyKey);
                } else if (multipart) {
                    onSubmitThread(() -> multipartTask(ctx, key, tool, type, Content.Source.from(ByteBuffer.wrap(raw,
                            0, n)), n, loan.model(), maxBody, idempotencyKey));
                } else {
                    Fetch fetch = onSubmitThread(() -> jsonTask(ctx, key, tool, JsonBody.parse(raw, n), loan.model(),
                            idempotencyKey));
                    fetchTask(ctx, key, tool, fetch, idempotencyKey);
                }
            }
            return;
        }
        Path body;
        try {
            body = Upload.spool(ctx.bodyInputStream(), maxBody, uploads);
        } catch (ApiProblem p) {
            throw p.status() == 413 ? Upload.tooLarge(config.maxUploadBytes()) : p;
        } catch (IOException e) {
            throw ApiProblem.badRequest("unreadable_body", "the request body could not be read: " + e.getMessage());
        }
        try {
            if (multipart) {
                // Jetty's servlet parser, reading from the connection, dropped it on a body that is not multipart
                // instead of answering; parsed from the whole body, every such body gets its 400.
                onSubmitThread(() -> multipartTask(ctx, key, tool, type, Content.Source.from(body), 0, null, maxBody,
                        idempotencyKey));
            } else {
                Fetch fetch = onSubmitThread(() -> {
                    try (JsonBody parsed = JsonBody.parse(body, uploads)) {
                        return jsonTask(ctx, key, tool, parsed, null, idempotencyKey);
                    }
                });
                fetchTask(ctx, key, tool, fetch, idempotencyKey);
            }
        } finally {
            Files.deleteIfExists(body);
        }
    }

    /** A model_url's task: fetched on the request's thread (it waits on the network), then accepted. */
    private void fetchTask(Context ctx, KeyStore.ApiKey key, String tool, Fetch fetch, String idempotencyKey)
            throws IOException {
        if (fetch != null) {
            Upload fetched = fetcher.fetch(fetch.url(), fetch.fileName(), config.maxUploadBytes(), uploads);
            onSubmitThread(() -> submit(ctx, key, tool, fetch.options(), fetched, idempotencyKey));
        }
    }

    /**
     * A multipart body's task, on a submit thread: the body (received whole, in memory or in a file) parsed, its
     * options read, its model part handed to the store (copied into {@code model} where the parser kept it in memory,
     * as a JSON body's decoded model is, so that the store writes it once where it keeps it; else moved into place)
     * and the task accepted.
     *
     * @param inMemory the body's length where it is in memory (its parts are kept there too), 0 where it is in a file
     * @param model    room for the model part where the body is in memory (at least the body's length), or null
     */
    private Void multipartTask(Context ctx, KeyStore.ApiKey key, String tool, String contentType,
                               Content.Source body, long inMemory, byte[] model, long maxBody,
                               String idempotencyKey) throws IOException {
        String boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null || boundary.isEmpty()) {
            throw ApiProblem.badRequest("bad_multipart", "the multipart body could not be read: its Content-Type "
                    + "names no boundary");
        }
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
        parser.setFilesDirectory(uploads);
        parser.setMaxFileSize(config.maxUploadBytes());
        parser.setMaxLength(maxBody);
        parser.setMaxMemoryFileSize(Math.max(1 << 16, inMemory));
        parser.setMaxParts(MAX_PARTS);
        MultiPartFormData.Parts parts;
        try {
            parts = parser.parse(body).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiProblem(503, "shutting_down", "Service unavailable", "the server is stopping; send the "
                    + "request again");
        } catch (ExecutionException e) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                if (m.contains("max file size") || m.contains("max length") || m.contains("exceeded")) {
                    throw Upload.tooLarge(config.maxUploadBytes());
                }
            }
            throw ApiProblem.badRequest("bad_multipart", "the multipart body could not be read");
        }
        try (parts) {
            for (MultiPart.Part part : parts) {
                String field = part.getName();
                if (!"options".equals(field) && !"model".equals(field)) {
                    throw unknownField(String.valueOf(field), "model (the file), options (a JSON object)");
                }
            }
            MultiPart.Part optionsPart = parts.getFirst("options");
            ObjectNode options = catalog.parse(tool, optionsPart == null ? null
                    : parseJson(optionsPart.getContentAsString(StandardCharsets.UTF_8), "options"));
            MultiPart.Part file = parts.getFirst("model");
            if (file == null || file.getFileName() == null) {
                throw ApiProblem.badRequest("missing_model", "send the model as the multipart file 'model'")
                        .with("field", "model");
            }
            String name = Upload.sanitize(file.getFileName());
            long partLength = file.getLength();
            Upload upload;
            if (model != null && partLength >= 0 && partLength <= model.length) {
                int n;
                try (InputStream in = Content.Source.asInputStream(file.createContentSource())) {
                    n = in.readNBytes(model, 0, (int) partLength);
                }
                if (n != partLength) {
                    throw new IOException("the parser's model part held " + n + " of its " + partLength + " bytes");
                }
                upload = Upload.held(name, model, n, config.maxUploadBytes(), idempotencyKey != null);
            } else {
                upload = Upload.adopt(name, file::writeTo, config.maxUploadBytes(), uploads, idempotencyKey != null);
            }
            return submit(ctx, key, tool, options, upload, idempotencyKey);
        }
    }

    /**
     * A multipart body held in memory up to this size is parsed and its task accepted on the request's own thread.
     * Measured with 64 clients sending a 120 KB model (the load test, Duck.glb): the server's CPU a task beside the
     * op 1.84-1.90 ms with every body on a submit thread, 1.57-1.58 ms with this and the two changes beside it
     * (timer, ids), the status p99 3-6 ms either way.
     */
    static final int INLINE_BODY_BYTES = 256 << 10;

    /** A task's multipart body has two parts (model and options); a few more are refused as unknown fields. */
    private static final int MAX_PARTS = 16;

    /** A model_url to fetch on the request's thread, with what the body said beside it. */
    private record Fetch(String url, String fileName, ObjectNode options) {
    }

    /**
     * A JSON body's task, on a submit thread: the body parsed, its model decoded (into {@code model}, for a body held
     * in memory), stored and the task accepted; or, for a model_url, what to fetch (the fetch waits on the network,
     * so it runs on the request's thread).
     */
    private Fetch jsonTask(Context ctx, KeyStore.ApiKey key, String tool, JsonBody body, byte[] model,
                           String idempotencyKey) throws IOException {
        for (String field : body.fieldNames()) {
            if (!JSON_FIELDS.contains(field)) {
                throw unknownField(field, String.join(", ", JSON_FIELDS.stream().sorted().toList()));
            }
        }
        ObjectNode options = catalog.parse(tool, body.get("options"));
        JsonNode fileName = body.get("file_name");
        String name = fileName != null && fileName.isTextual() ? fileName.asText() : null;
        if (body.has("model_url")) {
            JsonNode url = body.get("model_url");
            if (url == null || !url.isTextual() || body.has(JsonBody.MODEL)) {
                throw ApiProblem.badRequest("invalid_model_url", "model_url must be a string, and comes instead "
                        + "of model_base64, not with it").with("field", "model_url");
            }
            return new Fetch(url.asText(), name, options);
        }
        if (!body.hasModelText()) {
            throw ApiProblem.badRequest("missing_model", "send the model as model_base64 (a string) with its "
                    + "file_name").with("field", JsonBody.MODEL);
        }
        String safeName = Upload.sanitize(name);
        Path decoded = body.modelFile();
        Upload upload = decoded != null
                ? Upload.adopt(safeName, target -> Files.move(decoded, target, StandardCopyOption.REPLACE_EXISTING),
                config.maxUploadBytes(), uploads, idempotencyKey != null)
                : Upload.held(safeName, model, body.decodeModel(model), config.maxUploadBytes(),
                idempotencyKey != null);
        submit(ctx, key, tool, options, upload, idempotencyKey);
        return null;
    }

    /**
     * The accept transaction (rate count, task, charge) and the answer, on a submit thread: SQLite's native calls
     * would hold the request's carrier thread while they run.
     */
    private Void submit(Context ctx, KeyStore.ApiKey key, String tool, ObjectNode options, Upload upload,
                        String idempotencyKey) throws IOException {
        // Compared only between requests that share an Idempotency-Key; without one, nothing is hashed.
        String requestHash = idempotencyKey == null ? "" : Secrets.sha256Hex(tool + "\n" + options + "\n"
                + upload.name() + "\n" + upload.sha256());
        long cost = catalog.cost(tool, options);
        String taskId = Database.newTimedId("task_");
        // The model is stored before the task exists, so that no worker can claim a task without its model.
        if (upload.file() != null) {
            files.putInput(taskId, upload.name(), upload.file());
        } else {
            files.putInput(taskId, upload.name(), upload.content(), (int) upload.bytes());
        }
        TaskStore.Task task;
        boolean replayed;
        try {
            Object[] outcome = db.transaction(c -> {
                if (idempotencyKey != null) {
                    TaskStore.Task earlier = TaskStore.findByIdempotencyKey(c, key.accountId(), idempotencyKey);
                    if (earlier != null) {
                        return new Object[]{earlier, true};
                    }
                }
                Instant now = Instant.now();
                // Counted here, in the task's own transaction: a refusal rolls the count back with the task.
                rateHeaders(ctx, RateLimiter.hit(c, key.id(), RateLimiter.TASKS, key.tasksPerMinute(), now),
                        RateLimiter.TASKS);
                TaskStore.Task made = TaskStore.insert(c, taskId, key.accountId(), key.id(), tool, options.toString(),
                        upload.name(), cost, idempotencyKey, requestHash, now);
                Ledger.charge(c, key.accountId(), taskId, cost, now);
                return new Object[]{made, false};
            });
            task = (TaskStore.Task) outcome[0];
            replayed = (Boolean) outcome[1];
        } catch (Ledger.InsufficientCredits e) {
            files.delete(taskId);
            throw new ApiProblem(402, "insufficient_credits", "Payment required", "this task costs " + e.needed
                    + " credits and the account has " + e.balance).with("balance", e.balance)
                    .with("cost", e.needed);
        } catch (RuntimeException e) {
            files.delete(taskId);
            throw e;
        }
        if (replayed) {
            files.delete(taskId);
            if (!task.requestHash().equals(requestHash)) {
                throw new ApiProblem(409, "idempotency_conflict", "Conflict", "the Idempotency-Key was used "
                        + "before with a different request; use a new key for a new request");
            }
            ctx.header("Idempotent-Replayed", "true");
        } else {
            queued.run();
        }
        ctx.header("Location", statusPath(task.id()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("task_id", task.id());
        body.put("tool", task.tool());
        body.put("status", task.status());
        body.put("cost", task.cost());
        body.put("status_url", base(ctx) + statusPath(task.id()));
        json(ctx, 202, body);
        return null;
    }

    private static String statusPath(String id) {
        return "/v1/generation-request/" + id + "/status/";
    }

    private TaskStore.View ownTask(Context ctx) {
        return own(ctx, key(ctx), tasks.view(ctx.pathParam("id")));
    }

    /** The task read for a request, answered as missing where it is not its key's account's, or gone. */
    private static TaskStore.View own(Context ctx, KeyStore.ApiKey key, TaskStore.View view) {
        // Someone else's task answers exactly as a task that does not exist: its id tells nothing.
        if (view == null || !view.task().accountId().equals(key.accountId())) {
            throw new ApiProblem(404, "task_not_found", "Not found", "there is no task " + ctx.pathParam("id"));
        }
        TaskStore.Task task = view.task();
        if (task.expiresAt() != null && !Instant.now().isBefore(task.expiresAt())) {
            throw new ApiProblem(410, "task_expired", "Gone", "the task finished at " + task.finishedAt()
                    + " and its results were kept until " + task.expiresAt()).with("expired_at",
                    task.expiresAt().toString());
        }
        return view;
    }

    private void status(Context ctx) {
        // The key and the task in one read: polls are most of the API's requests.
        String hash = KeyStore.hash(ctx.attribute(PRESENTED));
        TaskStore.Polled polled = hash == null ? null : tasks.poll(hash, ctx.pathParam("id"));
        accept(ctx, KeyStore.verdict(polled == null ? null : polled.key()));
        KeyStore.ApiKey key = key(ctx);
        limit(ctx, key, RateLimiter.READS, key.readsPerMinute());
        TaskStore.View view = own(ctx, key, polled.view());
        answer(ctx, 200, "application/json", StatusAnswer.bytes(view, base(ctx) + "/v1/generation-request/"
                + view.task().id() + "/assets/"));
    }

    /**
     * Server-Sent Events: a {@code status} event whenever the task's status, progress or stage changes (read from the
     * database, so it works whichever process runs the task), a comment every 15 s to keep proxies from closing an
     * idle stream, and the stream ends after the event that reports FINISHED or FAILED. One long read counts once
     * against the reads limit. Written by hand on the response rather than through Javalin's SSE client, so that
     * a refusal (404, 410, 429) is still a problem+json answer.
     */
    private void events(Context ctx) throws IOException, InterruptedException {
        KeyStore.ApiKey key = key(ctx);
        limit(ctx, key, RateLimiter.READS, key.readsPerMinute());
        TaskStore.Task task = ownTask(ctx).task();
        ctx.status(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setCharacterEncoding("UTF-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        try {
            stream(ctx.res().getOutputStream(), task);
        } catch (IOException e) {
            // The client went away: nothing to answer, and nothing went wrong on this side.
            LOG.debug("events of {}: client gone ({})", task.id(), e.toString());
        }
    }

    private void stream(java.io.OutputStream out, TaskStore.Task task) throws IOException, InterruptedException {
        String last = null;
        long lastWrite = System.nanoTime();
        int n = 0;
        Instant end = Instant.now().plus(Duration.ofHours(1));
        while (Instant.now().isBefore(end)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("task_id", task.id());
            m.put("status", task.status());
            m.put("progress", task.progress());
            m.put("stage", task.stage());
            m.put("failure_reason", task.failureReason());
            String data = Json.write(m);
            if (!data.equals(last)) {
                out.write(("id: " + ++n + "\nevent: status\ndata: " + data + "\n\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
                last = data;
                lastWrite = System.nanoTime();
            } else if (System.nanoTime() - lastWrite > 15_000_000_000L) {
                out.write(": keep-alive\n\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.flush();
                lastWrite = System.nanoTime();
            }
            if (task.done()) {
                return;
            }
            Thread.sleep(250);
            task = tasks.find(task.id());
        }
    }

    private void download(Context ctx) throws IOException {
        KeyStore.ApiKey key = key(ctx);
        limit(ctx, key, RateLimiter.READS, key.readsPerMinute());
        TaskStore.View view = ownTask(ctx);
        TaskStore.Task task = view.task();
        String name = ctx.pathParam("name");
        TaskStore.Result result = view.results().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new ApiProblem(404, "asset_not_found", "Not found", "task " + task.id()
                        + " has no result named '" + name + "'"));
        InputStream in;
        try {
            in = files.openResult(task.id(), result.name());
        } catch (NoSuchFileException e) {
            throw new ApiProblem(410, "task_expired", "Gone", "the results of task " + task.id()
                    + " have been deleted");
        }
        ctx.contentType(switch (result.assetType()) {
            case "glb" -> "model/gltf-binary";
            case "gltf" -> "model/gltf+json";
            case "stl" -> "model/stl";
            case "obj" -> "model/obj";
            case "zip", "obj_zip", "fbx_zip" -> "application/zip";
            case "3mf" -> "model/3mf";
            case "png", "thumbnail" -> "image/png";
            default -> "application/octet-stream";
        });
        ctx.header("Content-Disposition", "attachment; filename=\"" + result.name() + "\"");
        ctx.status(200).result(in);
    }

    private void wallet(Context ctx) {
        KeyStore.ApiKey key = key(ctx);
        limit(ctx, key, RateLimiter.READS, key.readsPerMinute());
        json(ctx, 200, db.read(c -> Ledger.wallet(c, key.accountId(), Instant.now())));
    }

    /** Registers a webhook endpoint for the account; its signing secret is shown in this answer only. */
    private void createWebhook(Context ctx) {
        KeyStore.ApiKey key = key(ctx);
        limit(ctx, key, RateLimiter.READS, key.readsPerMinute());
        JsonNode body = parseJson(new String(readBody(ctx, 1 << 16), java.nio.charset.StandardCharsets.UTF_8),
                "the body");
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("url")) {
                throw unknownField(f, "url");
            }
        }
        if (!body.path("url").isTextual()) {
            throw ApiProblem.badRequest("invalid_webhook_url", "url must be a string").with("field", "url");
        }
        idempotent(ctx, key, "webhooks", body, 201, c -> {
            WebhookSender.Endpoint e = webhooks.create(c, key.accountId(), body.get("url").asText());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("url", e.url());
            m.put("secret", e.secret());
            m.put("events", List.of("task.finished", "task.failed"));
            m.put("created_at", e.createdAt().toString());
            return m;
        });
    }

    /**
     * Runs a POST's work once per Idempotency-Key: the work and the record of its answer commit together, so a
     * repeat (same key, same body) gets the recorded answer and changes nothing, and a key reused with another
     * body is a 409. Without the header the work simply runs.
     */
    private void idempotent(Context ctx, KeyStore.ApiKey key, String route, JsonNode body, int status,
                            Database.Work<Map<String, Object>> work) {
        String idempotencyKey = idempotencyKey(ctx);
        if (idempotencyKey == null) {
            json(ctx, status, db.transaction(work));
            return;
        }
        String hash = Secrets.sha256Hex(route + "\n" + body);
        Object[] stored = db.transaction(c -> {
            Object[] prior = Database.one(c, rs -> new Object[]{rs.getString(1), rs.getInt(2), rs.getString(3), true},
                    "SELECT request_hash, status, body FROM idempotent_responses WHERE account_id = ? AND "
                            + "idempotency_key = ?", key.accountId(), idempotencyKey);
            if (prior != null) {
                return prior;
            }
            String answer = Json.write(work.run(c));
            Database.update(c, "INSERT INTO idempotent_responses (account_id, idempotency_key, request_hash, status, "
                            + "body, created_at) VALUES (?, ?, ?, ?, ?, ?)", key.accountId(), idempotencyKey, hash,
                    status, answer, Instant.now().toEpochMilli());
            return new Object[]{hash, status, answer, false};
        });
        if (!stored[0].equals(hash)) {
            throw new ApiProblem(409, "idempotency_conflict", "Conflict", "the Idempotency-Key was used before "
                    + "with a different request; use a new key for a new request");
        }
        if ((Boolean) stored[3]) {
            ctx.header("Idempotent-Replayed", "true");
        }
        ctx.status((Integer) stored[1]).contentType("application/json").result((String) stored[2]);
    }

    private static String idempotencyKey(Context ctx) {
        String k = ctx.header("Idempotency-Key");
        if (k != null && (k.isEmpty() || k.length() > 255 || !k.chars().allMatch(ch -> ch > 32 && ch < 127))) {
            throw ApiProblem.badRequest("invalid_idempotency_key", "Idempotency-Key must be 1 to 255 visible ASCII "
                    + "characters");
        }
        return k;
    }

    private void webhookDeliveries(Context ctx) {
        KeyStore.ApiKey key = key(ctx);
        limit(ctx, key, RateLimiter.READS, key.readsPerMinute());
        String id = ctx.pathParam("id");
        if (!webhooks.exists(key.accountId(), id)) {
            throw new ApiProblem(404, "webhook_not_found", "Not found", "there is no webhook endpoint " + id);
        }
        json(ctx, 200, Map.of("deliveries", webhooks.deliveries(key.accountId(), id)));
    }

    private static KeyStore.ApiKey admin(Context ctx) {
        KeyStore.ApiKey key = key(ctx);
        if (!key.admin()) {
            throw new ApiProblem(403, "admin_only", "Forbidden", "this route needs an admin key");
        }
        return key;
    }

    private void adminCreateKey(Context ctx) {
        admin(ctx);
        if (ctx.header("Idempotency-Key") != null) {
            // A replay would have to show the key again, and the key is never stored.
            throw ApiProblem.badRequest("idempotency_not_supported", "a new key is shown once and never stored, so "
                    + "this request cannot be replayed; send it without Idempotency-Key");
        }
        JsonNode body = parseJson(new String(readBody(ctx, 1 << 16), java.nio.charset.StandardCharsets.UTF_8),
                "the body");
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("name", "account", "expires_in_days").contains(f)) {
                throw unknownField(f, "account, expires_in_days, name");
            }
        }
        if (!body.path("name").isTextual() || body.path("name").asText().isBlank()) {
            throw ApiProblem.badRequest("invalid_field", "name must be a non-empty string").with("field", "name");
        }
        Instant expires = null;
        if (body.has("expires_in_days")) {
            if (!body.get("expires_in_days").isIntegralNumber() || body.get("expires_in_days").asLong() <= 0) {
                throw ApiProblem.badRequest("invalid_field", "expires_in_days must be a positive whole number")
                        .with("field", "expires_in_days");
            }
            expires = Instant.now().plus(Duration.ofDays(body.get("expires_in_days").asLong()));
        }
        String account = body.path("account").isTextual() ? body.get("account").asText() : null;
        KeyStore.CreatedKey created;
        try {
            created = keys.create(body.get("name").asText(), account, expires, false, KeyStore.Defaults.STANDARD);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(404, "account_not_found", "Not found", e.getMessage()).with("field", "account");
        }
        json(ctx, 201, keyJson(created));
    }

    public static Map<String, Object> keyJson(KeyStore.CreatedKey created) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", created.key());
        m.put("prefix", created.record().prefix());
        m.put("account", created.record().accountId());
        m.put("name", created.record().name());
        m.put("expires_at", created.record().expiresAt() == null ? null : created.record().expiresAt().toString());
        return m;
    }

    private void adminRevokeKey(Context ctx) {
        admin(ctx);
        KeyStore.ApiKey revoked = keys.revoke(ctx.pathParam("prefix"));
        if (revoked == null) {
            throw new ApiProblem(404, "key_not_found", "Not found", "there is no key " + ctx.pathParam("prefix"));
        }
        json(ctx, 200, Map.of("prefix", revoked.prefix(), "revoked_at", revoked.revokedAt().toString()));
    }

    private void adminGrant(Context ctx) {
        admin(ctx);
        JsonNode body = parseJson(new String(readBody(ctx, 1 << 16), java.nio.charset.StandardCharsets.UTF_8),
                "the body");
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("account", "amount").contains(f)) {
                throw unknownField(f, "account, amount");
            }
        }
        if (!body.path("amount").isIntegralNumber() || body.get("amount").asLong() <= 0) {
            throw ApiProblem.badRequest("invalid_field", "amount must be a positive whole number")
                    .with("field", "amount");
        }
        String account = body.path("account").asText("");
        try {
            idempotent(ctx, admin(ctx), "admin/credits", body, 201, c -> {
                Ledger.grant(c, account, body.get("amount").asLong(), Instant.now());
                return Ledger.wallet(c, account, Instant.now());
            });
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(404, "account_not_found", "Not found", e.getMessage()).with("field", "account");
        }
    }

    private static ApiProblem unknownField(String field, String known) {
        return ApiProblem.badRequest("unknown_field", "'" + field + "' is not a field of this request; its fields "
                + "are " + known).with("field", field);
    }

    private static JsonNode parseJson(String text, String what) {
        try {
            return Json.read(text);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("invalid_json", what + " is not valid JSON: " + e.getMessage());
        }
    }

    private static byte[] readBody(Context ctx, long limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared >= 0 && declared <= limit) {
            // One array of the declared size, filled in place (not grown chunk by chunk and copied).
            byte[] b = new byte[(int) declared];
            readBody(ctx, b, b.length);
            return b;
        }
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (b.length > limit) {
                throw new ApiProblem(413, "body_too_large", "Content too large", "the request body is larger "
                        + "than " + limit + " bytes");
            }
            return b;
        } catch (IOException e) {
            throw ApiProblem.badRequest("unreadable_body", "the request body could not be read: " + e.getMessage());
        }
    }

    /** Reads a body of its declared {@code length} into {@code into}; 400 where it ends before. */
    private static int readBody(Context ctx, byte[] into, int length) {
        try (InputStream in = ctx.bodyInputStream()) {
            int n = in.readNBytes(into, 0, length);
            if (n < length) {
                throw ApiProblem.badRequest("unreadable_body", "the request body ended after " + n + " of its "
                        + "declared " + length + " bytes");
            }
            return n;
        } catch (IOException e) {
            throw ApiProblem.badRequest("unreadable_body", "the request body could not be read: " + e.getMessage());
        }
    }

    /** Javalin's own refusals (no such route, body too large) in the one error shape. */
    private static ApiProblem fromJavalin(HttpResponseException e, Context ctx) {
        return switch (e.getStatus()) {
            case 404 -> new ApiProblem(404, "route_not_found", "Not found", ctx.method() + " " + ctx.path()
                    + " is not a route of this API");
            case 413 -> new ApiProblem(413, "file_too_large", "Content too large", "the request is larger than "
                    + "this server accepts");
            case 405 -> new ApiProblem(405, "method_not_allowed", "Method not allowed", e.getMessage());
            default -> new ApiProblem(e.getStatus(), "http_" + e.getStatus(), "HTTP " + e.getStatus(),
                    e.getMessage());
        };
    }

    private static String base(Context ctx) {
        return ctx.scheme() + "://" + ctx.host();
    }

    static void json(Context ctx, int status, Object body) {
        answer(ctx, status, "application/json", Json.bytes(body));
    }

    static void problem(Context ctx, ApiProblem p) {
        p.headers().forEach(ctx::header);
        answer(ctx, p.status(), "application/problem+json", Json.bytes(p.body(ctx.path())));
    }

    /**
     * Sets the answer, to be written by the after handler (on the request's thread, even where this runs on a submit
     * thread); a later answer (a refusal thrown after it) replaces it.
     */
    private static void answer(Context ctx, int status, String contentType, byte[] body) {
        ctx.status(status).contentType(contentType).attribute(ANSWER, body);
    }

    /** Nanoseconds as milliseconds with three decimals, as Server-Timing's {@code dur} (String.format costs more). */
    static String millis(long nanos) {
        long micros = Math.max(0, (nanos + 500) / 1000);
        long fraction = micros % 1000;
        return micros / 1000 + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}
