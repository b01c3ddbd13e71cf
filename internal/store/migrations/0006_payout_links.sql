-- The links between automatic payouts and the balance transactions they
-- paid out, as GET /v1/balance_transactions?payout=po_… lists them (the
-- payout's own "payout" transaction left out, so a payout's links add up to
-- its amount). A few columns of each transaction are copied in, so a
-- payout's reconciliation needs no join; when they were written is said once
-- per payout, in sync_payout_links.
CREATE TABLE stripe_payout_links (
    connection_id       TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    payout              TEXT NOT NULL,
    balance_transaction TEXT NOT NULL,
    type                TEXT,
    amount              INTEGER,
    fee                 INTEGER,
    net                 INTEGER,
    currency            TEXT,
    source              TEXT,
    -- Also the index that lists a payout's links.
    PRIMARY KEY (connection_id, payout, balance_transaction)
) WITHOUT ROWID;
CREATE INDEX stripe_payout_links_by_transaction ON stripe_payout_links (connection_id, balance_transaction);

-- One row per payout whose links are stored, written in the same
-- transaction as the links: the sync fetches the links of a payout that has
-- none here, so a sync stopped half way resumes without refetching.
CREATE TABLE sync_payout_links (
    connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    payout        TEXT NOT NULL,
    links         INTEGER NOT NULL,
    synced_at     TEXT NOT NULL,
    PRIMARY KEY (connection_id, payout)
) WITHOUT ROWID;
