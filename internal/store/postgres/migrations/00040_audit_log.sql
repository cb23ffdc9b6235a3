-- +goose Up
-- The tamper-evident audit log (issue 14, internal/audit). Every write of
-- the desk appends an entry in its own transaction; each chained entry
-- carries hash = SHA-256(previous hash || SHA-256(canonical entry)), so a
-- row changed, removed or slipped in by hand breaks the chain at that
-- position (tierdesk audit verify).
--
-- Writers on PostgreSQL run concurrently (several instances, PgBouncer):
-- a write appends its entry to audit_pending in its own transaction, which
-- costs no lock; a sealer (any instance, any number of them) chains the
-- committed pending rows in id order under the audit_head row lock, moving
-- them into audit_log in one transaction, so a crash leaves them pending,
-- never half-chained. SQLite chains in the writing transaction itself.
CREATE TABLE audit_log (
    seq      BIGINT PRIMARY KEY,
    at       BIGINT NOT NULL,
    actor_id BIGINT NOT NULL DEFAULT 0,
    kind     TEXT   NOT NULL,
    subject  TEXT   NOT NULL,
    detail   TEXT   NOT NULL,
    hash     BYTEA  NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_kind ON audit_log (kind, seq);
CREATE INDEX audit_log_subject ON audit_log (subject, seq);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE audit_pending (
    id       BIGSERIAL PRIMARY KEY,
    at       BIGINT NOT NULL,
    actor_id BIGINT NOT NULL DEFAULT 0,
    kind     TEXT   NOT NULL,
    subject  TEXT   NOT NULL,
    detail   TEXT   NOT NULL
);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash BYTEA  NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));

CREATE TABLE audit_anchors (
    seq  BIGINT PRIMARY KEY,
    hash BYTEA  NOT NULL,
    at   BIGINT NOT NULL
);

-- +goose Down
DROP TABLE audit_anchors;
DROP TABLE audit_head;
DROP TABLE audit_pending;
DROP TABLE audit_log;
