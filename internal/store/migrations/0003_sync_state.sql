-- Sync state: one row per (connection, object type), written in the same
-- transaction as each page it describes, so a sync that is killed resumes
-- exactly where its last committed page left it. Times are RFC 3339 UTC
-- text with milliseconds, NULL when the event never happened.
CREATE TABLE sync_state (
    connection_id      TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    object_type        TEXT NOT NULL,  -- the warehouse type's name: charges, customers, …
    -- backfill: listing every object; rescan: listing every object again
    -- because events were missed (see rescan_*); ready: following events.
    phase              TEXT NOT NULL CHECK (phase IN ('backfill', 'rescan', 'ready')),
    -- The created ranges still to list, as JSON: [{"lo":…,"hi":…,"after":…,
    -- "after_created":…,"n":…}], lo inclusive, hi exclusive (0: no upper
    -- bound), after the last object stored (the page cursor), n the objects
    -- stored from the range. Empty once the (re)scan is complete.
    ranges             TEXT NOT NULL DEFAULT '[]',
    objects_synced     INTEGER NOT NULL DEFAULT 0,  -- stored by the current or last (re)scan
    objects_estimated  INTEGER NOT NULL DEFAULT 0,  -- guess of the (re)scan's total, for progress bars
    events_applied     INTEGER NOT NULL DEFAULT 0,  -- events applied to this type, all time
    -- The newest event this type is up to date with; events after it are
    -- applied by the next catch-up. Before a (re)scan lists anything it is
    -- set to the account's newest event, so changes made while it lists are
    -- replayed afterwards.
    last_event_id      TEXT NOT NULL DEFAULT '',
    last_event_created INTEGER,                     -- unix seconds
    last_error         TEXT NOT NULL DEFAULT '',    -- a sentence for a person; '' when the last run went well
    last_error_at      TEXT,
    started_at         TEXT,                        -- the current or last (re)scan began
    completed_at       TEXT,                        -- the last (re)scan finished
    caught_up_at       TEXT,                        -- the last time this type was complete and current
    updated_at         TEXT NOT NULL,
    -- Re-scans: Stripe keeps events for 30 days, so a type whose last event
    -- is older than that is listed again (only that type), and objects the
    -- re-scan no longer finds are marked deleted: rows older than
    -- rescan_floor (a version, unix ms) when it completes.
    rescan_reason      TEXT NOT NULL DEFAULT '',
    rescan_at          TEXT,
    rescans            INTEGER NOT NULL DEFAULT 0,
    rescan_floor       INTEGER,
    PRIMARY KEY (connection_id, object_type)
);

-- What to keep: the object types the owner turned off (or back on) per
-- connection. A type without a row is synced; enabled = 0 stops syncing it
-- and keeps its rows.
CREATE TABLE sync_types (
    connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    object_type   TEXT NOT NULL,
    enabled       INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (connection_id, object_type)
);
