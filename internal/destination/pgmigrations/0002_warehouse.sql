-- Generated from internal/warehouse's registry by internal/destination
-- (go test ./internal/destination -run TestPGMigration -update). Do not edit.

CREATE TABLE stripe_customers (
    connection_id          text NOT NULL,
    id                     text NOT NULL,
    created                timestamptz,
    livemode               boolean NOT NULL,
    is_deleted             boolean NOT NULL DEFAULT false,
    synced_at              timestamptz NOT NULL,
    version                bigint NOT NULL,
    email                  text,
    name                   text,
    phone                  text,
    description            text,
    currency               text,
    balance                bigint,
    delinquent             boolean,
    address_country        text,
    default_payment_method text,
    data                   jsonb NOT NULL,
    PRIMARY KEY (connection_id, id)
);
CREATE INDEX stripe_customers_by_created ON stripe_customers (connection_id, created DESC);
CREATE INDEX stripe_customers_deleted ON stripe_customers (connection_id) WHERE is_deleted;

CREATE TABLE stripe_charges (
    connection_id          text NOT NULL,
    id                     text NOT NULL,
    created                timestamptz,
    livemode               boolean NOT NULL,
    is_deleted             boolean NOT NULL DEFAULT false,
    synced_at              timestamptz NOT NULL,
    version                bigint NOT NULL,
    amount                 bigint,
    amount_captured        bigint,
    amount_refunded        bigint,
    currency               text,
    status                 text,
    paid                   boolean,
    captured               boolean,
    refunded               boolean,
    disputed               boolean,
    customer               text,
    invoice                text,
    payment_intent         text,
    balance_transaction    text,
    payment_method_type    text,
    card_brand             text,
    failure_code           text,
    description            text,
    data                   jsonb NOT NULL,
    PRIMARY KEY (connection_id, id)
);
CREATE INDEX stripe_charges_by_created ON stripe_charges (connection_id, created DESC);
CREATE INDEX stripe_charges_deleted ON stripe_charges (connection_id) WHERE is_deleted;

CREATE TABLE stripe_refunds (
    connection_id          text NOT NULL,
    id                     text NOT NULL,
    created                timestamptz,
    livemode               boolean NOT NULL,
    is_deleted             boolean NOT NULL DEFAULT false,
    synced_at              timestamptz NOT NULL,
    version                bigint NOT NULL,
    amount                 bigint,
    currency               text,
    status                 text,
    reason                 text,
    charge                 text,
    payment_intent         text,
    balance_transaction    text,
    failure_reason         text,
    data                   jsonb NOT NULL,
    PRIMARY KEY (connection_id, id)
);
CREATE INDEX stripe_refunds_by_created ON stripe_refunds (connection_id, created DESC);
CREATE INDEX stripe_refunds_deleted ON stripe_refunds (connection_id) WHERE is_deleted;

CREATE TABLE stripe_payment_intents (
    connection_id          text NOT NULL,
    id                     text NOT NULL,
    created                timestamptz,
    livemode               boolean NOT NULL,
    is_deleted             boolean NOT NULL DEFAULT false,
    synced_at              timestamptz NOT NULL,
    version                bigint NOT NULL,
    amount                 bigint,
    amount_received        bigint,
    amount_capturable      bigint,
    currency               text,
    status                 text,
    customer               text,
    invoice                text,
    latest_charge          text,
    payment_method         text,
    capture_method         text,
    description            text,
    canceled_at            timestamptz,
    cancellation_reason    text,
    data                   jsonb NOT NULL,
    PRIMARY KEY (connection_id, id)
);
CREATE INDEX stripe_payment_intents_by_created ON stripe_payment_intents (connection_id, created DESC);
CREATE INDEX stripe_payment_intents_deleted ON stripe_payment_intents (connection_id) WHERE is_deleted;

CREATE TABLE stripe_balance_transactions (
    connection_id          text NOT NULL,
    id                     text NOT NULL,
    created                timestamptz,
    livemode               boolean NOT NULL,
    is_deleted             boolean NOT NULL DEFAULT false,
    synced_at              timestamptz NOT NULL,
    version                bigint NOT NULL,
    type                   text,
    reporting_category     text,
    amount                 bigint,
    fee                    bigint,
    net                    bigint,
    currency               text,
    status                 text,
    available_on           timestamptz,
    source                 text,
    description            text,
    exchange_rate          double precision,
    data                   jsonb NOT NULL,
    PRIMARY KEY (connection_id, id)
);
CREATE INDEX stripe_balance_transactions_by_created ON stripe_balance_transactions (connection_id, created DESC);
CREATE INDEX stripe_balance_transactions_deleted ON stripe_balance_transactions (connection_id) WHERE is_deleted;

CREATE TABLE stripe_payouts (
    connection_id          text NOT NULL,
    id                     text NOT NULL,
    created                timestamptz,
    livemode               boolean NOT NULL,
    is_deleted             boolean NOT NULL DEFAULT false,
    synced_at              timestamptz NOT NULL,
    version                bigint NOT NULL,
    amount                 bigint,
    currency               text,
    status                 text,
    arrival_date           timestamptz,
    type                   text,
    method                 text,
    automatic              boolean,
    destination            text,
    balance_transaction    text,
    failure_code           text,
    reconciliation_status  text,
    description            text,
    data                   jsonb NOT NULL,
    PRIMARY KEY (connection_id, id)
);
CREATE INDEX stripe_payouts_by_created ON stripe_payouts (connection_id, created DESC);
CREATE INDEX stripe_payouts_deleted ON stripe_payouts (connection_id) WHERE is_deleted;

CREATE TABLE stripe_disputes (
    connection_id          text NOT NULL,
    id                     text NOT NULL,
    created                timestamptz,
    livemode               boolean NOT NULL,
    is_deleted             boolean NOT NULL DEFAULT false,
    synced_at              timestamptz NOT NULL,
    version                bigint NOT NULL,
    amount                 bigint,
    currency               text,
    status                 text,
    reason                 text,
    charge                 text,
    payment_intent         text,
    is_charge_refundable   boolean,
    evidence_due_by        timestamptz,
    data                   jsonb NOT NULL,
    PRIMARY KEY (connection_id, id)
);
CREATE INDEX stripe_disputes_by_created ON stripe_disputes (connection_id, created DESC);
CREATE INDEX stripe_disputes_deleted ON stripe_disputes (connection_id) WHERE is_deleted;

CREATE TABLE stripe_events (
    connection_id          text NOT NULL,
    id                     text NOT NULL,
    created                timestamptz,
    livemode               boolean NOT NULL,
    is_deleted             boolean NOT NULL DEFAULT false,
    synced_at              timestamptz NOT NULL,
    version                bigint NOT NULL,
    type                   text,
    object_type            text,
    object_id              text,
    api_version            text,
    request_id             text,
    pending_webhooks       bigint,
    data                   jsonb NOT NULL,
    PRIMARY KEY (connection_id, id)
);
CREATE INDEX stripe_events_by_created ON stripe_events (connection_id, created DESC);
CREATE INDEX stripe_events_deleted ON stripe_events (connection_id) WHERE is_deleted;

CREATE TABLE stripe_products (
    connection_id          text NOT NULL,
    id                     text NOT NULL,
    created                timestamptz,
    livemode               boolean NOT NULL,
    is_deleted             boolean NOT NULL DEFAULT false,
    synced_at              timestamptz NOT NULL,
    version                bigint NOT NULL,
    name                   text,
    description            text,
    active                 boolean,
    type                   text,
    default_price          text,
    unit_label             text,
    updated                timestamptz,
    data                   jsonb NOT NULL,
    PRIMARY KEY (connection_id, id)
);
CREATE INDEX stripe_products_by_created ON stripe_products (connection_id, created DESC);
CREATE INDEX stripe_products_deleted ON stripe_products (connection_id) WHERE is_deleted;

CREATE TABLE stripe_prices (
    connection_id          text NOT NULL,
    id                     text NOT NULL,
    created                timestamptz,
    livemode               boolean NOT NULL,
    is_deleted             boolean NOT NULL DEFAULT false,
    synced_at              timestamptz NOT NULL,
    version                bigint NOT NULL,
    product                text,
    active                 boolean,
    currency               text,
    unit_amount            bigint,
    type                   text,
    billing_scheme         text,
    recurring_interval     text,
    recurring_interval_count bigint,
    nickname               text,
    lookup_key             text,
    tax_behavior           text,
    data                   jsonb NOT NULL,
    PRIMARY KEY (connection_id, id)
);
CREATE INDEX stripe_prices_by_created ON stripe_prices (connection_id, created DESC);
CREATE INDEX stripe_prices_deleted ON stripe_prices (connection_id) WHERE is_deleted;

CREATE TABLE stripe_plans (
    connection_id          text NOT NULL,
    id                     text NOT NULL,
    created                timestamptz,
    livemode               boolean NOT NULL,
    is_deleted             boolean NOT NULL DEFAULT false,
    synced_at              timestamptz NOT NULL,
    version                bigint NOT NULL,
    product                text,
    active                 boolean,
    amount                 bigint,
    currency               text,
    interval               text,
    interval_count         bigint,
    usage_type             text,
    billing_scheme         text,
    nickname               text,
    trial_period_days      bigint,
    data                   jsonb NOT NULL,
    PRIMARY KEY (connection_id, id)
);
CREATE INDEX stripe_plans_by_created ON stripe_plans (connection_id, created DESC);
CREATE INDEX stripe_plans_deleted ON stripe_plans (connection_id) WHERE is_deleted;

CREATE TABLE stripe_coupons (
    connection_id          text NOT NULL,
    id                     text NOT NULL,
    created                timestamptz,
    livemode               boolean NOT NULL,
    is_deleted             boolean NOT NULL DEFAULT false,
    synced_at              timestamptz NOT NULL,
    version                bigint NOT NULL,
    name                   text,
    amount_off             bigint,
    percent_off            double precision,
    currency               text,
    duration               text,
    duration_in_months     bigint,
    max_redemptions        bigint,
    times_redeemed         bigint,
    redeem_by              timestamptz,
    valid                  boolean,
    data                   jsonb NOT NULL,
    PRIMARY KEY (connection_id, id)
);
CREATE INDEX stripe_coupons_by_created ON stripe_coupons (connection_id, created DESC);
CREATE INDEX stripe_coupons_deleted ON stripe_coupons (connection_id) WHERE is_deleted;

CREATE TABLE stripe_invoices (
    connection_id          text NOT NULL,
    id                     text NOT NULL,
    created                timestamptz,
    livemode               boolean NOT NULL,
    is_deleted             boolean NOT NULL DEFAULT false,
    synced_at              timestamptz NOT NULL,
    version                bigint NOT NULL,
    number                 text,
    status                 text,
    customer               text,
    customer_email         text,
    customer_name          text,
    subscription           text,
    charge                 text,
    payment_intent         text,
    currency               text,
    amount_due             bigint,
    amount_paid            bigint,
    amount_remaining       bigint,
    subtotal               bigint,
    total                  bigint,
    paid                   boolean,
    billing_reason         text,
    collection_method      text,
    period_start           timestamptz,
    period_end             timestamptz,
    due_date               timestamptz,
    paid_at                timestamptz,
    description            text,
    data                   jsonb NOT NULL,
    PRIMARY KEY (connection_id, id)
);
CREATE INDEX stripe_invoices_by_created ON stripe_invoices (connection_id, created DESC);
CREATE INDEX stripe_invoices_by_customer ON stripe_invoices (connection_id, customer);
CREATE INDEX stripe_invoices_deleted ON stripe_invoices (connection_id) WHERE is_deleted;

CREATE TABLE stripe_invoice_line_items (
    connection_id          text NOT NULL,
    id                     text NOT NULL,
    created                timestamptz,
    livemode               boolean NOT NULL,
    is_deleted             boolean NOT NULL DEFAULT false,
    synced_at              timestamptz NOT NULL,
    version                bigint NOT NULL,
    invoice                text,
    amount                 bigint,
    currency               text,
    description            text,
    quantity               bigint,
    type                   text,
    subscription           text,
    subscription_item      text,
    invoice_item           text,
    price                  text,
    period_start           timestamptz,
    period_end             timestamptz,
    proration              boolean,
    discountable           boolean,
    data                   jsonb NOT NULL,
    PRIMARY KEY (connection_id, id)
);
CREATE INDEX stripe_invoice_line_items_by_invoice ON stripe_invoice_line_items (connection_id, invoice);
CREATE INDEX stripe_invoice_line_items_deleted ON stripe_invoice_line_items (connection_id) WHERE is_deleted;

CREATE TABLE stripe_credit_notes (
    connection_id          text NOT NULL,
    id                     text NOT NULL,
    created                timestamptz,
    livemode               boolean NOT NULL,
    is_deleted             boolean NOT NULL DEFAULT false,
    synced_at              timestamptz NOT NULL,
    version                bigint NOT NULL,
    number                 text,
    invoice                text,
    customer               text,
    amount                 bigint,
    total                  bigint,
    currency               text,
    status                 text,
    type                   text,
    reason                 text,
    memo                   text,
    effective_at           timestamptz,
    voided_at              timestamptz,
    data                   jsonb NOT NULL,
    PRIMARY KEY (connection_id, id)
);
CREATE INDEX stripe_credit_notes_by_created ON stripe_credit_notes (connection_id, created DESC);
CREATE INDEX stripe_credit_notes_deleted ON stripe_credit_notes (connection_id) WHERE is_deleted;

CREATE TABLE stripe_subscriptions (
    connection_id          text NOT NULL,
    id                     text NOT NULL,
    created                timestamptz,
    livemode               boolean NOT NULL,
    is_deleted             boolean NOT NULL DEFAULT false,
    synced_at              timestamptz NOT NULL,
    version                bigint NOT NULL,
    customer               text,
    status                 text,
    currency               text,
    current_period_start   timestamptz,
    current_period_end     timestamptz,
    start_date             timestamptz,
    trial_start            timestamptz,
    trial_end              timestamptz,
    cancel_at_period_end   boolean,
    cancel_at              timestamptz,
    canceled_at            timestamptz,
    ended_at               timestamptz,
    collection_method      text,
    latest_invoice         text,
    default_payment_method text,
    description            text,
    data                   jsonb NOT NULL,
    PRIMARY KEY (connection_id, id)
);
CREATE INDEX stripe_subscriptions_by_created ON stripe_subscriptions (connection_id, created DESC);
CREATE INDEX stripe_subscriptions_by_customer ON stripe_subscriptions (connection_id, customer);
CREATE INDEX stripe_subscriptions_deleted ON stripe_subscriptions (connection_id) WHERE is_deleted;

CREATE TABLE stripe_subscription_items (
    connection_id          text NOT NULL,
    id                     text NOT NULL,
    created                timestamptz,
    livemode               boolean NOT NULL,
    is_deleted             boolean NOT NULL DEFAULT false,
    synced_at              timestamptz NOT NULL,
    version                bigint NOT NULL,
    subscription           text,
    price                  text,
    product                text,
    quantity               bigint,
    current_period_start   timestamptz,
    current_period_end     timestamptz,
    data                   jsonb NOT NULL,
    PRIMARY KEY (connection_id, id)
);
CREATE INDEX stripe_subscription_items_by_created ON stripe_subscription_items (connection_id, created DESC);
CREATE INDEX stripe_subscription_items_by_subscription ON stripe_subscription_items (connection_id, subscription);
CREATE INDEX stripe_subscription_items_deleted ON stripe_subscription_items (connection_id) WHERE is_deleted;
