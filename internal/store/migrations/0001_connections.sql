-- Connections: one row per linked data source. Secrets (tokens, API keys)
-- never live here; they are in the OS keychain under the connection id.
-- Times are RFC 3339 UTC text with milliseconds (2026-11-26T13:56:20.123Z),
-- NULL when the event never happened, so the file reads well in any
-- SQLite tool and sorts correctly as text.
CREATE TABLE connections (
    id                TEXT NOT NULL PRIMARY KEY CHECK (id <> ''),
    provider          TEXT NOT NULL CHECK (provider IN ('stripe')),
    name              TEXT NOT NULL,
    account_id        TEXT NOT NULL CHECK (account_id <> ''),
    livemode          INTEGER NOT NULL CHECK (livemode IN (0, 1)),
    scope             TEXT NOT NULL DEFAULT '',
    auth_method       TEXT NOT NULL CHECK (auth_method IN ('oauth', 'api_key')),
    status            TEXT NOT NULL
                      CHECK (status IN ('connected', 'needs_reauth', 'error', 'disconnected')),
    status_detail     TEXT NOT NULL DEFAULT '',
    connected_at      TEXT NOT NULL,
    status_checked_at TEXT,
    last_sync_at      TEXT
);

-- The same Stripe account in the same mode may be linked only once at a
-- time; a disconnected row stays as history and does not block a new link.
CREATE UNIQUE INDEX connections_one_active_account
    ON connections (provider, account_id, livemode)
    WHERE status <> 'disconnected';

-- Serves ListConnections' order without a sort step.
CREATE INDEX connections_by_name
    ON connections (name COLLATE NOCASE, connected_at, id);
