-- Subscription lines for MRR history (internal/reports, lines): one narrow
-- row per live subscription line of an invoice, with what the MRR reports
-- read of the line and of its invoice, so they read a few columns of the
-- lines whose period ends after an instant (the primary key's order)
-- instead of every line's and invoice's whole row and JSON.
--
-- Triggers keep it, in the statement that writes the line or its invoice:
-- a line's row is replaced when any of its columns or its JSON changes and
-- removed when the line is deleted (or no longer a live subscription line);
-- an invoice's customer, status, created, deletion and currency are copied
-- to its lines' rows. From the line's JSON, at write time: its amount less
-- its discount_amounts, and whether its price is metered.
CREATE TABLE report_mrr_lines (
    connection_id    TEXT NOT NULL,
    period_end       INTEGER NOT NULL,
    id               TEXT NOT NULL,     -- the line's
    invoice          TEXT,
    period_start     INTEGER NOT NULL,
    amount           INTEGER NOT NULL,  -- amount − Σ discount_amounts.amount
    metered          INTEGER NOT NULL,  -- the JSON's price or plan is metered
    price            TEXT,
    line_currency    TEXT,
    customer         TEXT,              -- the invoice's, and below
    status           TEXT,
    invoice_created  INTEGER,
    invoice_deleted  INTEGER NOT NULL,  -- 1 also while the invoice is not stored
    invoice_currency TEXT,
    PRIMARY KEY (connection_id, period_end, id)
) WITHOUT ROWID;
CREATE INDEX report_mrr_lines_by_invoice ON report_mrr_lines (connection_id, invoice);

CREATE TRIGGER report_mrr_lines_insert AFTER INSERT ON stripe_invoice_line_items
WHEN NEW.subscription IS NOT NULL AND NEW.is_deleted = 0 AND NEW.period_start IS NOT NULL AND NEW.period_end IS NOT NULL
BEGIN
    INSERT OR REPLACE INTO report_mrr_lines (connection_id, period_end, id, invoice, period_start, amount, metered, price,
        line_currency, customer, status, invoice_created, invoice_deleted, invoice_currency)
    SELECT NEW.connection_id, NEW.period_end, NEW.id, NEW.invoice, NEW.period_start,
        coalesce(NEW.amount, 0) - (SELECT coalesce(sum(json_extract(d.value, '$.amount')), 0)
            FROM json_each(NEW.data, '$.discount_amounts') d),
        coalesce(json_extract(NEW.data, '$.price.recurring.usage_type') = 'metered', 0)
            OR coalesce(json_extract(NEW.data, '$.plan.usage_type') = 'metered', 0),
        NEW.price, NEW.currency, inv.customer, inv.status, inv.created, coalesce(inv.is_deleted, 1), inv.currency
    FROM (SELECT 1) LEFT JOIN stripe_invoices inv ON inv.connection_id = NEW.connection_id AND inv.id = NEW.invoice;
END;

CREATE TRIGGER report_mrr_lines_update AFTER UPDATE ON stripe_invoice_line_items
WHEN OLD.data IS NOT NEW.data OR OLD.is_deleted IS NOT NEW.is_deleted OR OLD.period_start IS NOT NEW.period_start
    OR OLD.period_end IS NOT NEW.period_end OR OLD.amount IS NOT NEW.amount OR OLD.subscription IS NOT NEW.subscription
    OR OLD.invoice IS NOT NEW.invoice OR OLD.price IS NOT NEW.price OR OLD.currency IS NOT NEW.currency
    OR OLD.connection_id IS NOT NEW.connection_id
BEGIN
    DELETE FROM report_mrr_lines WHERE connection_id = OLD.connection_id AND period_end = OLD.period_end AND id = OLD.id;
    INSERT OR REPLACE INTO report_mrr_lines (connection_id, period_end, id, invoice, period_start, amount, metered, price,
        line_currency, customer, status, invoice_created, invoice_deleted, invoice_currency)
    SELECT NEW.connection_id, NEW.period_end, NEW.id, NEW.invoice, NEW.period_start,
        coalesce(NEW.amount, 0) - (SELECT coalesce(sum(json_extract(d.value, '$.amount')), 0)
            FROM json_each(NEW.data, '$.discount_amounts') d),
        coalesce(json_extract(NEW.data, '$.price.recurring.usage_type') = 'metered', 0)
            OR coalesce(json_extract(NEW.data, '$.plan.usage_type') = 'metered', 0),
        NEW.price, NEW.currency, inv.customer, inv.status, inv.created, coalesce(inv.is_deleted, 1), inv.currency
    FROM (SELECT 1) LEFT JOIN stripe_invoices inv ON inv.connection_id = NEW.connection_id AND inv.id = NEW.invoice
    WHERE NEW.subscription IS NOT NULL AND NEW.is_deleted = 0 AND NEW.period_start IS NOT NULL AND NEW.period_end IS NOT NULL;
END;

CREATE TRIGGER report_mrr_lines_delete AFTER DELETE ON stripe_invoice_line_items
BEGIN
    DELETE FROM report_mrr_lines WHERE connection_id = OLD.connection_id AND period_end = OLD.period_end AND id = OLD.id;
END;

CREATE TRIGGER report_mrr_lines_invoice_insert AFTER INSERT ON stripe_invoices
BEGIN
    UPDATE report_mrr_lines SET customer = NEW.customer, status = NEW.status, invoice_created = NEW.created,
        invoice_deleted = NEW.is_deleted, invoice_currency = NEW.currency
    WHERE connection_id = NEW.connection_id AND invoice = NEW.id;
END;

CREATE TRIGGER report_mrr_lines_invoice_update AFTER UPDATE OF connection_id, customer, status, created, is_deleted, currency ON stripe_invoices
WHEN OLD.customer IS NOT NEW.customer OR OLD.status IS NOT NEW.status OR OLD.created IS NOT NEW.created
    OR OLD.is_deleted IS NOT NEW.is_deleted OR OLD.currency IS NOT NEW.currency OR OLD.connection_id IS NOT NEW.connection_id
BEGIN
    UPDATE report_mrr_lines SET customer = NEW.customer, status = NEW.status, invoice_created = NEW.created,
        invoice_deleted = NEW.is_deleted, invoice_currency = NEW.currency
    WHERE connection_id = NEW.connection_id AND invoice = NEW.id;
END;

CREATE TRIGGER report_mrr_lines_invoice_delete AFTER DELETE ON stripe_invoices
BEGIN
    UPDATE report_mrr_lines SET invoice_deleted = 1 WHERE connection_id = OLD.connection_id AND invoice = OLD.id;
END;

CREATE TRIGGER report_mrr_lines_connection_delete AFTER DELETE ON connections
BEGIN
    DELETE FROM report_mrr_lines WHERE connection_id = OLD.id;
END;

INSERT INTO report_mrr_lines (connection_id, period_end, id, invoice, period_start, amount, metered, price,
    line_currency, customer, status, invoice_created, invoice_deleted, invoice_currency)
SELECT l.connection_id, l.period_end, l.id, l.invoice, l.period_start,
    coalesce(l.amount, 0) - (SELECT coalesce(sum(json_extract(d.value, '$.amount')), 0)
        FROM json_each(l.data, '$.discount_amounts') d),
    coalesce(json_extract(l.data, '$.price.recurring.usage_type') = 'metered', 0)
        OR coalesce(json_extract(l.data, '$.plan.usage_type') = 'metered', 0),
    l.price, l.currency, inv.customer, inv.status, inv.created, coalesce(inv.is_deleted, 1), inv.currency
FROM stripe_invoice_line_items l
LEFT JOIN stripe_invoices inv ON inv.connection_id = l.connection_id AND inv.id = l.invoice
WHERE l.subscription IS NOT NULL AND l.is_deleted = 0 AND l.period_start IS NOT NULL AND l.period_end IS NOT NULL;

-- Whether a customer had a subscription invoice before an instant (a
-- subscriber who comes back is a reactivation, not new): the invoices that
-- count, by customer, holding all the question reads.
CREATE INDEX stripe_invoices_subscribed ON stripe_invoices (connection_id, customer, created, currency)
    WHERE is_deleted = 0 AND status IN ('paid', 'open') AND subscription IS NOT NULL AND subtotal > 0;
