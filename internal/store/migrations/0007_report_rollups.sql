-- Hourly rollups for the money report (internal/reports, totals): per
-- connection, UTC hour (the unix second it starts) and currency, the sums
-- its queries would otherwise add up from every row of a period. A period's
-- figures are its whole hours from here plus the minutes at its edges from
-- the rows themselves (days follow the computer's zone, so an edge need not
-- be on the hour).
--
-- Triggers keep them: every insert, update and delete of a summarized row
-- moves its contribution (out of the old hour, currency and status, into the
-- new ones) in the statement that changed the row, so a rollup is always in
-- the same transaction as its rows, and a rolled-back page leaves both as
-- they were. Only the columns a figure reads fire them, and only when one
-- changed: a re-sync that rewrites a row unchanged costs nothing more.
--
-- The rollups have no foreign key: deleting a connection deletes its rows,
-- whose triggers then subtract from rollup rows that the connection's own
-- trigger deletes (in whichever order SQLite runs the two).

-- Succeeded charges: how many, their amount, how many were paid by card.
CREATE TABLE report_charges_hourly (
    connection_id TEXT NOT NULL,
    hour          INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    payments      INTEGER NOT NULL,
    gross         INTEGER NOT NULL,
    card_payments INTEGER NOT NULL,
    PRIMARY KEY (connection_id, hour, currency)
) WITHOUT ROWID;

-- Succeeded refunds' amount.
CREATE TABLE report_refunds_hourly (
    connection_id TEXT NOT NULL,
    hour          INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    refunds       INTEGER NOT NULL,
    PRIMARY KEY (connection_id, hour, currency)
) WITHOUT ROWID;

-- Disputes that are no inquiry (status not warning_*): how many, and the
-- amount of those lost.
CREATE TABLE report_disputes_hourly (
    connection_id TEXT NOT NULL,
    hour          INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    disputes      INTEGER NOT NULL,
    lost          INTEGER NOT NULL,
    PRIMARY KEY (connection_id, hour, currency)
) WITHOUT ROWID;

-- New customers.
CREATE TABLE report_customers_hourly (
    connection_id TEXT NOT NULL,
    hour          INTEGER NOT NULL,
    customers     INTEGER NOT NULL,
    PRIMARY KEY (connection_id, hour)
) WITHOUT ROWID;

-- Balance transactions per settlement currency and reporting category
-- (the type where a transaction has none): amount and fee.
CREATE TABLE report_balance_hourly (
    connection_id TEXT NOT NULL,
    hour          INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    category      TEXT NOT NULL,
    amount        INTEGER NOT NULL,
    fee           INTEGER NOT NULL,
    PRIMARY KEY (connection_id, hour, currency, category)
) WITHOUT ROWID;

CREATE TRIGGER report_rollups_connection_delete AFTER DELETE ON connections
BEGIN
    DELETE FROM report_charges_hourly WHERE connection_id = OLD.id;
    DELETE FROM report_refunds_hourly WHERE connection_id = OLD.id;
    DELETE FROM report_disputes_hourly WHERE connection_id = OLD.id;
    DELETE FROM report_customers_hourly WHERE connection_id = OLD.id;
    DELETE FROM report_balance_hourly WHERE connection_id = OLD.id;
END;

-- For each summarized table: its triggers, then the rollup of the rows it
-- already holds.

CREATE TRIGGER report_charges_hourly_insert AFTER INSERT ON stripe_charges
WHEN NEW.is_deleted = 0 AND NEW.status = 'succeeded' AND NEW.created IS NOT NULL
BEGIN
    INSERT INTO report_charges_hourly (connection_id, hour, currency, payments, gross, card_payments)
        SELECT NEW.connection_id, NEW.created / 3600 * 3600, coalesce(NEW.currency, ''), 1, coalesce(NEW.amount, 0), (NEW.payment_method_type IS 'card')
        WHERE 1
        ON CONFLICT (connection_id, hour, currency) DO UPDATE SET payments = payments + excluded.payments, gross = gross + excluded.gross, card_payments = card_payments + excluded.card_payments;
END;

CREATE TRIGGER report_charges_hourly_update AFTER UPDATE OF connection_id, created, is_deleted, status, currency, amount, payment_method_type ON stripe_charges
WHEN (OLD.connection_id IS NOT NEW.connection_id OR OLD.created IS NOT NEW.created OR OLD.is_deleted IS NOT NEW.is_deleted OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount OR OLD.payment_method_type IS NOT NEW.payment_method_type)
  AND ((OLD.is_deleted = 0 AND OLD.status = 'succeeded' AND OLD.created IS NOT NULL) OR (NEW.is_deleted = 0 AND NEW.status = 'succeeded' AND NEW.created IS NOT NULL))
BEGIN
    INSERT INTO report_charges_hourly (connection_id, hour, currency, payments, gross, card_payments)
        SELECT OLD.connection_id, OLD.created / 3600 * 3600, coalesce(OLD.currency, ''), -1, -coalesce(OLD.amount, 0), -(OLD.payment_method_type IS 'card')
        WHERE OLD.is_deleted = 0 AND OLD.status = 'succeeded' AND OLD.created IS NOT NULL
        ON CONFLICT (connection_id, hour, currency) DO UPDATE SET payments = payments + excluded.payments, gross = gross + excluded.gross, card_payments = card_payments + excluded.card_payments;
    INSERT INTO report_charges_hourly (connection_id, hour, currency, payments, gross, card_payments)
        SELECT NEW.connection_id, NEW.created / 3600 * 3600, coalesce(NEW.currency, ''), 1, coalesce(NEW.amount, 0), (NEW.payment_method_type IS 'card')
        WHERE NEW.is_deleted = 0 AND NEW.status = 'succeeded' AND NEW.created IS NOT NULL
        ON CONFLICT (connection_id, hour, currency) DO UPDATE SET payments = payments + excluded.payments, gross = gross + excluded.gross, card_payments = card_payments + excluded.card_payments;
END;

CREATE TRIGGER report_charges_hourly_delete AFTER DELETE ON stripe_charges
WHEN OLD.is_deleted = 0 AND OLD.status = 'succeeded' AND OLD.created IS NOT NULL
BEGIN
    UPDATE report_charges_hourly SET payments = payments - 1, gross = gross - coalesce(OLD.amount, 0), card_payments = card_payments - (OLD.payment_method_type IS 'card')
        WHERE connection_id = OLD.connection_id AND hour = OLD.created / 3600 * 3600 AND currency = coalesce(OLD.currency, '');
END;

INSERT INTO report_charges_hourly (connection_id, hour, currency, payments, gross, card_payments)
    SELECT s.connection_id, s.created / 3600 * 3600, coalesce(s.currency, ''), count(*), sum(coalesce(s.amount, 0)), sum((s.payment_method_type IS 'card'))
    FROM stripe_charges s WHERE s.is_deleted = 0 AND s.status = 'succeeded' AND s.created IS NOT NULL
    GROUP BY 1, 2, 3;

CREATE TRIGGER report_refunds_hourly_insert AFTER INSERT ON stripe_refunds
WHEN NEW.is_deleted = 0 AND NEW.status = 'succeeded' AND NEW.created IS NOT NULL
BEGIN
    INSERT INTO report_refunds_hourly (connection_id, hour, currency, refunds)
        SELECT NEW.connection_id, NEW.created / 3600 * 3600, coalesce(NEW.currency, ''), coalesce(NEW.amount, 0)
        WHERE 1
        ON CONFLICT (connection_id, hour, currency) DO UPDATE SET refunds = refunds + excluded.refunds;
END;

CREATE TRIGGER report_refunds_hourly_update AFTER UPDATE OF connection_id, created, is_deleted, status, currency, amount ON stripe_refunds
WHEN (OLD.connection_id IS NOT NEW.connection_id OR OLD.created IS NOT NEW.created OR OLD.is_deleted IS NOT NEW.is_deleted OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount)
  AND ((OLD.is_deleted = 0 AND OLD.status = 'succeeded' AND OLD.created IS NOT NULL) OR (NEW.is_deleted = 0 AND NEW.status = 'succeeded' AND NEW.created IS NOT NULL))
BEGIN
    INSERT INTO report_refunds_hourly (connection_id, hour, currency, refunds)
        SELECT OLD.connection_id, OLD.created / 3600 * 3600, coalesce(OLD.currency, ''), -coalesce(OLD.amount, 0)
        WHERE OLD.is_deleted = 0 AND OLD.status = 'succeeded' AND OLD.created IS NOT NULL
        ON CONFLICT (connection_id, hour, currency) DO UPDATE SET refunds = refunds + excluded.refunds;
    INSERT INTO report_refunds_hourly (connection_id, hour, currency, refunds)
        SELECT NEW.connection_id, NEW.created / 3600 * 3600, coalesce(NEW.currency, ''), coalesce(NEW.amount, 0)
        WHERE NEW.is_deleted = 0 AND NEW.status = 'succeeded' AND NEW.created IS NOT NULL
        ON CONFLICT (connection_id, hour, currency) DO UPDATE SET refunds = refunds + excluded.refunds;
END;

CREATE TRIGGER report_refunds_hourly_delete AFTER DELETE ON stripe_refunds
WHEN OLD.is_deleted = 0 AND OLD.status = 'succeeded' AND OLD.created IS NOT NULL
BEGIN
    UPDATE report_refunds_hourly SET refunds = refunds - coalesce(OLD.amount, 0)
        WHERE connection_id = OLD.connection_id AND hour = OLD.created / 3600 * 3600 AND currency = coalesce(OLD.currency, '');
END;

INSERT INTO report_refunds_hourly (connection_id, hour, currency, refunds)
    SELECT s.connection_id, s.created / 3600 * 3600, coalesce(s.currency, ''), sum(coalesce(s.amount, 0))
    FROM stripe_refunds s WHERE s.is_deleted = 0 AND s.status = 'succeeded' AND s.created IS NOT NULL
    GROUP BY 1, 2, 3;

CREATE TRIGGER report_disputes_hourly_insert AFTER INSERT ON stripe_disputes
WHEN NEW.is_deleted = 0 AND coalesce(NEW.status, '') NOT LIKE 'warning%' AND NEW.created IS NOT NULL
BEGIN
    INSERT INTO report_disputes_hourly (connection_id, hour, currency, disputes, lost)
        SELECT NEW.connection_id, NEW.created / 3600 * 3600, coalesce(NEW.currency, ''), 1, CASE WHEN NEW.status = 'lost' THEN coalesce(NEW.amount, 0) ELSE 0 END
        WHERE 1
        ON CONFLICT (connection_id, hour, currency) DO UPDATE SET disputes = disputes + excluded.disputes, lost = lost + excluded.lost;
END;

CREATE TRIGGER report_disputes_hourly_update AFTER UPDATE OF connection_id, created, is_deleted, status, currency, amount ON stripe_disputes
WHEN (OLD.connection_id IS NOT NEW.connection_id OR OLD.created IS NOT NEW.created OR OLD.is_deleted IS NOT NEW.is_deleted OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount)
  AND ((OLD.is_deleted = 0 AND coalesce(OLD.status, '') NOT LIKE 'warning%' AND OLD.created IS NOT NULL) OR (NEW.is_deleted = 0 AND coalesce(NEW.status, '') NOT LIKE 'warning%' AND NEW.created IS NOT NULL))
BEGIN
    INSERT INTO report_disputes_hourly (connection_id, hour, currency, disputes, lost)
        SELECT OLD.connection_id, OLD.created / 3600 * 3600, coalesce(OLD.currency, ''), -1, -CASE WHEN OLD.status = 'lost' THEN coalesce(OLD.amount, 0) ELSE 0 END
        WHERE OLD.is_deleted = 0 AND coalesce(OLD.status, '') NOT LIKE 'warning%' AND OLD.created IS NOT NULL
        ON CONFLICT (connection_id, hour, currency) DO UPDATE SET disputes = disputes + excluded.disputes, lost = lost + excluded.lost;
    INSERT INTO report_disputes_hourly (connection_id, hour, currency, disputes, lost)
        SELECT NEW.connection_id, NEW.created / 3600 * 3600, coalesce(NEW.currency, ''), 1, CASE WHEN NEW.status = 'lost' THEN coalesce(NEW.amount, 0) ELSE 0 END
        WHERE NEW.is_deleted = 0 AND coalesce(NEW.status, '') NOT LIKE 'warning%' AND NEW.created IS NOT NULL
        ON CONFLICT (connection_id, hour, currency) DO UPDATE SET disputes = disputes + excluded.disputes, lost = lost + excluded.lost;
END;

CREATE TRIGGER report_disputes_hourly_delete AFTER DELETE ON stripe_disputes
WHEN OLD.is_deleted = 0 AND coalesce(OLD.status, '') NOT LIKE 'warning%' AND OLD.created IS NOT NULL
BEGIN
    UPDATE report_disputes_hourly SET disputes = disputes - 1, lost = lost - CASE WHEN OLD.status = 'lost' THEN coalesce(OLD.amount, 0) ELSE 0 END
        WHERE connection_id = OLD.connection_id AND hour = OLD.created / 3600 * 3600 AND currency = coalesce(OLD.currency, '');
END;

INSERT INTO report_disputes_hourly (connection_id, hour, currency, disputes, lost)
    SELECT s.connection_id, s.created / 3600 * 3600, coalesce(s.currency, ''), count(*), sum(CASE WHEN s.status = 'lost' THEN coalesce(s.amount, 0) ELSE 0 END)
    FROM stripe_disputes s WHERE s.is_deleted = 0 AND coalesce(s.status, '') NOT LIKE 'warning%' AND s.created IS NOT NULL
    GROUP BY 1, 2, 3;

CREATE TRIGGER report_customers_hourly_insert AFTER INSERT ON stripe_customers
WHEN NEW.is_deleted = 0 AND NEW.created IS NOT NULL
BEGIN
    INSERT INTO report_customers_hourly (connection_id, hour, customers)
        SELECT NEW.connection_id, NEW.created / 3600 * 3600, 1
        WHERE 1
        ON CONFLICT (connection_id, hour) DO UPDATE SET customers = customers + excluded.customers;
END;

CREATE TRIGGER report_customers_hourly_update AFTER UPDATE OF connection_id, created, is_deleted ON stripe_customers
WHEN (OLD.connection_id IS NOT NEW.connection_id OR OLD.created IS NOT NEW.created OR OLD.is_deleted IS NOT NEW.is_deleted)
  AND ((OLD.is_deleted = 0 AND OLD.created IS NOT NULL) OR (NEW.is_deleted = 0 AND NEW.created IS NOT NULL))
BEGIN
    INSERT INTO report_customers_hourly (connection_id, hour, customers)
        SELECT OLD.connection_id, OLD.created / 3600 * 3600, -1
        WHERE OLD.is_deleted = 0 AND OLD.created IS NOT NULL
        ON CONFLICT (connection_id, hour) DO UPDATE SET customers = customers + excluded.customers;
    INSERT INTO report_customers_hourly (connection_id, hour, customers)
        SELECT NEW.connection_id, NEW.created / 3600 * 3600, 1
        WHERE NEW.is_deleted = 0 AND NEW.created IS NOT NULL
        ON CONFLICT (connection_id, hour) DO UPDATE SET customers = customers + excluded.customers;
END;

CREATE TRIGGER report_customers_hourly_delete AFTER DELETE ON stripe_customers
WHEN OLD.is_deleted = 0 AND OLD.created IS NOT NULL
BEGIN
    UPDATE report_customers_hourly SET customers = customers - 1
        WHERE connection_id = OLD.connection_id AND hour = OLD.created / 3600 * 3600;
END;

INSERT INTO report_customers_hourly (connection_id, hour, customers)
    SELECT s.connection_id, s.created / 3600 * 3600, count(*)
    FROM stripe_customers s WHERE s.is_deleted = 0 AND s.created IS NOT NULL
    GROUP BY 1, 2;

CREATE TRIGGER report_balance_hourly_insert AFTER INSERT ON stripe_balance_transactions
WHEN NEW.is_deleted = 0 AND NEW.created IS NOT NULL
BEGIN
    INSERT INTO report_balance_hourly (connection_id, hour, currency, category, amount, fee)
        SELECT NEW.connection_id, NEW.created / 3600 * 3600, coalesce(NEW.currency, ''), coalesce(NEW.reporting_category, NEW.type, ''), coalesce(NEW.amount, 0), coalesce(NEW.fee, 0)
        WHERE 1
        ON CONFLICT (connection_id, hour, currency, category) DO UPDATE SET amount = amount + excluded.amount, fee = fee + excluded.fee;
END;

CREATE TRIGGER report_balance_hourly_update AFTER UPDATE OF connection_id, created, is_deleted, currency, reporting_category, type, amount, fee ON stripe_balance_transactions
WHEN (OLD.connection_id IS NOT NEW.connection_id OR OLD.created IS NOT NEW.created OR OLD.is_deleted IS NOT NEW.is_deleted OR OLD.currency IS NOT NEW.currency OR OLD.reporting_category IS NOT NEW.reporting_category OR OLD.type IS NOT NEW.type OR OLD.amount IS NOT NEW.amount OR OLD.fee IS NOT NEW.fee)
  AND ((OLD.is_deleted = 0 AND OLD.created IS NOT NULL) OR (NEW.is_deleted = 0 AND NEW.created IS NOT NULL))
BEGIN
    INSERT INTO report_balance_hourly (connection_id, hour, currency, category, amount, fee)
        SELECT OLD.connection_id, OLD.created / 3600 * 3600, coalesce(OLD.currency, ''), coalesce(OLD.reporting_category, OLD.type, ''), -coalesce(OLD.amount, 0), -coalesce(OLD.fee, 0)
        WHERE OLD.is_deleted = 0 AND OLD.created IS NOT NULL
        ON CONFLICT (connection_id, hour, currency, category) DO UPDATE SET amount = amount + excluded.amount, fee = fee + excluded.fee;
    INSERT INTO report_balance_hourly (connection_id, hour, currency, category, amount, fee)
        SELECT NEW.connection_id, NEW.created / 3600 * 3600, coalesce(NEW.currency, ''), coalesce(NEW.reporting_category, NEW.type, ''), coalesce(NEW.amount, 0), coalesce(NEW.fee, 0)
        WHERE NEW.is_deleted = 0 AND NEW.created IS NOT NULL
        ON CONFLICT (connection_id, hour, currency, category) DO UPDATE SET amount = amount + excluded.amount, fee = fee + excluded.fee;
END;

CREATE TRIGGER report_balance_hourly_delete AFTER DELETE ON stripe_balance_transactions
WHEN OLD.is_deleted = 0 AND OLD.created IS NOT NULL
BEGIN
    UPDATE report_balance_hourly SET amount = amount - coalesce(OLD.amount, 0), fee = fee - coalesce(OLD.fee, 0)
        WHERE connection_id = OLD.connection_id AND hour = OLD.created / 3600 * 3600 AND currency = coalesce(OLD.currency, '') AND category = coalesce(OLD.reporting_category, OLD.type, '');
END;

INSERT INTO report_balance_hourly (connection_id, hour, currency, category, amount, fee)
    SELECT s.connection_id, s.created / 3600 * 3600, coalesce(s.currency, ''), coalesce(s.reporting_category, s.type, ''), sum(coalesce(s.amount, 0)), sum(coalesce(s.fee, 0))
    FROM stripe_balance_transactions s WHERE s.is_deleted = 0 AND s.created IS NOT NULL
    GROUP BY 1, 2, 3, 4;

