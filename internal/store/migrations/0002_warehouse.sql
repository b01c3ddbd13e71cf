-- The warehouse: one table per Stripe object type, stripe_<plural>, as the
-- registry in internal/warehouse describes them (a test checks that these
-- tables match it, and docs/schema.md is generated from it).
--
-- Every table starts with the same columns: connection_id, id, created
-- (unix seconds, NULL where the type has none), livemode, is_deleted,
-- synced_at (RFC 3339 UTC text), version (unix ms of the state the row
-- holds; a write with a smaller version never replaces it); then its typed
-- columns; then data, the object as compact JSON without nulls, for
-- json_extract. Deleting a connection record deletes its rows (CASCADE).
--
-- Indexes are few on purpose: each costs bytes per row, and a charge must
-- fit in 2 KB with its indexes. The primary key; (connection_id, created)
-- where objects have a created time, for paging newest first and date
-- filters (status filters ride on it); the parent id of child rows; the
-- customer of invoices and subscriptions; and a partial index of deleted
-- rows, which keeps counting them cheap (live = all − deleted). Joins to
-- another object's id use that table's primary key. The primary key's id
-- and created are DESC because a backfill writes newest first and Stripe's
-- ids sort by time: so its inserts append to the indexes, which stay full
-- (ascending, index pages end half empty: nearly twice the bytes).
--
-- livemode is the object's, or the connection's when the object leaves it
-- out.

-- Customers: the people and companies who pay.
CREATE TABLE stripe_customers (
    connection_id          TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id                     TEXT NOT NULL,
    created                INTEGER,
    livemode               INTEGER NOT NULL,
    is_deleted             INTEGER NOT NULL DEFAULT 0,
    synced_at              TEXT NOT NULL,
    version                INTEGER NOT NULL,
    email                  TEXT,
    name                   TEXT,
    phone                  TEXT,
    description            TEXT,
    currency               TEXT,
    balance                INTEGER,
    delinquent             INTEGER,
    address_country        TEXT,
    default_payment_method TEXT,
    data                   TEXT NOT NULL,
    PRIMARY KEY (connection_id, id DESC)
);
CREATE INDEX stripe_customers_by_created ON stripe_customers (connection_id, created DESC);
CREATE INDEX stripe_customers_deleted ON stripe_customers (connection_id) WHERE is_deleted = 1;

-- Charges: attempts to move money from a card or account.
CREATE TABLE stripe_charges (
    connection_id       TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id                  TEXT NOT NULL,
    created             INTEGER,
    livemode            INTEGER NOT NULL,
    is_deleted          INTEGER NOT NULL DEFAULT 0,
    synced_at           TEXT NOT NULL,
    version             INTEGER NOT NULL,
    amount              INTEGER,
    amount_captured     INTEGER,
    amount_refunded     INTEGER,
    currency            TEXT,
    status              TEXT,
    paid                INTEGER,
    captured            INTEGER,
    refunded            INTEGER,
    disputed            INTEGER,
    customer            TEXT,
    invoice             TEXT,
    payment_intent      TEXT,
    balance_transaction TEXT,
    payment_method_type TEXT,
    card_brand          TEXT,
    failure_code        TEXT,
    description         TEXT,
    data                TEXT NOT NULL,
    PRIMARY KEY (connection_id, id DESC)
);
CREATE INDEX stripe_charges_by_created ON stripe_charges (connection_id, created DESC);
CREATE INDEX stripe_charges_deleted ON stripe_charges (connection_id) WHERE is_deleted = 1;

-- Refunds of charges.
CREATE TABLE stripe_refunds (
    connection_id       TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id                  TEXT NOT NULL,
    created             INTEGER,
    livemode            INTEGER NOT NULL,
    is_deleted          INTEGER NOT NULL DEFAULT 0,
    synced_at           TEXT NOT NULL,
    version             INTEGER NOT NULL,
    amount              INTEGER,
    currency            TEXT,
    status              TEXT,
    reason              TEXT,
    charge              TEXT,
    payment_intent      TEXT,
    balance_transaction TEXT,
    failure_reason      TEXT,
    data                TEXT NOT NULL,
    PRIMARY KEY (connection_id, id DESC)
);
CREATE INDEX stripe_refunds_by_created ON stripe_refunds (connection_id, created DESC);
CREATE INDEX stripe_refunds_deleted ON stripe_refunds (connection_id) WHERE is_deleted = 1;

-- PaymentIntents: the life of one payment, across its charges.
CREATE TABLE stripe_payment_intents (
    connection_id       TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id                  TEXT NOT NULL,
    created             INTEGER,
    livemode            INTEGER NOT NULL,
    is_deleted          INTEGER NOT NULL DEFAULT 0,
    synced_at           TEXT NOT NULL,
    version             INTEGER NOT NULL,
    amount              INTEGER,
    amount_received     INTEGER,
    amount_capturable   INTEGER,
    currency            TEXT,
    status              TEXT,
    customer            TEXT,
    invoice             TEXT,
    latest_charge       TEXT,
    payment_method      TEXT,
    capture_method      TEXT,
    description         TEXT,
    canceled_at         INTEGER,
    cancellation_reason TEXT,
    data                TEXT NOT NULL,
    PRIMARY KEY (connection_id, id DESC)
);
CREATE INDEX stripe_payment_intents_by_created ON stripe_payment_intents (connection_id, created DESC);
CREATE INDEX stripe_payment_intents_deleted ON stripe_payment_intents (connection_id) WHERE is_deleted = 1;

-- Balance transactions: every movement of the Stripe balance, with its fees. Stripe sends no events for them; a sync lists them by created range.
CREATE TABLE stripe_balance_transactions (
    connection_id      TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id                 TEXT NOT NULL,
    created            INTEGER,
    livemode           INTEGER NOT NULL,
    is_deleted         INTEGER NOT NULL DEFAULT 0,
    synced_at          TEXT NOT NULL,
    version            INTEGER NOT NULL,
    type               TEXT,
    reporting_category TEXT,
    amount             INTEGER,
    fee                INTEGER,
    net                INTEGER,
    currency           TEXT,
    status             TEXT,
    available_on       INTEGER,
    source             TEXT,
    description        TEXT,
    exchange_rate      REAL,
    data               TEXT NOT NULL,
    PRIMARY KEY (connection_id, id DESC)
);
CREATE INDEX stripe_balance_transactions_by_created ON stripe_balance_transactions (connection_id, created DESC);
CREATE INDEX stripe_balance_transactions_deleted ON stripe_balance_transactions (connection_id) WHERE is_deleted = 1;

-- Payouts from the Stripe balance to a bank account or card.
CREATE TABLE stripe_payouts (
    connection_id         TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id                    TEXT NOT NULL,
    created               INTEGER,
    livemode              INTEGER NOT NULL,
    is_deleted            INTEGER NOT NULL DEFAULT 0,
    synced_at             TEXT NOT NULL,
    version               INTEGER NOT NULL,
    amount                INTEGER,
    currency              TEXT,
    status                TEXT,
    arrival_date          INTEGER,
    type                  TEXT,
    method                TEXT,
    automatic             INTEGER,
    destination           TEXT,
    balance_transaction   TEXT,
    failure_code          TEXT,
    reconciliation_status TEXT,
    description           TEXT,
    data                  TEXT NOT NULL,
    PRIMARY KEY (connection_id, id DESC)
);
CREATE INDEX stripe_payouts_by_created ON stripe_payouts (connection_id, created DESC);
CREATE INDEX stripe_payouts_deleted ON stripe_payouts (connection_id) WHERE is_deleted = 1;

-- Disputes (chargebacks) of charges.
CREATE TABLE stripe_disputes (
    connection_id        TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id                   TEXT NOT NULL,
    created              INTEGER,
    livemode             INTEGER NOT NULL,
    is_deleted           INTEGER NOT NULL DEFAULT 0,
    synced_at            TEXT NOT NULL,
    version              INTEGER NOT NULL,
    amount               INTEGER,
    currency             TEXT,
    status               TEXT,
    reason               TEXT,
    charge               TEXT,
    payment_intent       TEXT,
    is_charge_refundable INTEGER,
    evidence_due_by      INTEGER,
    data                 TEXT NOT NULL,
    PRIMARY KEY (connection_id, id DESC)
);
CREATE INDEX stripe_disputes_by_created ON stripe_disputes (connection_id, created DESC);
CREATE INDEX stripe_disputes_deleted ON stripe_disputes (connection_id) WHERE is_deleted = 1;

-- Events: what changed in the account. Stripe keeps the last 30 days; rows stay here after Stripe drops them.
CREATE TABLE stripe_events (
    connection_id    TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id               TEXT NOT NULL,
    created          INTEGER,
    livemode         INTEGER NOT NULL,
    is_deleted       INTEGER NOT NULL DEFAULT 0,
    synced_at        TEXT NOT NULL,
    version          INTEGER NOT NULL,
    type             TEXT,
    object_type      TEXT,
    object_id        TEXT,
    api_version      TEXT,
    request_id       TEXT,
    pending_webhooks INTEGER,
    data             TEXT NOT NULL,
    PRIMARY KEY (connection_id, id DESC)
);
CREATE INDEX stripe_events_by_created ON stripe_events (connection_id, created DESC);
CREATE INDEX stripe_events_deleted ON stripe_events (connection_id) WHERE is_deleted = 1;

-- Products: what the business sells.
CREATE TABLE stripe_products (
    connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id            TEXT NOT NULL,
    created       INTEGER,
    livemode      INTEGER NOT NULL,
    is_deleted    INTEGER NOT NULL DEFAULT 0,
    synced_at     TEXT NOT NULL,
    version       INTEGER NOT NULL,
    name          TEXT,
    description   TEXT,
    active        INTEGER,
    type          TEXT,
    default_price TEXT,
    unit_label    TEXT,
    updated       INTEGER,
    data          TEXT NOT NULL,
    PRIMARY KEY (connection_id, id DESC)
);
CREATE INDEX stripe_products_by_created ON stripe_products (connection_id, created DESC);
CREATE INDEX stripe_products_deleted ON stripe_products (connection_id) WHERE is_deleted = 1;

-- Prices: how much and how often a product costs.
CREATE TABLE stripe_prices (
    connection_id            TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id                       TEXT NOT NULL,
    created                  INTEGER,
    livemode                 INTEGER NOT NULL,
    is_deleted               INTEGER NOT NULL DEFAULT 0,
    synced_at                TEXT NOT NULL,
    version                  INTEGER NOT NULL,
    product                  TEXT,
    active                   INTEGER,
    currency                 TEXT,
    unit_amount              INTEGER,
    type                     TEXT,
    billing_scheme           TEXT,
    recurring_interval       TEXT,
    recurring_interval_count INTEGER,
    nickname                 TEXT,
    lookup_key               TEXT,
    tax_behavior             TEXT,
    data                     TEXT NOT NULL,
    PRIMARY KEY (connection_id, id DESC)
);
CREATE INDEX stripe_prices_by_created ON stripe_prices (connection_id, created DESC);
CREATE INDEX stripe_prices_deleted ON stripe_prices (connection_id) WHERE is_deleted = 1;

-- Plans: the older form of recurring prices.
CREATE TABLE stripe_plans (
    connection_id     TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id                TEXT NOT NULL,
    created           INTEGER,
    livemode          INTEGER NOT NULL,
    is_deleted        INTEGER NOT NULL DEFAULT 0,
    synced_at         TEXT NOT NULL,
    version           INTEGER NOT NULL,
    product           TEXT,
    active            INTEGER,
    amount            INTEGER,
    currency          TEXT,
    interval          TEXT,
    interval_count    INTEGER,
    usage_type        TEXT,
    billing_scheme    TEXT,
    nickname          TEXT,
    trial_period_days INTEGER,
    data              TEXT NOT NULL,
    PRIMARY KEY (connection_id, id DESC)
);
CREATE INDEX stripe_plans_by_created ON stripe_plans (connection_id, created DESC);
CREATE INDEX stripe_plans_deleted ON stripe_plans (connection_id) WHERE is_deleted = 1;

-- Coupons: discounts for invoices and subscriptions.
CREATE TABLE stripe_coupons (
    connection_id      TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id                 TEXT NOT NULL,
    created            INTEGER,
    livemode           INTEGER NOT NULL,
    is_deleted         INTEGER NOT NULL DEFAULT 0,
    synced_at          TEXT NOT NULL,
    version            INTEGER NOT NULL,
    name               TEXT,
    amount_off         INTEGER,
    percent_off        REAL,
    currency           TEXT,
    duration           TEXT,
    duration_in_months INTEGER,
    max_redemptions    INTEGER,
    times_redeemed     INTEGER,
    redeem_by          INTEGER,
    valid              INTEGER,
    data               TEXT NOT NULL,
    PRIMARY KEY (connection_id, id DESC)
);
CREATE INDEX stripe_coupons_by_created ON stripe_coupons (connection_id, created DESC);
CREATE INDEX stripe_coupons_deleted ON stripe_coupons (connection_id) WHERE is_deleted = 1;

-- Invoices. Their line items are in stripe_invoice_line_items, written with the invoice.
CREATE TABLE stripe_invoices (
    connection_id     TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id                TEXT NOT NULL,
    created           INTEGER,
    livemode          INTEGER NOT NULL,
    is_deleted        INTEGER NOT NULL DEFAULT 0,
    synced_at         TEXT NOT NULL,
    version           INTEGER NOT NULL,
    number            TEXT,
    status            TEXT,
    customer          TEXT,
    customer_email    TEXT,
    customer_name     TEXT,
    subscription      TEXT,
    charge            TEXT,
    payment_intent    TEXT,
    currency          TEXT,
    amount_due        INTEGER,
    amount_paid       INTEGER,
    amount_remaining  INTEGER,
    subtotal          INTEGER,
    total             INTEGER,
    paid              INTEGER,
    billing_reason    TEXT,
    collection_method TEXT,
    period_start      INTEGER,
    period_end        INTEGER,
    due_date          INTEGER,
    paid_at           INTEGER,
    description       TEXT,
    data              TEXT NOT NULL,
    PRIMARY KEY (connection_id, id DESC)
);
CREATE INDEX stripe_invoices_by_created ON stripe_invoices (connection_id, created DESC);
CREATE INDEX stripe_invoices_by_customer ON stripe_invoices (connection_id, customer);
CREATE INDEX stripe_invoices_deleted ON stripe_invoices (connection_id) WHERE is_deleted = 1;

-- Line items of invoices, replaced whenever their invoice is written: a line no longer on the invoice, or of a deleted invoice, has is_deleted = 1. No created time.
CREATE TABLE stripe_invoice_line_items (
    connection_id     TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id                TEXT NOT NULL,
    created           INTEGER,
    livemode          INTEGER NOT NULL,
    is_deleted        INTEGER NOT NULL DEFAULT 0,
    synced_at         TEXT NOT NULL,
    version           INTEGER NOT NULL,
    invoice           TEXT,
    amount            INTEGER,
    currency          TEXT,
    description       TEXT,
    quantity          INTEGER,
    type              TEXT,
    subscription      TEXT,
    subscription_item TEXT,
    invoice_item      TEXT,
    price             TEXT,
    period_start      INTEGER,
    period_end        INTEGER,
    proration         INTEGER,
    discountable      INTEGER,
    data              TEXT NOT NULL,
    PRIMARY KEY (connection_id, id DESC)
);
CREATE INDEX stripe_invoice_line_items_by_invoice ON stripe_invoice_line_items (connection_id, invoice);
CREATE INDEX stripe_invoice_line_items_deleted ON stripe_invoice_line_items (connection_id) WHERE is_deleted = 1;

-- Credit notes: amounts credited back on finalized invoices.
CREATE TABLE stripe_credit_notes (
    connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id            TEXT NOT NULL,
    created       INTEGER,
    livemode      INTEGER NOT NULL,
    is_deleted    INTEGER NOT NULL DEFAULT 0,
    synced_at     TEXT NOT NULL,
    version       INTEGER NOT NULL,
    number        TEXT,
    invoice       TEXT,
    customer      TEXT,
    amount        INTEGER,
    total         INTEGER,
    currency      TEXT,
    status        TEXT,
    type          TEXT,
    reason        TEXT,
    memo          TEXT,
    effective_at  INTEGER,
    voided_at     INTEGER,
    data          TEXT NOT NULL,
    PRIMARY KEY (connection_id, id DESC)
);
CREATE INDEX stripe_credit_notes_by_created ON stripe_credit_notes (connection_id, created DESC);
CREATE INDEX stripe_credit_notes_deleted ON stripe_credit_notes (connection_id) WHERE is_deleted = 1;

-- Subscriptions, of any status (the list asks for status=all). Their items are in stripe_subscription_items, written with the subscription.
CREATE TABLE stripe_subscriptions (
    connection_id          TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id                     TEXT NOT NULL,
    created                INTEGER,
    livemode               INTEGER NOT NULL,
    is_deleted             INTEGER NOT NULL DEFAULT 0,
    synced_at              TEXT NOT NULL,
    version                INTEGER NOT NULL,
    customer               TEXT,
    status                 TEXT,
    currency               TEXT,
    current_period_start   INTEGER,
    current_period_end     INTEGER,
    start_date             INTEGER,
    trial_start            INTEGER,
    trial_end              INTEGER,
    cancel_at_period_end   INTEGER,
    cancel_at              INTEGER,
    canceled_at            INTEGER,
    ended_at               INTEGER,
    collection_method      TEXT,
    latest_invoice         TEXT,
    default_payment_method TEXT,
    description            TEXT,
    data                   TEXT NOT NULL,
    PRIMARY KEY (connection_id, id DESC)
);
CREATE INDEX stripe_subscriptions_by_created ON stripe_subscriptions (connection_id, created DESC);
CREATE INDEX stripe_subscriptions_by_customer ON stripe_subscriptions (connection_id, customer);
CREATE INDEX stripe_subscriptions_deleted ON stripe_subscriptions (connection_id) WHERE is_deleted = 1;

-- Items of subscriptions, replaced whenever their subscription is written: an item no longer on it, or of a deleted subscription, has is_deleted = 1.
CREATE TABLE stripe_subscription_items (
    connection_id        TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id                   TEXT NOT NULL,
    created              INTEGER,
    livemode             INTEGER NOT NULL,
    is_deleted           INTEGER NOT NULL DEFAULT 0,
    synced_at            TEXT NOT NULL,
    version              INTEGER NOT NULL,
    subscription         TEXT,
    price                TEXT,
    product              TEXT,
    quantity             INTEGER,
    current_period_start INTEGER,
    current_period_end   INTEGER,
    data                 TEXT NOT NULL,
    PRIMARY KEY (connection_id, id DESC)
);
CREATE INDEX stripe_subscription_items_by_created ON stripe_subscription_items (connection_id, created DESC);
CREATE INDEX stripe_subscription_items_by_subscription ON stripe_subscription_items (connection_id, subscription);
CREATE INDEX stripe_subscription_items_deleted ON stripe_subscription_items (connection_id) WHERE is_deleted = 1;

