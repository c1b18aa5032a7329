// The server's records behind a connection pool, migrated by Flyway on open.
package dev.meshforge.server.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The database: an embedded SQLite file under the data directory, or (later) PostgreSQL. Statements are plain JDBC;
 * {@link #transaction} runs a unit of work that commits or rolls back as a whole.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** One unit of work on a connection in a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final HikariDataSource pool;
    /**
     * Where reads go: a pool of its own whose connections may only read, so that a status poll never queues for a
     * connection a writer holds; under SQLite ({@code query_only}) never behind the one writer either (WAL gives
     * every read a snapshot beside the writer), under PostgreSQL MVCC does the same.
     */
    private final HikariDataSource reads;
    /**
     * SQLite has one writer at a time; a process's own writers queue here, in order, instead of polling the file
     * lock in SQLite's busy handler (which sleeps up to 100 ms between tries). Null for PostgreSQL.
     */
    private final ReentrantLock writer;

    /**
     * SQLite: copies the write-ahead log into the database file in the background ({@link #checkpoint}), so that no
     * writer's commit does it while every other writer waits for the one writer. Null for PostgreSQL.
     */
    private final ScheduledExecutorService checkpointer;

    /**
     * How often the background checkpoint runs. Under the load test (some 300 tasks a second, each three write
     * transactions) a commit that passed SQLite's default threshold of 1,000 log pages checkpointed some eight times
     * a second, 4 MB and two file syncs each, while the writers behind it waited: submit p99 about 150 ms.
     */
    static final long CHECKPOINT_EVERY_MS = 1000;
    /**
     * The log's size in pages past which a commit checkpoints after all, as SQLite does by itself: only where the
     * background checkpoint cannot keep up (64 MB of 4 KB pages).
     */
    static final int WAL_AUTOCHECKPOINT_PAGES = 16384;

    private Database(HikariDataSource pool, HikariDataSource reads, boolean oneWriter) {
        this.pool = pool;
        this.reads = reads;
        this.writer = oneWriter ? new ReentrantLock(true) : null;
        if (oneWriter) {
            checkpointer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                    .name("meshforge-checkpoint").factory());
            checkpointer.scheduleWithFixedDelay(this::checkpointQuietly, CHECKPOINT_EVERY_MS, CHECKPOINT_EVERY_MS,
                    TimeUnit.MILLISECONDS);
        } else {
            checkpointer = null;
        }
    }

    /**
     * SQLite: copies the write-ahead log into the database file, in two steps. First, on a connection of its own and
     * outside the process's writer lock, as far as it goes ({@code PASSIVE}: waiting for no reader and no writer),
     * so that writers go on committing while most of the log is copied and the files are synced. Then, holding the
     * writer lock, the frames committed meanwhile ({@code FULL}: waiting for readers of an older snapshot, which
     * are short statements; the busy timeout bounds the wait): only a checkpoint that reaches the log's end lets the
     * next writer start the log again from its beginning. With the first step alone the checkpoint cannot reach the
     * end under a steady load (writers add frames while it copies), so the log only grows until a commit passes
     * {@link #WAL_AUTOCHECKPOINT_PAGES} (under the load test the server's CPU a task beside the ops was then 2.07-2.11
     * ms, against 1.93-1.96 with SQLite's own checkpoints in the runs beside them).
     *
     * @return the log's frames and how many of them are in the database file after the second step
     */
    int[] checkpoint() {
        checkpoint("PASSIVE");
        // The lock first, then a connection, as every writer takes them: a connection held while waiting for the
        // lock could be the one a writer holding it waits for.
        writer.lock();
        try {
            return checkpoint("FULL");
        } finally {
            writer.unlock();
        }
    }

    private int[] checkpoint(String mode) {
        try (Connection c = pool.getConnection(); var s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            return rs.next() ? new int[]{rs.getInt(2), rs.getInt(3)} : new int[]{0, 0};
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private void checkpointQuietly() {
        try {
            checkpoint();
        } catch (RuntimeException e) {
            // Busy or closing: the next run, or a commit past WAL_AUTOCHECKPOINT_PAGES, does it.
            LOG.debug("background checkpoint: {}", e.toString());
        }
    }

    /** Opens (creating where needed) {@code dataDir/meshforge.db} and brings its schema up to date. */
    public static Database openEmbedded(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
        }
        String file = "jdbc:sqlite:" + dataDir.resolve("meshforge.db").toAbsolutePath();
        HikariConfig config = new HikariConfig();
        // IMMEDIATE: a transaction takes the write lock when it begins, so two writers queue on busy_timeout
        // instead of one failing when it upgrades a read lock. WAL lets readers run beside the writer. Writers
        // queue on the lock below, so few connections serve them.
        config.setJdbcUrl(file + "?journal_mode=WAL&busy_timeout=30000&transaction_mode=IMMEDIATE"
                + "&foreign_keys=true&synchronous=NORMAL&wal_autocheckpoint=" + WAL_AUTOCHECKPOINT_PAGES);
        config.setMaximumPoolSize(4);
        config.setPoolName("meshforge-sqlite");
        HikariDataSource pool = new HikariDataSource(config);
        HikariDataSource reads = null;
        try {
            Flyway.configure().dataSource(pool)
                    .locations("classpath:db/common", "classpath:db/sqlite")
                    .load().migrate();
            HikariConfig readConfig = new HikariConfig();
            readConfig.setJdbcUrl(file + "?busy_timeout=30000&foreign_keys=true");
            readConfig.setConnectionInitSql("PRAGMA query_only = ON");
            readConfig.setMaximumPoolSize(16);
            readConfig.setPoolName("meshforge-sqlite-reads");
            reads = new HikariDataSource(readConfig);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool, reads, true);
    }

    /** The embedded file, or PostgreSQL where a JDBC URL is given; either way migrated to the current schema. */
    public static Database open(Path dataDir, String databaseUrl) {
        return databaseUrl == null || databaseUrl.isBlank() ? openEmbedded(dataDir) : openPostgres(databaseUrl);
    }

    /** PostgreSQL, shared by any number of API and worker processes. */
    public static Database openPostgres(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("the database URL must be a PostgreSQL JDBC URL "
                    + "(jdbc:postgresql://host:port/db?user=...&password=...)");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(10);
        config.setPoolName("meshforge-postgresql");
        HikariDataSource pool = new HikariDataSource(config);
        HikariDataSource reads = null;
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/common", "classpath:db/postgresql")
                    .load().migrate();
            // Reads (status polls, keys) take connections of their own, so that a poll never queues for one behind
            // the writers' transactions; few are kept open and more opened as polls need them.
            HikariConfig readConfig = new HikariConfig();
            readConfig.setJdbcUrl(jdbcUrl);
            readConfig.setMaximumPoolSize(8);
            readConfig.setMinimumIdle(2);
            readConfig.setReadOnly(true);
            readConfig.setPoolName("meshforge-postgresql-reads");
            reads = new HikariDataSource(readConfig);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool, reads, false);
    }

    /**
     * Runs {@code work} in one transaction. SQLite can refuse to begin one with SQLITE_BUSY even within its busy
     * timeout (under many writers at once); the work, rolled back, is then run again, up to
     * {@value #BUSY_ATTEMPTS} times with a growing pause, so that a busy moment is a slower answer, not a 500. Work
     * must therefore touch nothing but the connection.
     */
    public <T> T transaction(Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(work);
            } catch (StoreException e) {
                if (!busy(e) || attempt >= BUSY_ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(Math.min(1000, 10L << attempt) + Secrets.RANDOM.nextInt(10));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static final int BUSY_ATTEMPTS = 8;

    private <T> T once(Work<T> work) {
        if (writer == null) {
            return run(work);
        }
        writer.lock();
        try {
            return run(work);
        } finally {
            writer.unlock();
        }
    }

    private <T> T run(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    // A transaction that never began (BEGIN itself was refused): the first failure is the one to
                    // tell, not this one.
                    e.addSuppressed(r);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static boolean busy(StoreException e) {
        return e.getCause() instanceof SQLException s && ((s.getErrorCode() & 0xff) == 5
                || String.valueOf(s.getMessage()).contains("SQLITE_BUSY"));
    }

    /**
     * Reads outside any transaction (one statement is atomic by itself), on a connection that cannot write; under
     * SQLite it never waits for the writer.
     */
    public <T> T read(Work<T> work) {
        long t0 = System.nanoTime();
        long[] spent = READ_TIMES.get();
        try (Connection c = reads.getConnection()) {
            long t1 = System.nanoTime();
            try {
                return work.run(c);
            } finally {
                if (spent != null) {
                    spent[0] += t1 - t0;
                    spent[1] += System.nanoTime() - t1;
                }
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * Where a request's reads spent their time, for its Server-Timing header: [0] waiting for a read connection, [1]
     * the statements (round trips included). Counted only on a thread that {@link #countReads() asked}.
     */
    private static final ThreadLocal<long[]> READ_TIMES = new ThreadLocal<>();

    /** From now on this thread's reads add up their time (a request's thread, at its start). */
    public static void countReads() {
        READ_TIMES.set(new long[2]);
    }

    /** This thread's read times since {@link #countReads()} in nanoseconds (pool wait, statements), and stops. */
    public static long[] readTimes() {
        long[] t = READ_TIMES.get();
        READ_TIMES.remove();
        return t == null ? new long[2] : t;
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        bind(ps, args);
        return ps;
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    /**
     * SQLite parses a statement's text again on every {@code prepareStatement} (measured under the load test: more
     * than half of a status poll's time in the database was that parse), and neither its driver nor the pool keeps
     * parsed statements. So an SQLite connection keeps its own: at most {@value #STATEMENTS_A_CONNECTION} a
     * connection, the least recently used closed first. They are prepared on the pool's underlying connection, so
     * the pool does not close them when a borrower gives the connection back; they go with that connection (a
     * closed connection closes its statements, and its entry here is dropped when the next new connection asks). A
     * connection is used by one thread at a time, which the pool's hand-over orders, so its own map needs no lock.
     * PostgreSQL's driver keeps prepared statements itself.
     */
    private static final Map<SQLiteConnection, Map<String, PreparedStatement>> PARSED = new IdentityHashMap<>();
    static final int STATEMENTS_A_CONNECTION = 64;

    /** A parsed statement of this connection for {@code sql}, bound to {@code args}; null where none is kept. */
    private static PreparedStatement parsed(Connection c, String sql, Object... args) throws SQLException {
        if (!c.isWrapperFor(SQLiteConnection.class)) {
            return null;
        }
        SQLiteConnection own = c.unwrap(SQLiteConnection.class);
        Map<String, PreparedStatement> kept;
        synchronized (PARSED) {
            kept = PARSED.get(own);
            if (kept == null) {
                // A new connection, perhaps one the pool opened in place of one it retired: the closed ones go.
                PARSED.keySet().removeIf(Database::closed);
                kept = new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                        if (size() <= STATEMENTS_A_CONNECTION) {
                            return false;
                        }
                        closeQuietly(eldest.getValue());
                        return true;
                    }
                };
                PARSED.put(own, kept);
            }
        }
        PreparedStatement ps = kept.get(sql);
        if (ps == null || ps.isClosed()) {
            ps = own.prepareStatement(sql);
            kept.put(sql, ps);
        }
        try {
            bind(ps, args);
        } catch (SQLException | RuntimeException e) {
            forget(c, sql);
            throw e;
        }
        return ps;
    }

    private static boolean closed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** A kept statement that failed is not used again: it is closed and prepared afresh the next time. */
    private static void forget(Connection c, String sql) {
        try {
            Map<String, PreparedStatement> kept;
            synchronized (PARSED) {
                kept = PARSED.get(c.unwrap(SQLiteConnection.class));
            }
            if (kept != null) {
                closeQuietly(kept.remove(sql));
            }
        } catch (SQLException ignored) {
            // not an SQLite connection: nothing kept
        }
    }

    private static void closeQuietly(PreparedStatement ps) {
        try {
            if (ps != null) {
                ps.close();
            }
        } catch (SQLException ignored) {
            // closing a statement of a connection that is gone
        }
    }

    public static int update(Connection c, String sql, Object... args) throws SQLException {
        return execute(c, sql, args, PreparedStatement::executeUpdate);
    }

    public static <T> List<T> query(Connection c, Row<T> row, String sql, Object... args) throws SQLException {
        return execute(c, sql, args, ps -> rows(ps, row));
    }

    /** One use of a statement bound to {@code args}. */
    @FunctionalInterface
    private interface Use<T> {
        T apply(PreparedStatement ps) throws SQLException;
    }

    /** Runs {@code use} on the connection's kept statement for {@code sql}, or on one prepared and closed here. */
    private static <T> T execute(Connection c, String sql, Object[] args, Use<T> use) throws SQLException {
        PreparedStatement kept = parsed(c, sql, args);
        if (kept == null) {
            try (PreparedStatement ps = prepare(c, sql, args)) {
                return use.apply(ps);
            }
        }
        try {
            return use.apply(kept);
        } catch (SQLException | RuntimeException e) {
            forget(c, sql);
            throw e;
        }
    }

    /** Runs a query; closing its result set resets the statement (SQLite ends the statement's read there). */
    private static <T> List<T> rows(PreparedStatement ps, Row<T> row) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        }
    }

    public static <T> T one(Connection c, Row<T> row, String sql, Object... args) throws SQLException {
        List<T> all = query(c, row, sql, args);
        return all.isEmpty() ? null : all.get(0);
    }

    /**
     * Whether {@code c} is an SQLite connection, whose write transactions run one at a time (they begin IMMEDIATE),
     * so that a transaction on it needs no row lock to keep others out.
     */
    public static boolean serialWrites(Connection c) throws SQLException {
        return c.isWrapperFor(SQLiteConnection.class);
    }

    /** Whether this is PostgreSQL (many writers at once, row locks) rather than SQLite (one writer). */
    public boolean postgres() {
        return writer == null;
    }

    /** Whether the database answers (the health check). */
    public boolean ready() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (checkpointer != null) {
            checkpointer.shutdownNow();
            try {
                checkpointer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (reads != pool) {
            reads.close();
        }
        pool.close();
    }

    /** A database failure: an internal error, never the client's fault. */
    public static final class StoreException extends RuntimeException {
        StoreException(SQLException e) {
            super(e.getMessage(), e);
        }
    }

    /** A new random id: 128 bits as 26 lower-case base-32 characters after the given prefix. */
    public static String newId(String prefix) {
        return prefix + Secrets.base32(Secrets.random(16));
    }

    /**
     * A new id for rows made at a high rate (tasks, ledger rows): as {@link #newId} in form, its first 48 bits the
     * time in milliseconds and 80 random bits after. Ids made within a few seconds share their first characters, so
     * the primary-key index takes them in the same few pages (under SQLite, a fully random id dirtied a page of the
     * index picked at random each insert, written to the log at each commit); the random bits keep it unguessable.
     */
    public static String newTimedId(String prefix) {
        byte[] b = Secrets.random(16);
        long ms = System.currentTimeMillis();
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (ms >>> (40 - 8 * i));
        }
        return prefix + Secrets.base32(b);
    }
}
