// Credits: lots that expire, spent earliest-expiring first, every movement one append-only ledger row.
package dev.meshforge.server.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wallet of each account. A grant makes a lot (expiring {@link #LOT_LIFETIME} after purchase) and a +N row; a
 * charge takes from the lots that expire first, one -n row per lot touched; a refund puts back exactly what the
 * task's charge rows took, to the same lots. The ledger's rows are the truth; a lot's remainder is their sum, kept in
 * {@code credit_lots.remaining} by the database itself as each row is appended (migration V7; no statement here
 * writes it), so a charge and a wallet read one row a lot whatever the ledger's length. The balance is the sum of
 * the live lots' remainders. The charge and refund rows of one task are unique per lot in the schema.
 */
public final class Ledger {
    public static final Duration LOT_LIFETIME = Duration.ofDays(365);

    /** Thrown inside a transaction when the account has fewer live credits than the charge. */
    public static final class InsufficientCredits extends RuntimeException {
        public final long balance;
        public final long needed;

        InsufficientCredits(long balance, long needed) {
            super("the account has " + balance + " credits and the task costs " + needed);
            this.balance = balance;
            this.needed = needed;
        }
    }

    public record Entry(String id, String lotId, long delta, String kind, String taskId, Instant createdAt) {
    }

    public record Lot(String id, long amount, long remaining, Instant purchasedAt, Instant expiresAt) {
    }

    private Ledger() {
    }

    /** Adds a lot of {@code amount} credits bought now. */
    public static Lot grant(Connection c, String accountId, long amount, Instant now) throws SQLException {
        if (amount <= 0) {
            throw new IllegalArgumentException("a grant must be a positive number of credits, not " + amount);
        }
        if (Database.one(c, rs -> rs.getString(1), "SELECT id FROM accounts WHERE id = ?", accountId) == null) {
            throw new IllegalArgumentException("there is no account " + accountId);
        }
        String lot = Database.newId("lot_");
        Instant expires = now.plus(LOT_LIFETIME);
        Database.update(c, "INSERT INTO credit_lots (id, account_id, amount, purchased_at, expires_at) "
                + "VALUES (?, ?, ?, ?, ?)", lot, accountId, amount, now.toEpochMilli(), expires.toEpochMilli());
        append(c, accountId, lot, amount, "grant", null, now);
        return new Lot(lot, amount, amount, now, expires);
    }

    /** Takes {@code cost} credits for a task from the live lots, earliest expiring first. */
    public static void charge(Connection c, String accountId, String taskId, long cost, Instant now)
            throws SQLException {
        if (cost == 0) {
            return;
        }
        // Serialises charges of one account under PostgreSQL: a row lock, so that two tasks accepted at once cannot
        // both spend the same last credits. SQLite's write transactions are serial already, and there the lock this
        // took before (`UPDATE accounts SET id = id`) was an update of a parent key: SQLite then counts every row of
        // every table that refers to the account (its tasks, its ledger rows), twice, for the foreign keys, so each
        // charge cost more the longer the account's history (0.2 ms at a thousand tasks; most of an accepted
        // task's time in the database under the load test).
        if (!Database.serialWrites(c)) {
            Database.one(c, rs -> rs.getString(1), "SELECT id FROM accounts WHERE id = ? FOR UPDATE", accountId);
        }
        List<Lot> lots = liveLots(c, accountId, now);
        long balance = lots.stream().mapToLong(Lot::remaining).sum();
        if (balance < cost) {
            throw new InsufficientCredits(balance, cost);
        }
        long left = cost;
        for (Lot lot : lots) {
            if (left == 0) {
                break;
            }
            long take = Math.min(left, lot.remaining());
            if (take > 0) {
                append(c, accountId, lot.id(), -take, "charge", taskId, now);
                left -= take;
            }
        }
    }

    /**
     * Puts back what the task's charge took, lot by lot. Calling it again for the same task adds nothing.
     *
     * @return the credits put back
     */
    public static long refund(Connection c, String accountId, String taskId, Instant now) throws SQLException {
        List<Object[]> taken = Database.query(c, rs -> new Object[]{rs.getString(1), rs.getLong(2)},
                "SELECT lot_id, -SUM(delta) FROM ledger WHERE task_id = ? AND kind = 'charge' AND lot_id NOT IN "
                        + "(SELECT lot_id FROM ledger WHERE task_id = ? AND kind = 'refund') GROUP BY lot_id "
                        + "ORDER BY lot_id", taskId, taskId);
        long total = 0;
        for (Object[] t : taken) {
            append(c, accountId, (String) t[0], (Long) t[1], "refund", taskId, now);
            total += (Long) t[1];
        }
        return total;
    }

    /** The credits the account can spend now: what is left of its lots that have not expired. */
    public static long balance(Connection c, String accountId, Instant now) throws SQLException {
        Long sum = Database.one(c, rs -> rs.getLong(1), "SELECT COALESCE(SUM(remaining), 0) FROM credit_lots "
                + "WHERE account_id = ? AND expires_at > ?", accountId, now.toEpochMilli());
        return sum == null ? 0 : sum;
    }

    /** An account's live lots with what is left of each, from the index on {@code (account_id, expires_at)}. */
    static final String LIVE_LOTS = "SELECT o.id, o.amount, o.remaining, o.purchased_at, o.expires_at FROM credit_lots "
            + "o WHERE o.account_id = ? AND o.expires_at > ? ORDER BY o.expires_at, o.id";

    /** Lots not yet expired with what is left of each, earliest expiring first. */
    public static List<Lot> liveLots(Connection c, String accountId, Instant now) throws SQLException {
        return Database.query(c, rs -> new Lot(rs.getString(1), rs.getLong(2), rs.getLong(3),
                        Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5))), LIVE_LOTS, accountId,
                now.toEpochMilli());
    }

    public static List<Entry> recent(Connection c, String accountId, int limit) throws SQLException {
        return Database.query(c, rs -> new Entry(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5), Instant.ofEpochMilli(rs.getLong(6))),
                "SELECT id, lot_id, delta, kind, task_id, created_at FROM ledger WHERE account_id = ? "
                        + "ORDER BY seq DESC LIMIT ?", accountId, limit);
    }

    /** The wallet as the API shows it. */
    public static Map<String, Object> wallet(Connection c, String accountId, Instant now) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account", accountId);
        m.put("balance", balance(c, accountId, now));
        List<Map<String, Object>> lots = new ArrayList<>();
        for (Lot l : liveLots(c, accountId, now)) {
            Map<String, Object> lot = new LinkedHashMap<>();
            lot.put("id", l.id());
            lot.put("amount", l.amount());
            lot.put("remaining", l.remaining());
            lot.put("purchased_at", l.purchasedAt().toString());
            lot.put("expires_at", l.expiresAt().toString());
            lots.add(lot);
        }
        m.put("lots", lots);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Entry e : recent(c, accountId, 50)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", e.id());
            row.put("kind", e.kind());
            row.put("delta", e.delta());
            row.put("lot", e.lotId());
            row.put("task_id", e.taskId());
            row.put("created_at", e.createdAt().toString());
            entries.add(row);
        }
        m.put("entries", entries);
        return m;
    }

    private static void append(Connection c, String accountId, String lotId, long delta, String kind, String taskId,
                               Instant now) throws SQLException {
        // seq orders rows made in the same millisecond; taken inside the write transaction, so it is unique here.
        Long seq = Database.one(c, rs -> rs.getLong(1), "SELECT COALESCE(MAX(seq), 0) + 1 FROM ledger");
        Database.update(c, "INSERT INTO ledger (id, seq, account_id, lot_id, delta, kind, task_id, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", Database.newTimedId("led_"), seq, accountId, lotId, delta,
                kind, taskId, now.toEpochMilli());
    }
}
