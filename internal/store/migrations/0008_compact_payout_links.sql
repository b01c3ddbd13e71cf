-- Payout links, stored compactly. A link was a row of nine columns and an
-- index entry (about 250 bytes); most of it repeated what the balance
-- transaction's own row holds. Now a link is the payout's marker number and
-- the transaction's id (about 60 bytes), and the view stripe_payout_links
-- joins the rest from stripe_balance_transactions, with the same columns as
-- the table it replaces. A transaction that was not stored when its
-- payout's links were written (or whose stored columns differed from the
-- payout's list) keeps its own copy of the columns, which the view prefers.
--
-- sync_payout_links, the marker that a payout's links are stored, gets a
-- number (id) for the links to refer to, and the sum of their net, so the
-- payouts report reconciles a payout without reading its links. Deleting a
-- connection deletes its markers, and a marker its links (CASCADE).
--
-- "Which payout paid out a transaction" has no index any more: it costs
-- about as much as the links themselves, and no report asks it.

CREATE TABLE sync_payout_links_new (
    id            INTEGER PRIMARY KEY,
    connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    payout        TEXT NOT NULL,
    links         INTEGER NOT NULL,
    net           INTEGER NOT NULL,  -- Σ net of the links, the payout's amount when they reconcile
    synced_at     TEXT NOT NULL,
    UNIQUE (connection_id, payout)
);
INSERT INTO sync_payout_links_new (connection_id, payout, links, net, synced_at)
    SELECT s.connection_id, s.payout, s.links,
        (SELECT coalesce(sum(l.net), 0) FROM stripe_payout_links l WHERE l.connection_id = s.connection_id AND l.payout = s.payout),
        s.synced_at
    FROM sync_payout_links s ORDER BY s.connection_id, s.payout;

DROP TABLE sync_payout_links;
ALTER TABLE sync_payout_links_new RENAME TO sync_payout_links;

CREATE TABLE payout_link_items (
    marker              INTEGER NOT NULL REFERENCES sync_payout_links (id) ON DELETE CASCADE,
    balance_transaction TEXT NOT NULL,
    -- NULL unless the transaction was not stored (or differed) when the
    -- links were written: then the payout's list's values.
    type                TEXT,
    amount              INTEGER,
    fee                 INTEGER,
    net                 INTEGER,
    currency            TEXT,
    source              TEXT,
    PRIMARY KEY (marker, balance_transaction)
) WITHOUT ROWID;

INSERT INTO payout_link_items (marker, balance_transaction, type, amount, fee, net, currency, source)
    SELECT m.id, l.balance_transaction,
        CASE WHEN same THEN NULL ELSE l.type END, CASE WHEN same THEN NULL ELSE l.amount END,
        CASE WHEN same THEN NULL ELSE l.fee END, CASE WHEN same THEN NULL ELSE l.net END,
        CASE WHEN same THEN NULL ELSE l.currency END, CASE WHEN same THEN NULL ELSE l.source END
    FROM (SELECT l.*, EXISTS (SELECT 1 FROM stripe_balance_transactions b
                WHERE b.connection_id = l.connection_id AND b.id = l.balance_transaction
                  AND b.type IS l.type AND b.amount IS l.amount AND b.fee IS l.fee AND b.net IS l.net
                  AND b.currency IS l.currency AND b.source IS l.source) AS same
          FROM stripe_payout_links l) l
    JOIN sync_payout_links m ON m.connection_id = l.connection_id AND m.payout = l.payout
    ORDER BY m.id, l.balance_transaction;

DROP TABLE stripe_payout_links;

-- The links as they were: one row per payout and balance transaction.
CREATE VIEW stripe_payout_links AS
SELECT m.connection_id, m.payout, l.balance_transaction,
    coalesce(l.type, b.type) AS type,
    coalesce(l.amount, b.amount) AS amount,
    coalesce(l.fee, b.fee) AS fee,
    coalesce(l.net, b.net) AS net,
    coalesce(l.currency, b.currency) AS currency,
    coalesce(l.source, b.source) AS source
FROM sync_payout_links m
JOIN payout_link_items l ON l.marker = m.id
LEFT JOIN stripe_balance_transactions b ON b.connection_id = m.connection_id AND b.id = l.balance_transaction;
