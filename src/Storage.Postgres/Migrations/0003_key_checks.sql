-- GatewayStorage schema 3 (PostgreSQL): a check value per key, so a start with keys that cannot read what is stored is
-- refused. key_id is the key's fingerprint; check_value is HMAC-SHA-256 of a fixed label under the key (never the key).

CREATE TABLE key_checks (
    key_id text COLLATE "C" NOT NULL,
    purpose text COLLATE "C" NOT NULL,
    check_value bytea NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (key_id, purpose)
);
