// What an operator does to a server's records from the command line: keys and credits.
package dev.meshforge.server;

import dev.meshforge.server.internal.Database;
import dev.meshforge.server.internal.KeyStore;
import dev.meshforge.server.internal.Ledger;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Opens the same database a server in {@code dataDir} uses (SQLite allows both at once), so that keys made or revoked
 * here count on the server's next request.
 */
public final class Administration implements AutoCloseable {
    /** A key just made: {@code key} is its secret, shown this once. */
    public record NewKey(String key, String prefix, String account, String name, Instant expiresAt) {
    }

    /** A key as listed: never its secret. */
    public record KeyInfo(String prefix, String account, String name, boolean admin, Instant createdAt,
                          Instant expiresAt, Instant revokedAt) {
    }

    private final Database db;
    private final KeyStore keys;

    private Administration(Database db) {
        this.db = db;
        this.keys = new KeyStore(db);
    }

    public static Administration open(Path dataDir) {
        return new Administration(Database.openEmbedded(dataDir));
    }

    /** @param databaseUrl a PostgreSQL JDBC URL, or null for the embedded file in {@code dataDir} */
    public static Administration open(Path dataDir, String databaseUrl) {
        return new Administration(Database.open(dataDir, databaseUrl));
    }

    /**
     * @param account   the account the key acts for, or null to make a new account
     * @param expiresAt null for a key that does not expire
     * @throws IllegalArgumentException naming the account where it does not exist
     */
    public NewKey createKey(String name, String account, Instant expiresAt, boolean admin) {
        KeyStore.CreatedKey k = keys.create(name, account, expiresAt, admin, KeyStore.Defaults.STANDARD);
        return new NewKey(k.key(), k.record().prefix(), k.record().accountId(), k.record().name(),
                k.record().expiresAt());
    }

    public List<KeyInfo> listKeys(String account) {
        return keys.list(account).stream().map(k -> new KeyInfo(k.prefix(), k.accountId(), k.name(), k.admin(),
                k.createdAt(), k.expiresAt(), k.revokedAt())).toList();
    }

    /** @return false where no key has this prefix */
    public boolean revokeKey(String prefix) {
        return keys.revoke(prefix) != null;
    }

    /** Sets how many task-creating requests a minute the key may make. */
    public boolean setTasksPerMinute(String prefix, int perMinute) {
        return setLimit(prefix, KeyStore.Limit.TASKS_PER_MINUTE, perMinute);
    }

    /** Sets how many reads (status, downloads, wallet) a minute the key may make. */
    public boolean setReadsPerMinute(String prefix, int perMinute) {
        return setLimit(prefix, KeyStore.Limit.READS_PER_MINUTE, perMinute);
    }

    /** Sets how many of the key's tasks may run at once (the others wait in the queue). */
    public boolean setMaxConcurrentTasks(String prefix, int tasks) {
        return setLimit(prefix, KeyStore.Limit.MAX_CONCURRENT_TASKS, tasks);
    }

    private boolean setLimit(String prefix, KeyStore.Limit limit, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("the limit must be positive, not " + value);
        }
        return keys.list(null).stream().filter(k -> k.prefix().equals(prefix)).findFirst().map(k -> {
            keys.setLimit(k.id(), limit, value);
            return true;
        }).orElse(false);
    }

    /**
     * Adds a lot of {@code amount} credits, expiring a year from now.
     *
     * @return the account's balance afterwards
     */
    public long grant(String account, long amount) {
        return db.transaction(c -> {
            Instant now = Instant.now();
            Ledger.grant(c, account, amount, now);
            return Ledger.balance(c, account, now);
        });
    }

    public long balance(String account) {
        return db.read(c -> Ledger.balance(c, account, Instant.now()));
    }

    @Override
    public void close() {
        db.close();
    }
}
