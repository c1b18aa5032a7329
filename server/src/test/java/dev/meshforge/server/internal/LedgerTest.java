package dev.meshforge.server.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.flywaydb.core.Flyway;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What is left of each lot: kept beside the lot by the database as each ledger row is appended, always the sum of the
 * lot's rows (the ledger stays the truth).
 */
class LedgerTest {
    @TempDir
    Path dir;

    @Test
    void aLotsRemainderIsReadWithoutTheLedger() {
        try (Database db = Database.openEmbedded(dir)) {
            String plan = QueryPlans.of(db, Ledger.LIVE_LOTS, "acc", 0L);
            assertTrue(plan.contains("USING INDEX credit_lots_account"), plan);
            assertFalse(plan.contains("ledger"), plan);
        }
    }

    /** Each lot's remainder against the sum of its ledger rows, read apart from it. */
    private static void assertRemaindersAreTheRowsSums(Database db, Map<String, Long> expected) {
        Map<String, Long> kept = new TreeMap<>();
        Map<String, Long> summed = new TreeMap<>();
        db.read(c -> {
            for (Object[] r : Database.query(c, rs -> new Object[]{rs.getString(1), rs.getLong(2)},
                    "SELECT id, remaining FROM credit_lots")) {
                kept.put((String) r[0], (Long) r[1]);
            }
            for (Object[] r : Database.query(c, rs -> new Object[]{rs.getString(1), rs.getLong(2)},
                    "SELECT o.id, COALESCE(SUM(l.delta), 0) FROM credit_lots o LEFT JOIN ledger l ON l.lot_id = o.id "
                            + "GROUP BY o.id")) {
                summed.put((String) r[0], (Long) r[1]);
            }
            return null;
        });
        assertEquals(new TreeMap<>(expected), kept);
        assertEquals(summed, kept);
    }

    @Test
    void everyGrantChargeAndRefundKeepsEachLotsRemainderAtTheSumOfItsRows() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        try (Database db = Database.openEmbedded(dir)) {
            db.transaction(c -> Database.update(c, "INSERT INTO accounts (id, created_at) VALUES (?, ?), (?, ?)",
                    "acc", t0.toEpochMilli(), "other", t0.toEpochMilli()));
            String first = db.transaction(c -> Ledger.grant(c, "acc", 10, t0).id());
            String second = db.transaction(c -> Ledger.grant(c, "acc", 100, t0.plus(Duration.ofDays(1))).id());
            String others = db.transaction(c -> Ledger.grant(c, "other", 7, t0).id());
            assertRemaindersAreTheRowsSums(db, Map.of(first, 10L, second, 100L, others, 7L));
            Instant now = t0.plus(Duration.ofDays(2));
            for (String task : List.of("t1", "t2", "t3")) {
                db.transaction(c -> {
                    Ledger.charge(c, "acc", task, 4, now);
                    return null;
                });
            }
            assertRemaindersAreTheRowsSums(db, Map.of(first, 0L, second, 98L, others, 7L));
            // t3 took 2 from each lot: its refund puts both back, and a second refund adds nothing.
            assertEquals(4, (long) db.transaction(c -> Ledger.refund(c, "acc", "t3", now)));
            assertEquals(0, (long) db.transaction(c -> Ledger.refund(c, "acc", "t3", now)));
            assertRemaindersAreTheRowsSums(db, Map.of(first, 2L, second, 100L, others, 7L));
            assertEquals(102, (long) db.read(c -> Ledger.balance(c, "acc", now)));
            // A charge refused for want of credits leaves nothing behind.
            assertThrows(Ledger.InsufficientCredits.class, () -> db.transaction(c -> {
                Ledger.charge(c, "acc", "t-big", 103, now);
                return null;
            }));
            assertRemaindersAreTheRowsSums(db, Map.of(first, 2L, second, 100L, others, 7L));
            // A row appended by any statement, not only the ledger's own code, moves the remainder with it; a
            // rolled-back one does not.
            db.transaction(c -> Database.update(c, "INSERT INTO ledger (id, seq, account_id, lot_id, delta, kind, "
                    + "task_id, created_at) VALUES ('led_x', 1000, 'other', ?, -5, 'charge', 'tx', 0)", others));
            assertThrows(RuntimeException.class, () -> db.transaction(c -> {
                Database.update(c, "INSERT INTO ledger (id, seq, account_id, lot_id, delta, kind, task_id, "
                        + "created_at) VALUES ('led_y', 1001, 'other', ?, -1, 'charge', 'ty', 0)", others);
                throw new IllegalStateException("rolled back");
            }));
            assertRemaindersAreTheRowsSums(db, Map.of(first, 2L, second, 100L, others, 2L));
        }
    }

    @Test
    void aLedgerWrittenBeforeTheRemaindersWereKeptIsSummedIntoThemOnMigration() {
        // The schema as it was before (V6), with a ledger in it.
        String url = "jdbc:sqlite:" + dir.resolve("meshforge.db").toAbsolutePath();
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/common", "classpath:db/sqlite")
                .target("6").load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO accounts (id, created_at) VALUES ('acc', 0)");
            s.executeUpdate("INSERT INTO credit_lots (id, account_id, amount, purchased_at, expires_at) VALUES "
                    + "('lot_a', 'acc', 50, 0, 9000000000000), ('lot_b', 'acc', 20, 0, 9000000000000), "
                    + "('lot_c', 'acc', 5, 0, 9000000000000)");
            s.executeUpdate("INSERT INTO ledger (id, seq, account_id, lot_id, delta, kind, task_id, created_at) VALUES "
                    + "('l1', 1, 'acc', 'lot_a', 50, 'grant', NULL, 0), ('l2', 2, 'acc', 'lot_b', 20, 'grant', NULL, 0), "
                    + "('l3', 3, 'acc', 'lot_a', -30, 'charge', 't1', 0), ('l4', 4, 'acc', 'lot_a', -20, 'charge', 't2', 0), "
                    + "('l5', 5, 'acc', 'lot_b', -6, 'charge', 't2', 0), ('l6', 6, 'acc', 'lot_a', 20, 'refund', 't2', 0)");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        try (Database db = Database.openEmbedded(dir)) {
            // A lot with no rows at all (never granted through the ledger) is left with nothing.
            assertRemaindersAreTheRowsSums(db, Map.of("lot_a", 20L, "lot_b", 14L, "lot_c", 0L));
            assertEquals(34, (long) db.read(c -> Ledger.balance(c, "acc", Instant.EPOCH)));
        }
    }

    @Test
    void chargesTakeFromTheEarliestExpiringLotAndTheRemaindersAreTheRowsSums() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        try (Database db = Database.openEmbedded(dir)) {
            db.transaction(c -> Database.update(c, "INSERT INTO accounts (id, created_at) VALUES (?, ?)", "acc",
                    t0.toEpochMilli()));
            String first = db.transaction(c -> Ledger.grant(c, "acc", 10, t0).id());
            String second = db.transaction(c -> Ledger.grant(c, "acc", 100, t0.plus(Duration.ofDays(1))).id());
            Instant now = t0.plus(Duration.ofDays(2));
            for (int i = 0; i < 3; i++) {
                String task = "task-" + i;
                db.transaction(c -> {
                    Ledger.charge(c, "acc", task, 4, now);
                    return null;
                });
            }
            // 4 + 4 from the first lot, then 2 from it and 2 from the second.
            List<Ledger.Lot> lots = db.read(c -> Ledger.liveLots(c, "acc", now));
            assertEquals(List.of(first, second), lots.stream().map(Ledger.Lot::id).toList());
            assertEquals(0, lots.get(0).remaining());
            assertEquals(98, lots.get(1).remaining());
            assertEquals(98, (long) db.read(c -> Ledger.balance(c, "acc", now)));
            assertThrows(Ledger.InsufficientCredits.class, () -> db.transaction(c -> {
                Ledger.charge(c, "acc", "task-big", 99, now);
                return null;
            }));
        }
    }

    /**
     * Under SQLite a charge takes no lock on the account's row: an update of that row's key makes SQLite count every
     * row referring to the account (its tasks and ledger rows) for the foreign keys, so each charge would cost more
     * the longer the account's history. A trigger the test adds records any update of an account.
     */
    @Test
    void aChargeUnderSqliteLeavesTheAccountRowAlone() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        try (Database db = Database.openEmbedded(dir)) {
            db.transaction(c -> {
                Database.update(c, "INSERT INTO accounts (id, created_at) VALUES (?, ?)", "acc", t0.toEpochMilli());
                Database.update(c, "CREATE TABLE account_updates (id TEXT)");
                Database.update(c, "CREATE TRIGGER account_updated AFTER UPDATE ON accounts BEGIN "
                        + "INSERT INTO account_updates VALUES (OLD.id); END");
                return Ledger.grant(c, "acc", 100, t0);
            });
            for (int i = 0; i < 3; i++) {
                String task = "task-" + i;
                db.transaction(c -> {
                    Ledger.charge(c, "acc", task, 5, t0);
                    return null;
                });
            }
            assertEquals(85, (long) db.read(c -> Ledger.balance(c, "acc", t0)));
            assertEquals(0, (int) db.read(c -> Database.one(c, rs -> rs.getInt(1),
                    "SELECT count(*) FROM account_updates")));
        }
    }
}
