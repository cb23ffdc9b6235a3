-- +goose Up
-- The subscription rate-limit counters are expired by hour on every
-- instance's sweep (statuspage.Service.Sweep): an index on hour keeps that
-- DELETE from reading the whole table.
CREATE INDEX status_request_counts_hour ON status_request_counts (hour);

-- +goose Down
DROP INDEX status_request_counts_hour;
