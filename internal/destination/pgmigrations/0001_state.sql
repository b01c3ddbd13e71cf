-- Ledgerline's own bookkeeping in the destination schema.

-- One row per Ledgerline database feeding this schema (its destination
-- id): the last change of its log applied here, written in the same
-- transaction as the rows, so a replicator resumes exactly where the last
-- commit left off.
CREATE TABLE ledgerline_replication (
    destination_id text PRIMARY KEY,
    applied_seq    bigint NOT NULL,
    applied_at     timestamptz NOT NULL
);
