package dev.meshforge.server.internal;

/** SQLite's plan for a statement, its steps joined by " / ", for tests that a read uses an index. */
final class QueryPlans {
    private QueryPlans() {
    }

    static String of(Database db, String sql, Object... args) {
        return db.read(c -> String.join(" / ", Database.query(c, rs -> rs.getString(4), "EXPLAIN QUERY PLAN " + sql,
                args)));
    }
}
