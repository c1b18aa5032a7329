-- Answers to POSTs other than task creation (tasks keep their key on their own row), for Idempotency-Key replays.
CREATE TABLE idempotent_responses (
    account_id       TEXT NOT NULL REFERENCES accounts (id),
    idempotency_key  TEXT NOT NULL,
    request_hash     TEXT NOT NULL,
    status           INTEGER NOT NULL,
    body             TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    PRIMARY KEY (account_id, idempotency_key)
);
