-- The workers' sweep looks once a minute for finished tasks whose results are past their time and not yet deleted.
-- Without an index that read scanned every task the server had ever run, a cost growing with its history; this one
-- holds only the tasks not yet purged.
CREATE INDEX tasks_expiry ON tasks (expires_at) WHERE purged_at IS NULL;
