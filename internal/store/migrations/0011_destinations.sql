-- Destinations: other databases that keep a copy of the warehouse (a team's
-- PostgreSQL), and the change log they are fed from. internal/destination
-- owns the SQL of both tables and of the triggers that fill the log.
--
-- (Numbered 0010 in the plan of issue 15; renumbered to follow the
-- migrations of the branch it is merged onto.)

-- One row per destination. url is the connection string without its
-- password, which lives in the system keychain (account "destination:"+id).
-- connection_id NULL means every connection. applied_seq is the last
-- change the destination has confirmed (the destination's own record is the
-- authority; this copy decides what the log may forget). last_error_* are
-- the last failure's kind and facts (JSON), cleared by a success.
CREATE TABLE destinations (
    id               TEXT NOT NULL PRIMARY KEY,
    kind             TEXT NOT NULL,
    url              TEXT NOT NULL,
    schema_name      TEXT NOT NULL,
    connection_id    TEXT,
    created_at       TEXT NOT NULL,
    applied_seq      INTEGER NOT NULL DEFAULT 0,
    applied_at       TEXT,
    last_error_kind  TEXT,
    last_error_facts TEXT,
    last_error_at    TEXT
);

-- The change log: one row per write to a warehouse row, in commit order,
-- written by triggers inside the writing transaction (they exist only while
-- a destination does). op is I, U or D; at is unix ms. AUTOINCREMENT, so a
-- seq is never reused after the log is pruned empty.
CREATE TABLE destination_changes (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    tbl           TEXT NOT NULL,
    connection_id TEXT NOT NULL,
    id            TEXT NOT NULL,
    op            TEXT NOT NULL,
    at            INTEGER NOT NULL
);
