-- GatewayStorage schema 3 (SQLite): a check value per key, so a start with keys that cannot read what is stored is
-- refused. key_id is the key's fingerprint; check_value is HMAC-SHA-256 of a fixed label under the key (never the key).

CREATE TABLE key_checks (
    key_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    check_value BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (key_id, purpose)
);
