-- Every ledger row takes the next seq (MAX(seq) + 1) as it is appended: an index makes that one lookup, not a scan
-- of the whole ledger per charge.
CREATE INDEX ledger_seq ON ledger (seq);
