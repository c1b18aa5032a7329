-- The server's records. Portable between SQLite and PostgreSQL: text ids, times as epoch milliseconds.

CREATE TABLE accounts (
    id          TEXT PRIMARY KEY,
    created_at  BIGINT NOT NULL
);

-- Keys are stored as a SHA-256 hash only; the prefix (not secret) names a key in lists and logs.
CREATE TABLE api_keys (
    id                    TEXT PRIMARY KEY,
    account_id            TEXT NOT NULL REFERENCES accounts (id),
    name                  TEXT NOT NULL,
    prefix                TEXT NOT NULL UNIQUE,
    hash                  TEXT NOT NULL UNIQUE,
    admin                 INTEGER NOT NULL DEFAULT 0,
    tasks_per_minute      INTEGER NOT NULL,
    reads_per_minute      INTEGER NOT NULL,
    max_concurrent_tasks  INTEGER NOT NULL,
    created_at            BIGINT NOT NULL,
    expires_at            BIGINT,
    revoked_at            BIGINT
);

-- A purchase or grant of credits; what is left of it is the sum of its ledger rows.
CREATE TABLE credit_lots (
    id            TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL REFERENCES accounts (id),
    amount        BIGINT NOT NULL,
    purchased_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX credit_lots_account ON credit_lots (account_id, expires_at);

-- Append-only: every movement of credits is one row against one lot (grant +, charge -, refund +).
CREATE TABLE ledger (
    id          TEXT PRIMARY KEY,
    seq         BIGINT NOT NULL,
    account_id  TEXT NOT NULL REFERENCES accounts (id),
    lot_id      TEXT NOT NULL REFERENCES credit_lots (id),
    delta       BIGINT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('grant', 'charge', 'refund')),
    task_id     TEXT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX ledger_account ON ledger (account_id, seq);
CREATE INDEX ledger_lot ON ledger (lot_id);
-- A task is charged and refunded at most once against each lot, whatever retries a worker or a client makes.
CREATE UNIQUE INDEX ledger_one_charge ON ledger (task_id, lot_id) WHERE kind = 'charge';
CREATE UNIQUE INDEX ledger_one_refund ON ledger (task_id, lot_id) WHERE kind = 'refund';

CREATE TABLE tasks (
    id               TEXT PRIMARY KEY,
    account_id       TEXT NOT NULL REFERENCES accounts (id),
    key_id           TEXT NOT NULL REFERENCES api_keys (id),
    tool             TEXT NOT NULL,
    options          TEXT NOT NULL,
    input_name       TEXT NOT NULL,
    cost             BIGINT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('PENDING', 'IN_PROGRESS', 'FINISHED', 'FAILED')),
    progress         INTEGER NOT NULL DEFAULT 0,
    stage            TEXT,
    failure_reason   TEXT,
    report           TEXT,
    idempotency_key  TEXT,
    request_hash     TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    lease_owner      TEXT,
    lease_until      BIGINT,
    created_at       BIGINT NOT NULL,
    started_at       BIGINT,
    finished_at      BIGINT,
    expires_at       BIGINT,
    purged_at        BIGINT
);
CREATE INDEX tasks_queue ON tasks (status, created_at);
CREATE INDEX tasks_key_running ON tasks (key_id, status);
CREATE UNIQUE INDEX tasks_idempotency ON tasks (account_id, idempotency_key);

CREATE TABLE task_results (
    task_id     TEXT NOT NULL REFERENCES tasks (id),
    name        TEXT NOT NULL,
    asset_type  TEXT NOT NULL,
    bytes       BIGINT NOT NULL,
    PRIMARY KEY (task_id, name)
);

-- Fixed one-minute windows of requests per key and bucket; in the database so that limits hold across processes.
CREATE TABLE rate_windows (
    key_id        TEXT NOT NULL,
    bucket        TEXT NOT NULL,
    window_start  BIGINT NOT NULL,
    count         INTEGER NOT NULL,
    PRIMARY KEY (key_id, bucket, window_start)
);
