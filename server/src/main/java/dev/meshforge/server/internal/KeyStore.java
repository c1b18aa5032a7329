// API keys: made random, shown once, kept only as a hash, named, expiring and revocable.
package dev.meshforge.server.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * A key is {@code mf_} followed by 32 base-32 characters (160 random bits). Its first 11 characters are its prefix,
 * which names it in lists and logs; the database holds the SHA-256 of the whole key and nothing from which the key
 * could be rebuilt. A plain hash suffices: the key is random, not a password, so there is nothing to guess.
 * Every request looks the key up afresh, so that a revocation takes effect on the next request.
 */
public final class KeyStore {
    public static final String KEY_START = "mf_";
    static final int PREFIX_LENGTH = 11;

    /** A key as stored (never its secret). */
    public record ApiKey(String id, String accountId, String name, String prefix, boolean admin, int tasksPerMinute,
                         int readsPerMinute, int maxConcurrentTasks, Instant createdAt, Instant expiresAt,
                         Instant revokedAt) {
    }

    /** A key just made: the only time its secret exists outside the client. */
    public record CreatedKey(String key, ApiKey record) {
    }

    /** Why a presented key is refused, or the key. */
    public sealed interface Lookup {
    }

    public record Found(ApiKey key) implements Lookup {
    }

    public enum Refusal implements Lookup { UNKNOWN, EXPIRED, REVOKED }

    /** Limits given to new keys. */
    public record Defaults(int tasksPerMinute, int readsPerMinute, int maxConcurrentTasks) {
        public static final Defaults STANDARD = new Defaults(3, 600, 2);
    }

    private final Database db;

    public KeyStore(Database db) {
        this.db = db;
    }

    /**
     * Makes a key for {@code accountId}, or for a new account when it is null.
     *
     * @param expiresAt null for a key that never expires
     */
    public CreatedKey create(String name, String accountId, Instant expiresAt, boolean admin, Defaults limits) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a key needs a name");
        }
        String secret = KEY_START + Secrets.base32(Secrets.random(20));
        Instant now = Instant.now();
        return db.transaction(c -> {
            String account = accountId;
            if (account == null) {
                account = Database.newId("acct_");
                Database.update(c, "INSERT INTO accounts (id, created_at) VALUES (?, ?)", account, now.toEpochMilli());
            } else if (Database.one(c, rs -> rs.getString(1), "SELECT id FROM accounts WHERE id = ?", account)
                    == null) {
                throw new IllegalArgumentException("there is no account " + account);
            }
            String id = Database.newId("key_");
            Database.update(c, "INSERT INTO api_keys (id, account_id, name, prefix, hash, admin, tasks_per_minute, "
                            + "reads_per_minute, max_concurrent_tasks, created_at, expires_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    id, account, name, secret.substring(0, PREFIX_LENGTH), Secrets.sha256Hex(secret), admin ? 1 : 0,
                    limits.tasksPerMinute(), limits.readsPerMinute(), limits.maxConcurrentTasks(),
                    now.toEpochMilli(), expiresAt == null ? null : expiresAt.toEpochMilli());
            return new CreatedKey(secret, byId(c, id));
        });
    }

    /** The key a request presents, or why it is refused. */
    public Lookup authenticate(String presented) {
        String hash = hash(presented);
        if (hash == null) {
            return Refusal.UNKNOWN;
        }
        return verdict(db.read(c -> Database.one(c, KeyStore::row, SELECT + " WHERE hash = ?", hash)));
    }

    /** The stored hash of a presented key; null for a text that cannot be a key. */
    static String hash(String presented) {
        if (presented == null || !presented.startsWith(KEY_START) || presented.length() > 100) {
            return null;
        }
        return Secrets.sha256Hex(presented);
    }

    /** The key found under a presented key's hash (null: none), or why it is refused. */
    static Lookup verdict(ApiKey key) {
        if (key == null) {
            return Refusal.UNKNOWN;
        }
        if (key.revokedAt() != null) {
            return Refusal.REVOKED;
        }
        if (key.expiresAt() != null && !Instant.now().isBefore(key.expiresAt())) {
            return Refusal.EXPIRED;
        }
        return new Found(key);
    }

    public List<ApiKey> list(String accountId) {
        return db.read(c -> accountId == null
                ? Database.query(c, KeyStore::row, SELECT + " ORDER BY created_at, id")
                : Database.query(c, KeyStore::row, SELECT + " WHERE account_id = ? ORDER BY created_at, id",
                accountId));
    }

    /**
     * Revokes the key with this prefix (or id).
     *
     * @return the key as revoked, or null where none has that prefix
     */
    public ApiKey revoke(String prefixOrId) {
        return db.transaction(c -> {
            ApiKey key = Database.one(c, KeyStore::row, SELECT + " WHERE prefix = ? OR id = ?", prefixOrId,
                    prefixOrId);
            if (key == null) {
                return null;
            }
            Database.update(c, "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?",
                    Instant.now().toEpochMilli(), key.id());
            return byId(c, key.id());
        });
    }

    /** A key's limits, by their column. */
    public enum Limit {
        TASKS_PER_MINUTE("tasks_per_minute"), READS_PER_MINUTE("reads_per_minute"),
        MAX_CONCURRENT_TASKS("max_concurrent_tasks");

        private final String column;

        Limit(String column) {
            this.column = column;
        }
    }

    /** Sets one of a key's limits; it holds from the key's next request on. */
    public void setLimit(String keyId, Limit limit, int value) {
        db.transaction(c -> Database.update(c, "UPDATE api_keys SET " + limit.column + " = ? WHERE id = ?", value,
                keyId));
    }

    private static final String SELECT = "SELECT id, account_id, name, prefix, admin, tasks_per_minute, "
            + "reads_per_minute, max_concurrent_tasks, created_at, expires_at, revoked_at FROM api_keys";

    private static ApiKey byId(Connection c, String id) throws SQLException {
        return Database.one(c, KeyStore::row, SELECT + " WHERE id = ?", id);
    }

    /** The same columns of {@code api_keys k}, for a join; {@link #row(ResultSet, int)} reads them. */
    static final String K_COLUMNS = "k." + SELECT.substring("SELECT ".length(), SELECT.indexOf(" FROM"))
            .replace(", ", ", k.");

    private static ApiKey row(ResultSet rs) throws SQLException {
        return row(rs, 0);
    }

    /** A key's columns from column {@code at + 1} on. */
    static ApiKey row(ResultSet rs, int at) throws SQLException {
        return new ApiKey(rs.getString(at + 1), rs.getString(at + 2), rs.getString(at + 3), rs.getString(at + 4),
                rs.getInt(at + 5) != 0, rs.getInt(at + 6), rs.getInt(at + 7), rs.getInt(at + 8), instant(rs, at + 9),
                instant(rs, at + 10), instant(rs, at + 11));
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        long ms = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(ms);
    }
}
