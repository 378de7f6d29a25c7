-- GatewayStorage schema 4 (PostgreSQL): JSON stored as the text the library wrote.
-- jsonb rewrites a document (reorders properties, rewrites 1e2 as 100, expands 1e100000 to 100,001 digits),
-- so the two engines returned different text for one document. json keeps the text as written (it is only
-- validated), and the library writes one canonical form on both engines. Values written before this migration
-- keep jsonb's rendering until they are next written.

ALTER TABLE config_entries ALTER COLUMN value TYPE json USING value::text::json;
ALTER TABLE audit_log ALTER COLUMN details TYPE json USING details::text::json;
