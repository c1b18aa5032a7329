-- What is left of a lot, kept beside it: a charge and a wallet read one row a lot instead of summing the lot's
-- ledger rows, which grow with every task. The ledger stays the truth: the column starts as the sum of the lot's
-- rows, and the database itself adds each row appended after (the ledger takes no updates or deletes), in the
-- appending transaction, so it is that sum at every commit. No statement of the server writes it.
ALTER TABLE credit_lots ADD COLUMN remaining BIGINT NOT NULL DEFAULT 0;
UPDATE credit_lots o SET remaining = COALESCE((SELECT SUM(l.delta) FROM ledger l WHERE l.lot_id = o.id), 0);

CREATE FUNCTION ledger_lot_remaining() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE credit_lots SET remaining = remaining + NEW.delta WHERE id = NEW.lot_id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER ledger_lot_remaining AFTER INSERT ON ledger
    FOR EACH ROW EXECUTE FUNCTION ledger_lot_remaining();
