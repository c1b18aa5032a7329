// Tasks as records and as a queue: workers claim them under a lease that a dead worker's task outlives.
package dev.meshforge.server.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A task goes PENDING -> IN_PROGRESS -> FINISHED or FAILED. A worker that claims one holds a lease
 * ({@code lease_owner}, {@code lease_until}) and extends it as it reports progress; every write a worker makes is
 * conditional on still holding the lease, so a worker that lost it (paused, killed, partitioned) changes nothing.
 * A task whose lease ran out is claimed again, up to {@link #MAX_ATTEMPTS} times; then it fails and is refunded.
 */
public final class TaskStore {
    public static final int MAX_ATTEMPTS = 3;

    public record Task(String id, String accountId, String keyId, String tool, String options, String inputName,
                       long cost, String status, int progress, String stage, String failureReason, String report,
                       String idempotencyKey, String requestHash, int attempts, String leaseOwner,
                       Instant leaseUntil, Instant createdAt, Instant startedAt, Instant finishedAt, Instant expiresAt,
                       Instant purgedAt) {
        public boolean done() {
            return status.equals("FINISHED") || status.equals("FAILED");
        }
    }

    public record Result(String name, String assetType, long bytes) {
    }

    /** A task with its result files (none until it finished). */
    public record View(Task task, List<Result> results) {
    }

    private final Database db;
    private final Duration keep;

    /** @param keep how long a finished or failed task's status and files stay */
    public TaskStore(Database db, Duration keep) {
        this.db = db;
        this.keep = keep;
    }

    public Database db() {
        return db;
    }

    /**
     * Adds a PENDING task and returns it as the row now reads (the columns' defaults, the time to the millisecond),
     * so that the accept transaction need not read back what it has just written.
     */
    public static Task insert(Connection c, String id, String accountId, String keyId, String tool, String options,
                              String inputName, long cost, String idempotencyKey, String requestHash, Instant now)
            throws SQLException {
        long created = now.toEpochMilli();
        Database.update(c, "INSERT INTO tasks (id, account_id, key_id, tool, options, input_name, cost, status, "
                        + "idempotency_key, request_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?)",
                id, accountId, keyId, tool, options, inputName, cost, idempotencyKey, requestHash, created);
        return new Task(id, accountId, keyId, tool, options, inputName, cost, "PENDING", 0, null, null, null,
                idempotencyKey, requestHash, 0, null, null, Instant.ofEpochMilli(created), null, null, null, null);
    }

    public Task find(String id) {
        return db.read(c -> find(c, id));
    }

    public static Task find(Connection c, String id) throws SQLException {
        return Database.one(c, TaskStore::row, SELECT + " WHERE id = ?", id);
    }

    public static Task findByIdempotencyKey(Connection c, String accountId, String key) throws SQLException {
        return Database.one(c, TaskStore::row, SELECT + " WHERE account_id = ? AND idempotency_key = ?", accountId,
                key);
    }

    /**
     * The task and its results in one indexed query (a status poll's only read besides its key), or null. The
     * results are written in the transaction that finishes the task, so a FINISHED row always comes with them.
     */
    public View view(String id) {
        return db.read(c -> {
            List<Object[]> rows = Database.query(c, rs -> new Object[]{row(rs), result(rs, 22)},
                    "SELECT " + T_COLUMNS + ", r.name, r.asset_type, r.bytes FROM tasks t LEFT JOIN task_results r "
                            + "ON r.task_id = t.id WHERE t.id = ? ORDER BY r.name", id);
            return rows.isEmpty() ? null : view(rows, 0);
        });
    }

    /**
     * Takes the oldest task that is waiting, or whose worker's lease ran out, unless its key already has its
     * allowed number of tasks running. Tasks out of attempts are failed and refunded on the way.
     */
    public Task claim(String owner, Duration lease, Instant now) {
        long t = now.toEpochMilli();
        // An idle worker looks with a read first: under SQLite a claim is a write, and an empty queue should not
        // take the one writer's turn from the requests.
        if (db.read(c -> Database.one(c, rs -> rs.getInt(1), "SELECT 1 FROM tasks WHERE status = 'PENDING' OR "
                + "(status = 'IN_PROGRESS' AND lease_until < ?) LIMIT 1", t)) == null) {
            return null;
        }
        return db.transaction(c -> claimIn(c, owner, lease, now));
    }

    /** A key's tasks running under a lease that has not run out are fewer than the key may run at once. */
    private static final String UNDER_LIMIT = "(SELECT COUNT(*) FROM tasks r WHERE r.key_id = t.key_id AND "
            + "r.status = 'IN_PROGRESS' AND r.lease_until >= ?) < k.max_concurrent_tasks";

    /**
     * The oldest waiting task whose key may run one more: read in the queue index's order, so the read stops at the
     * first that qualifies, however many wait (SQLite sorts only the ties in {@code created_at}).
     */
    static final String CLAIMABLE_PENDING = oldestClaimable("t.status = 'PENDING'");

    /** The oldest task whose worker's lease ran out and whose key may run one more. */
    static final String CLAIMABLE_LAPSED = oldestClaimable("t.status = 'IN_PROGRESS' AND t.lease_until < ?");

    /** The oldest task of those {@code kind} selects whose key may run one more: its id and creation time. */
    private static String oldestClaimable(String kind) {
        return "SELECT t.id, t.created_at FROM tasks t JOIN api_keys k ON k.id = t.key_id WHERE " + kind + " AND "
                + UNDER_LIMIT + " ORDER BY t.created_at, t.id LIMIT 1";
    }

    /** A task a worker may take, in the claim's order: by creation, then id. */
    private record Claimable(String id, long createdAt) {
        static Claimable of(ResultSet rs) throws SQLException {
            return new Claimable(rs.getString(1), rs.getLong(2));
        }

        boolean before(Claimable o) {
            return createdAt != o.createdAt ? createdAt < o.createdAt : id.compareTo(o.id) < 0;
        }
    }

    private Task claimIn(Connection c, String owner, Duration lease, Instant now) throws SQLException {
        long t = now.toEpochMilli();
        for (Task dead : Database.query(c, TaskStore::row, SELECT + " WHERE status = 'IN_PROGRESS' AND "
                + "lease_until < ? AND attempts >= ?", t, MAX_ATTEMPTS)) {
            failIn(c, dead.id(), dead.leaseOwner(), "the task stopped " + MAX_ATTEMPTS + " times without "
                    + "finishing (its worker died or ran out of memory); it was not charged", now);
        }
        // Under PostgreSQL a row another worker is taking is skipped, not waited for; SQLite's one writer makes
        // the claim serial already.
        String lock = db.postgres() ? " FOR UPDATE OF t SKIP LOCKED" : "";
        for (int attempt = 0; attempt < 3; attempt++) {
            // The oldest of the two kinds' oldest: the same task as one query over both, which read every waiting
            // task and sorted them all (its OR kept the queue index from giving the order).
            Claimable lapsed = Database.one(c, Claimable::of, CLAIMABLE_LAPSED + lock, t, t);
            Claimable pending = Database.one(c, Claimable::of, CLAIMABLE_PENDING + lock, t);
            Claimable first = lapsed == null || (pending != null && pending.before(lapsed)) ? pending : lapsed;
            if (first == null) {
                return null;
            }
            String id = first.id();
            // The condition again: should another worker have taken the row since the SELECT, this UPDATE finds
            // nothing to change and the worker looks again.
            int taken = Database.update(c, "UPDATE tasks SET status = 'IN_PROGRESS', lease_owner = ?, lease_until = ?, "
                            + "attempts = attempts + 1, started_at = COALESCE(started_at, ?) WHERE id = ? AND "
                            + "(status = 'PENDING' OR (status = 'IN_PROGRESS' AND lease_until < ?))",
                    owner, now.plus(lease).toEpochMilli(), t, id, t);
            if (taken == 1) {
                return find(c, id);
            }
        }
        return null;
    }

    /** Puts back a task this worker claimed and never started, as it was before the claim. */
    public void release(String id, String owner) {
        db.transaction(c -> Database.update(c, "UPDATE tasks SET status = 'PENDING', lease_owner = NULL, "
                + "started_at = NULL, lease_until = NULL, attempts = attempts - 1 WHERE id = ? AND lease_owner = ? AND "
                + "status = 'IN_PROGRESS' AND attempts = 1", id, owner));
    }

    /** Stores progress and extends the lease; false when the lease is no longer this worker's. */
    public boolean progress(String id, String owner, int percent, String stage, Instant leaseUntil) {
        return db.transaction(c -> Database.update(c, "UPDATE tasks SET progress = ?, stage = ?, lease_until = ? "
                        + "WHERE id = ? AND lease_owner = ? AND status = 'IN_PROGRESS'", percent, stage,
                leaseUntil.toEpochMilli(), id, owner)) == 1;
    }

    /**
     * What {@link #finish} did: whether the outcome was stored (false: the lease was lost, nothing written), and the
     * task claimed next in the same transaction, or null.
     */
    public record Finished(boolean stored, Task next) {
    }

    /**
     * Records success and the result files and, where {@code nextLease} is given, claims the worker's next task in
     * the same transaction: one write transaction where there were two, and under SQLite one turn of the writer.
     */
    public Finished finish(String id, String owner, String report, List<Result> results, Instant now,
                           Duration nextLease) {
        return db.transaction(c -> {
            int n = Database.update(c, "UPDATE tasks SET status = 'FINISHED', progress = 100, stage = NULL, "
                            + "report = ?, finished_at = ?, expires_at = ?, lease_until = NULL WHERE id = ? AND "
                            + "lease_owner = ? AND status = 'IN_PROGRESS'", report, now.toEpochMilli(),
                    now.plus(keep).toEpochMilli(), id, owner);
            if (n == 1) {
                for (Result r : results) {
                    Database.update(c, "INSERT INTO task_results (task_id, name, asset_type, bytes) VALUES "
                            + "(?, ?, ?, ?)", id, r.name(), r.assetType(), r.bytes());
                }
                announce(c, find(c, id), now);
            }
            return new Finished(n == 1, nextLease == null ? null : claimIn(c, owner, nextLease, now));
        });
    }

    /** Records failure and refunds the charge in the same transaction; false when the lease was lost. */
    public boolean fail(String id, String owner, String reason, Instant now) {
        return db.transaction(c -> failIn(c, id, owner, reason, now));
    }

    private boolean failIn(Connection c, String id, String owner, String reason, Instant now) throws SQLException {
        int n = Database.update(c, "UPDATE tasks SET status = 'FAILED', stage = NULL, failure_reason = ?, "
                        + "finished_at = ?, expires_at = ?, lease_until = NULL WHERE id = ? AND lease_owner = ? AND "
                        + "status = 'IN_PROGRESS'", reason, now.toEpochMilli(),
                now.plus(keep).toEpochMilli(), id, owner);
        if (n == 0) {
            return false;
        }
        Task t = find(c, id);
        Ledger.refund(c, t.accountId(), id, now);
        announce(c, t, now);
        return true;
    }

    /** Queues the task.finished or task.failed webhook message in the transaction that ends the task. */
    private static void announce(Connection c, Task t, Instant now) throws SQLException {
        java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("task_id", t.id());
        data.put("tool", t.tool());
        data.put("status", t.status());
        data.put("failure_reason", t.failureReason());
        data.put("expires_at", t.expiresAt() == null ? null : t.expiresAt().toString());
        WebhookSender.enqueue(c, t.accountId(), t.id(), t.status().equals("FINISHED") ? "task.finished"
                : "task.failed", data, now);
    }

    /** Finished tasks whose results are past their time and not yet deleted. */
    public List<Task> expired(Instant now) {
        return db.read(c -> Database.query(c, TaskStore::row, EXPIRED, now.toEpochMilli()));
    }

    public void markPurged(String id, Instant now) {
        db.transaction(c -> Database.update(c, "UPDATE tasks SET purged_at = ? WHERE id = ?", now.toEpochMilli(), id));
    }

    private static final String COLUMNS = "id, account_id, key_id, tool, options, input_name, cost, status, "
            + "progress, stage, failure_reason, report, idempotency_key, request_hash, attempts, lease_owner, "
            + "lease_until, created_at, started_at, finished_at, expires_at, purged_at";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM tasks";
    /** The sweep's read, from the index {@code tasks_expiry} (V8), which holds the tasks not yet purged. */
    static final String EXPIRED = "SELECT " + COLUMNS + " FROM tasks WHERE expires_at <= ? AND purged_at IS NULL "
            + "ORDER BY expires_at LIMIT 100";
    /** The same columns of {@code tasks t}, for a join. */
    private static final String T_COLUMNS = "t." + COLUMNS.replace(", ", ", t.");

    private static Task row(ResultSet rs) throws SQLException {
        return row(rs, 0);
    }

    /** A task's columns from column {@code at + 1} on. */
    private static Task row(ResultSet rs, int at) throws SQLException {
        return new Task(rs.getString(at + 1), rs.getString(at + 2), rs.getString(at + 3), rs.getString(at + 4),
                rs.getString(at + 5), rs.getString(at + 6), rs.getLong(at + 7), rs.getString(at + 8),
                rs.getInt(at + 9), rs.getString(at + 10), rs.getString(at + 11), rs.getString(at + 12),
                rs.getString(at + 13), rs.getString(at + 14), rs.getInt(at + 15), rs.getString(at + 16),
                KeyStore.instant(rs, at + 17), KeyStore.instant(rs, at + 18), KeyStore.instant(rs, at + 19),
                KeyStore.instant(rs, at + 20), KeyStore.instant(rs, at + 21), KeyStore.instant(rs, at + 22));
    }

    /** A key found by its hash and, where it exists, a task with its results: a status poll's one read. */
    public record Polled(KeyStore.ApiKey key, View view) {
    }

    /**
     * The key stored under {@code keyHash} and the task {@code id} with its results, in one statement (a status poll
     * makes one round trip to the database, not one for the key and one for the task); null when no key has the
     * hash; {@link Polled#view()} null when no task has the id.
     */
    public Polled poll(String keyHash, String id) {
        return db.read(c -> {
            List<Object[]> rows = Database.query(c, rs -> new Object[]{KeyStore.row(rs, 0),
                            rs.getString(12) == null ? null : row(rs, 11), result(rs, 33)},
                    "SELECT " + KeyStore.K_COLUMNS + ", " + T_COLUMNS + ", r.name, r.asset_type, r.bytes FROM "
                            + "api_keys k LEFT JOIN tasks t ON t.id = ? LEFT JOIN task_results r ON r.task_id = t.id "
                            + "WHERE k.hash = ? ORDER BY r.name", id, keyHash);
            if (rows.isEmpty()) {
                return null;
            }
            Object[] first = rows.get(0);
            return new Polled((KeyStore.ApiKey) first[0], first[1] == null ? null : view(rows, 1));
        });
    }

    /** A result file's columns from column {@code at + 1} on; null where the join found none. */
    private static Result result(ResultSet rs, int at) throws SQLException {
        return rs.getString(at + 1) == null ? null
                : new Result(rs.getString(at + 1), rs.getString(at + 2), rs.getLong(at + 3));
    }

    /** A task and its results from rows holding the task at {@code at} and a result (or null) after it. */
    private static View view(List<Object[]> rows, int at) {
        List<Result> results = new java.util.ArrayList<>();
        for (Object[] r : rows) {
            if (r[at + 1] != null) {
                results.add((Result) r[at + 1]);
            }
        }
        return new View((Task) rows.get(0)[at], List.copyOf(results));
    }
}
