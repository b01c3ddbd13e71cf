-- A connection's status detail was a sentence in English. It becomes a
-- reason (an error kind's code, such as 'needs_reauth.revoked_key') and the
-- facts its words need (a JSON object, such as {"http_status":"503"}), so
-- the window words it in the owner's language and the command line in
-- English. A sentence saved before can't be translated: a row that had one
-- gets the general reason of its status instead.
ALTER TABLE connections ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE connections ADD COLUMN status_facts TEXT NOT NULL DEFAULT '{}';

UPDATE connections SET status_reason = CASE status
        WHEN 'needs_reauth' THEN 'needs_reauth'
        WHEN 'disconnected' THEN 'disconnected'
        WHEN 'error' THEN 'unknown'
        ELSE ''
    END
    WHERE status_detail <> '';

ALTER TABLE connections DROP COLUMN status_detail;
