-- Subscription items for MRR now (internal/reports, subscriptionMRR): one
-- narrow row per live item of a live subscription, keyed by (connection,
-- subscription status, subscription, item), with what MRR reads of the item
-- and of its subscription, so MRR now reads one key range per status
-- instead of every active subscription's and item's whole row and JSON.
--
-- Triggers keep it in the statement that writes the item or its
-- subscription. From the item's JSON, at write time: its embedded price's
-- unit amount (else the plan's amount, else unit_amount_decimal), interval
-- and count (the price's, else the plan's) and whether it is metered, used
-- when the price is not in the catalog. From the subscription: status,
-- customer, currency, trial_end, and when its JSON mentions a coupon, its
-- "discount" and "discounts".
CREATE TABLE report_mrr_items (
    connection_id  TEXT NOT NULL,
    status         TEXT NOT NULL,  -- the subscription's
    subscription   TEXT NOT NULL,
    id             TEXT NOT NULL,  -- the item's
    customer       TEXT,
    currency       TEXT,
    trial_end      INTEGER,
    discount       TEXT,           -- the JSON's "discount" and "discounts", NULL
    discounts      TEXT,           -- unless it mentions a coupon
    quantity       INTEGER NOT NULL,
    price          TEXT,
    unit_amount    REAL,           -- of the item's embedded price or plan
    interval       TEXT,
    interval_count INTEGER,
    metered        INTEGER NOT NULL,
    PRIMARY KEY (connection_id, status, subscription, id)
) WITHOUT ROWID;
CREATE INDEX report_mrr_items_by_subscription ON report_mrr_items (connection_id, subscription);

CREATE TRIGGER report_mrr_items_insert AFTER INSERT ON stripe_subscription_items
WHEN NEW.is_deleted = 0 AND NEW.subscription IS NOT NULL
BEGIN
    INSERT OR REPLACE INTO report_mrr_items (connection_id, status, subscription, id, customer, currency, trial_end, discount, discounts, quantity, price,
        unit_amount, interval, interval_count, metered)
    SELECT NEW.connection_id, s.status, NEW.subscription, NEW.id, s.customer, s.currency, s.trial_end, s.discount, s.discounts,
        coalesce(NEW.quantity, 1), NEW.price,
        coalesce(json_extract(NEW.data, '$.price.unit_amount'), json_extract(NEW.data, '$.plan.amount'),
            CAST(json_extract(NEW.data, '$.price.unit_amount_decimal') AS REAL)),
        CASE WHEN coalesce(json_extract(NEW.data, '$.price.recurring.interval'), '') <> ''
            THEN json_extract(NEW.data, '$.price.recurring.interval') ELSE json_extract(NEW.data, '$.plan.interval') END,
        CASE WHEN coalesce(json_extract(NEW.data, '$.price.recurring.interval'), '') <> ''
            THEN json_extract(NEW.data, '$.price.recurring.interval_count') ELSE json_extract(NEW.data, '$.plan.interval_count') END,
        coalesce(json_extract(NEW.data, '$.price.recurring.usage_type') = 'metered', 0)
            OR coalesce(json_extract(NEW.data, '$.plan.usage_type') = 'metered', 0)
    FROM (SELECT coalesce(s.status, '') AS status, s.customer, s.currency, s.trial_end,
            CASE WHEN instr(s.data, '"coupon"') > 0 THEN json_extract(s.data, '$.discount') END AS discount,
            CASE WHEN instr(s.data, '"coupon"') > 0 THEN json_extract(s.data, '$.discounts') END AS discounts
        FROM stripe_subscriptions s
        WHERE s.connection_id = NEW.connection_id AND s.id = NEW.subscription AND s.is_deleted = 0) s
    WHERE NEW.is_deleted = 0 AND NEW.subscription IS NOT NULL;
END;

CREATE TRIGGER report_mrr_items_update AFTER UPDATE ON stripe_subscription_items
WHEN OLD.data IS NOT NEW.data OR OLD.is_deleted IS NOT NEW.is_deleted OR OLD.subscription IS NOT NEW.subscription
    OR OLD.quantity IS NOT NEW.quantity OR OLD.price IS NOT NEW.price OR OLD.connection_id IS NOT NEW.connection_id
BEGIN
    DELETE FROM report_mrr_items WHERE connection_id = OLD.connection_id AND subscription = OLD.subscription AND id = OLD.id;
    INSERT OR REPLACE INTO report_mrr_items (connection_id, status, subscription, id, customer, currency, trial_end, discount, discounts, quantity, price,
        unit_amount, interval, interval_count, metered)
    SELECT NEW.connection_id, s.status, NEW.subscription, NEW.id, s.customer, s.currency, s.trial_end, s.discount, s.discounts,
        coalesce(NEW.quantity, 1), NEW.price,
        coalesce(json_extract(NEW.data, '$.price.unit_amount'), json_extract(NEW.data, '$.plan.amount'),
            CAST(json_extract(NEW.data, '$.price.unit_amount_decimal') AS REAL)),
        CASE WHEN coalesce(json_extract(NEW.data, '$.price.recurring.interval'), '') <> ''
            THEN json_extract(NEW.data, '$.price.recurring.interval') ELSE json_extract(NEW.data, '$.plan.interval') END,
        CASE WHEN coalesce(json_extract(NEW.data, '$.price.recurring.interval'), '') <> ''
            THEN json_extract(NEW.data, '$.price.recurring.interval_count') ELSE json_extract(NEW.data, '$.plan.interval_count') END,
        coalesce(json_extract(NEW.data, '$.price.recurring.usage_type') = 'metered', 0)
            OR coalesce(json_extract(NEW.data, '$.plan.usage_type') = 'metered', 0)
    FROM (SELECT coalesce(s.status, '') AS status, s.customer, s.currency, s.trial_end,
            CASE WHEN instr(s.data, '"coupon"') > 0 THEN json_extract(s.data, '$.discount') END AS discount,
            CASE WHEN instr(s.data, '"coupon"') > 0 THEN json_extract(s.data, '$.discounts') END AS discounts
        FROM stripe_subscriptions s
        WHERE s.connection_id = NEW.connection_id AND s.id = NEW.subscription AND s.is_deleted = 0) s
    WHERE NEW.is_deleted = 0 AND NEW.subscription IS NOT NULL;
END;

CREATE TRIGGER report_mrr_items_delete AFTER DELETE ON stripe_subscription_items
BEGIN
    DELETE FROM report_mrr_items WHERE connection_id = OLD.connection_id AND subscription = OLD.subscription AND id = OLD.id;
END;

-- A subscription written: its items' rows are made again from the items,
-- with its new columns (none while it is deleted).
CREATE TRIGGER report_mrr_items_subscription_insert AFTER INSERT ON stripe_subscriptions
BEGIN
    DELETE FROM report_mrr_items WHERE connection_id = NEW.connection_id AND subscription = NEW.id;
    INSERT OR REPLACE INTO report_mrr_items (connection_id, status, subscription, id, customer, currency, trial_end, discount, discounts, quantity, price,
        unit_amount, interval, interval_count, metered)
    SELECT i.connection_id, s.status, i.subscription, i.id, s.customer, s.currency, s.trial_end, s.discount, s.discounts,
        coalesce(i.quantity, 1), i.price,
        coalesce(json_extract(i.data, '$.price.unit_amount'), json_extract(i.data, '$.plan.amount'),
            CAST(json_extract(i.data, '$.price.unit_amount_decimal') AS REAL)),
        CASE WHEN coalesce(json_extract(i.data, '$.price.recurring.interval'), '') <> ''
            THEN json_extract(i.data, '$.price.recurring.interval') ELSE json_extract(i.data, '$.plan.interval') END,
        CASE WHEN coalesce(json_extract(i.data, '$.price.recurring.interval'), '') <> ''
            THEN json_extract(i.data, '$.price.recurring.interval_count') ELSE json_extract(i.data, '$.plan.interval_count') END,
        coalesce(json_extract(i.data, '$.price.recurring.usage_type') = 'metered', 0)
            OR coalesce(json_extract(i.data, '$.plan.usage_type') = 'metered', 0)
    FROM stripe_subscription_items i, (SELECT coalesce(s.status, '') AS status, s.customer, s.currency, s.trial_end,
            CASE WHEN instr(s.data, '"coupon"') > 0 THEN json_extract(s.data, '$.discount') END AS discount,
            CASE WHEN instr(s.data, '"coupon"') > 0 THEN json_extract(s.data, '$.discounts') END AS discounts
        FROM stripe_subscriptions s
        WHERE s.connection_id = NEW.connection_id AND s.id = NEW.id AND s.is_deleted = 0) s
    WHERE i.connection_id = NEW.connection_id AND i.subscription = NEW.id AND i.is_deleted = 0;
END;

CREATE TRIGGER report_mrr_items_subscription_update AFTER UPDATE ON stripe_subscriptions
WHEN OLD.data IS NOT NEW.data OR OLD.is_deleted IS NOT NEW.is_deleted OR OLD.status IS NOT NEW.status
    OR OLD.customer IS NOT NEW.customer OR OLD.currency IS NOT NEW.currency OR OLD.trial_end IS NOT NEW.trial_end
    OR OLD.connection_id IS NOT NEW.connection_id
BEGIN
    DELETE FROM report_mrr_items WHERE connection_id = OLD.connection_id AND subscription = OLD.id;
    INSERT OR REPLACE INTO report_mrr_items (connection_id, status, subscription, id, customer, currency, trial_end, discount, discounts, quantity, price,
        unit_amount, interval, interval_count, metered)
    SELECT i.connection_id, s.status, i.subscription, i.id, s.customer, s.currency, s.trial_end, s.discount, s.discounts,
        coalesce(i.quantity, 1), i.price,
        coalesce(json_extract(i.data, '$.price.unit_amount'), json_extract(i.data, '$.plan.amount'),
            CAST(json_extract(i.data, '$.price.unit_amount_decimal') AS REAL)),
        CASE WHEN coalesce(json_extract(i.data, '$.price.recurring.interval'), '') <> ''
            THEN json_extract(i.data, '$.price.recurring.interval') ELSE json_extract(i.data, '$.plan.interval') END,
        CASE WHEN coalesce(json_extract(i.data, '$.price.recurring.interval'), '') <> ''
            THEN json_extract(i.data, '$.price.recurring.interval_count') ELSE json_extract(i.data, '$.plan.interval_count') END,
        coalesce(json_extract(i.data, '$.price.recurring.usage_type') = 'metered', 0)
            OR coalesce(json_extract(i.data, '$.plan.usage_type') = 'metered', 0)
    FROM stripe_subscription_items i, (SELECT coalesce(s.status, '') AS status, s.customer, s.currency, s.trial_end,
            CASE WHEN instr(s.data, '"coupon"') > 0 THEN json_extract(s.data, '$.discount') END AS discount,
            CASE WHEN instr(s.data, '"coupon"') > 0 THEN json_extract(s.data, '$.discounts') END AS discounts
        FROM stripe_subscriptions s
        WHERE s.connection_id = NEW.connection_id AND s.id = NEW.id AND s.is_deleted = 0) s
    WHERE i.connection_id = NEW.connection_id AND i.subscription = NEW.id AND i.is_deleted = 0;
END;

CREATE TRIGGER report_mrr_items_subscription_delete AFTER DELETE ON stripe_subscriptions
BEGIN
    DELETE FROM report_mrr_items WHERE connection_id = OLD.connection_id AND subscription = OLD.id;
END;

CREATE TRIGGER report_mrr_items_connection_delete AFTER DELETE ON connections
BEGIN
    DELETE FROM report_mrr_items WHERE connection_id = OLD.id;
END;

INSERT INTO report_mrr_items (connection_id, status, subscription, id, customer, currency, trial_end, discount, discounts, quantity, price,
        unit_amount, interval, interval_count, metered)
SELECT i.connection_id, s.status, i.subscription, i.id, s.customer, s.currency, s.trial_end, s.discount, s.discounts,
        coalesce(i.quantity, 1), i.price,
        coalesce(json_extract(i.data, '$.price.unit_amount'), json_extract(i.data, '$.plan.amount'),
            CAST(json_extract(i.data, '$.price.unit_amount_decimal') AS REAL)),
        CASE WHEN coalesce(json_extract(i.data, '$.price.recurring.interval'), '') <> ''
            THEN json_extract(i.data, '$.price.recurring.interval') ELSE json_extract(i.data, '$.plan.interval') END,
        CASE WHEN coalesce(json_extract(i.data, '$.price.recurring.interval'), '') <> ''
            THEN json_extract(i.data, '$.price.recurring.interval_count') ELSE json_extract(i.data, '$.plan.interval_count') END,
        coalesce(json_extract(i.data, '$.price.recurring.usage_type') = 'metered', 0)
            OR coalesce(json_extract(i.data, '$.plan.usage_type') = 'metered', 0)
FROM stripe_subscription_items i
JOIN (SELECT s.connection_id, s.id, coalesce(s.status, '') AS status, s.customer, s.currency, s.trial_end,
        CASE WHEN instr(s.data, '"coupon"') > 0 THEN json_extract(s.data, '$.discount') END AS discount,
        CASE WHEN instr(s.data, '"coupon"') > 0 THEN json_extract(s.data, '$.discounts') END AS discounts
    FROM stripe_subscriptions s WHERE s.is_deleted = 0) s ON s.connection_id = i.connection_id AND s.id = i.subscription
WHERE i.is_deleted = 0;
