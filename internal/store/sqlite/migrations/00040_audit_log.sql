-- +goose Up
-- The tamper-evident audit log (issue 14, internal/audit). Every write of
-- the desk appends an entry in its own transaction; each chained entry
-- carries hash = SHA-256(previous hash || SHA-256(canonical entry)), so a
-- row changed, removed or slipped in by hand breaks the chain at that
-- position (tierdesk audit verify).
--
-- SQLite has one writer: an entry is chained in the writing transaction
-- itself (audit_log, audit_head). PostgreSQL writers run concurrently: they
-- append to audit_pending, and a sealer chains pending rows in id order
-- under the audit_head row lock (migration 00041 has the same tables).
CREATE TABLE audit_log (
    seq      INTEGER PRIMARY KEY,          -- chain position, 1, 2, 3 …
    at       INTEGER NOT NULL,             -- unix micros of the write
    actor_id INTEGER NOT NULL DEFAULT 0,   -- 0: the desk itself or no one signed in
    kind     TEXT    NOT NULL,             -- ticket.create, user.update, auth.signin …
    subject  TEXT    NOT NULL,             -- ticket/42, user/7, setting/matrix …
    detail   TEXT    NOT NULL,             -- JSON object, never a secret
    hash     BLOB    NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_kind ON audit_log (kind, seq);
CREATE INDEX audit_log_subject ON audit_log (subject, seq);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE audit_pending (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       INTEGER NOT NULL,
    actor_id INTEGER NOT NULL DEFAULT 0,
    kind     TEXT    NOT NULL,
    subject  TEXT    NOT NULL,
    detail   TEXT    NOT NULL
);

-- The chain's head: its last position and hash. Appending locks this row,
-- so chaining is serialised however many instances write.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash BLOB    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, zeroblob(32));

-- Anchors: the head at a moment, recorded periodically and on export, for
-- an administrator to keep outside the database.
CREATE TABLE audit_anchors (
    seq  INTEGER PRIMARY KEY,
    hash BLOB    NOT NULL,
    at   INTEGER NOT NULL
);

-- +goose Down
DROP TABLE audit_anchors;
DROP TABLE audit_head;
DROP TABLE audit_pending;
DROP TABLE audit_log;
