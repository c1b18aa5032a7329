-- What is left of a lot, kept beside it: a charge and a wallet read one row a lot instead of summing the lot's
-- ledger rows, which grow with every task. The ledger stays the truth: the column starts as the sum of the lot's
-- rows, and the database itself adds each row appended after (the ledger takes no updates or deletes), so it is that
-- sum at every commit. No statement of the server writes it.
ALTER TABLE credit_lots ADD COLUMN remaining BIGINT NOT NULL DEFAULT 0;
UPDATE credit_lots SET remaining = COALESCE((SELECT SUM(delta) FROM ledger WHERE ledger.lot_id = credit_lots.id), 0);

CREATE TRIGGER ledger_lot_remaining AFTER INSERT ON ledger
BEGIN
    UPDATE credit_lots SET remaining = remaining + NEW.delta WHERE id = NEW.lot_id;
END;
