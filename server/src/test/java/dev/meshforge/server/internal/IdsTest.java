package dev.meshforge.server.internal;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Row ids: random ones, and the time-led ones of tasks and ledger rows. */
class IdsTest {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

    @Test
    void aTimedIdHasARandomIdsFormAndLeadsWithTheTimeInMilliseconds() {
        long before = System.currentTimeMillis();
        String id = Database.newTimedId("task_");
        long after = System.currentTimeMillis();
        String random = Database.newId("task_");
        assertEquals(random.length(), id.length(), id);
        assertTrue(id.startsWith("task_"), id);
        String body = id.substring("task_".length());
        assertTrue(body.chars().allMatch(ch -> ALPHABET.indexOf(ch) >= 0), id);
        long ms = timeOf(body);
        assertTrue(ms >= before && ms <= after, "time " + ms + " not in [" + before + ", " + after + "]");
    }

    @Test
    void idsMadeTogetherAreDistinctAndOrderedByTheirTime() {
        Set<String> seen = new HashSet<>();
        long start = System.currentTimeMillis();
        long previous = timeOf(Database.newTimedId(""));
        for (int i = 0; i < 10_000; i++) {
            String id = Database.newTimedId("");
            assertTrue(seen.add(id), "made twice: " + id);
            long t = timeOf(id);
            assertTrue(t >= previous, id + " is older than the id before it");
            previous = t;
        }
        assertTrue(previous - start <= System.currentTimeMillis() - start);
    }

    /** The first 48 bits of an id without a prefix, read back from its characters (5 bits each, high first). */
    private static long timeOf(String body) {
        long bits = 0;
        for (int i = 0; i < 10; i++) {
            bits = bits << 5 | ALPHABET.indexOf(body.charAt(i));
        }
        return bits >>> 2;
    }
}
