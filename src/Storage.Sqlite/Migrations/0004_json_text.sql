-- GatewayStorage schema 4 (SQLite): intentionally changes nothing.
-- PostgreSQL's script 4 turns its jsonb columns into json, which keeps the text as written; SQLite has always
-- stored JSON as the text the library wrote (JSON_TEXT). This script exists so that both engines keep the same
-- version numbers.

SELECT 1;
