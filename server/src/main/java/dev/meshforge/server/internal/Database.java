// The server's records behind a connection pool, migrated by Flyway on open.
package dev.meshforge.server.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The database: an embedded SQLite file under the data directory, or (later) PostgreSQL. Statements are plain JDBC;
 * {@link #transaction} runs a unit of work that commits or rolls back as a whole.
 */
public final class Database implements AutoCloseable {
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

    private Database(HikariDataSource pool) {
        this.pool = pool;
    }

    /** Opens (creating where needed) {@code dataDir/meshforge.db} and brings its schema up to date. */
    public static Database openEmbedded(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
        }
        HikariConfig config = new HikariConfig();
        // IMMEDIATE: a transaction takes the write lock when it begins, so two writers queue on busy_timeout
        // instead of one failing when it upgrades a read lock. WAL lets readers run beside the writer.
        config.setJdbcUrl("jdbc:sqlite:" + dataDir.resolve("meshforge.db").toAbsolutePath()
                + "?journal_mode=WAL&busy_timeout=30000&transaction_mode=IMMEDIATE&foreign_keys=true"
                + "&synchronous=NORMAL");
        config.setMaximumPoolSize(8);
        config.setPoolName("meshforge-sqlite");
        HikariDataSource pool = new HikariDataSource(config);
        Flyway.configure().dataSource(pool)
                .locations("classpath:db/common", "classpath:db/sqlite")
                .load().migrate();
        return new Database(pool);
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
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/common", "classpath:db/postgresql")
                    .load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool);
    }

    public <T> T transaction(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** A statement outside any transaction (one statement is atomic by itself). */
    public <T> T read(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    public static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    public static <T> List<T> query(Connection c, Row<T> row, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
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
        byte[] b = new byte[16];
        Secrets.RANDOM.nextBytes(b);
        return prefix + Secrets.base32(b);
    }
}
