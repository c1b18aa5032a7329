-- What is left of a lot is the sum of its rows' deltas, read on every charge and every wallet: with delta in the
-- index that sum reads the lot's index entries alone, not each of its rows from the table.
CREATE INDEX ledger_lot_delta ON ledger (lot_id, delta);
DROP INDEX ledger_lot;
