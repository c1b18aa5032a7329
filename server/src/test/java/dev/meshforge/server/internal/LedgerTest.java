package dev.meshforge.server.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What is left of each lot, read as the sum of its ledger rows from the index alone. */
class LedgerTest {
    @TempDir
    Path dir;

    @Test
    void aLotsRemainderIsReadFromTheIndexAlone() {
        try (Database db = Database.openEmbedded(dir)) {
            String plan = db.read(c -> String.join(" / ", Database.query(c, rs -> rs.getString(4),
                    "EXPLAIN QUERY PLAN " + Ledger.LIVE_LOTS, "acc", 0L)));
            assertTrue(plan.contains("USING COVERING INDEX ledger_lot_delta"), plan);
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
}
