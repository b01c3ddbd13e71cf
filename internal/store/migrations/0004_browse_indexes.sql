-- Indexes for a connection page's tabs (internal/browse), on the smaller
-- tables only: stripe_charges gets none, so a charge stays within its disk
-- budget (about 2 KB with its indexes); its tab pages by date through
-- stripe_charges_by_created.
--
-- A status filter, newest or oldest first: the Invoices and Subscriptions
-- tabs step through these without reading table rows.
CREATE INDEX stripe_invoices_by_status ON stripe_invoices (connection_id, status, created DESC);
CREATE INDEX stripe_subscriptions_by_status ON stripe_subscriptions (connection_id, status, created DESC);

-- The other sortable columns of the tabs. A tab sorted by one of them reads
-- the live rows' ids in this order once (deleted rows are left out of the
-- index, which keeps it small and lets that read skip the table).
CREATE INDEX stripe_invoices_by_amount_due ON stripe_invoices (connection_id, amount_due) WHERE is_deleted = 0;
CREATE INDEX stripe_invoices_by_due_date ON stripe_invoices (connection_id, due_date) WHERE is_deleted = 0;
CREATE INDEX stripe_customers_by_email ON stripe_customers (connection_id, email) WHERE is_deleted = 0;
CREATE INDEX stripe_customers_by_name ON stripe_customers (connection_id, name) WHERE is_deleted = 0;
CREATE INDEX stripe_subscriptions_by_period_end ON stripe_subscriptions (connection_id, current_period_end) WHERE is_deleted = 0;
