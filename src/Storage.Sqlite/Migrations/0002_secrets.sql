-- GatewayStorage schema 2 (SQLite): OAuth providers and tokens, API keys and usage, credentials and tags,
-- sessions, single-use tokens, audit log. Secrets are stored as AES-256-GCM ciphertext (text 'v1:<key id>:…');
-- API key secrets, session tokens and single-use tokens only as hashes.

CREATE TABLE oauth_providers (
    id UUID NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    normalized_name TEXT NOT NULL,
    display_name TEXT NULL,
    client_id TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    authorization_endpoint TEXT NOT NULL,
    token_endpoint TEXT NOT NULL,
    userinfo_endpoint TEXT NULL,
    scopes TEXT NOT NULL,
    is_enabled BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_oauth_providers_normalized_name ON oauth_providers (normalized_name);

CREATE TABLE oauth_tokens (
    id UUID NOT NULL PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider_id UUID NOT NULL REFERENCES oauth_providers (id) ON DELETE CASCADE,
    access_token TEXT NOT NULL,
    refresh_token TEXT NULL,
    token_type TEXT NULL,
    scopes TEXT NOT NULL,
    expires_at TIMESTAMP NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX ux_oauth_tokens_user_provider ON oauth_tokens (user_id, provider_id);
CREATE INDEX ix_oauth_tokens_provider_id ON oauth_tokens (provider_id);
CREATE INDEX ix_oauth_tokens_expires_at ON oauth_tokens (expires_at);

CREATE TABLE api_keys (
    id UUID NOT NULL PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    public_id TEXT NOT NULL,
    secret_hash BLOB NOT NULL,
    scopes TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NULL,
    last_used_at TIMESTAMP NULL,
    revoked_at TIMESTAMP NULL
);
CREATE UNIQUE INDEX ux_api_keys_public_id ON api_keys (public_id);
CREATE INDEX ix_api_keys_user_id ON api_keys (user_id);

CREATE TABLE api_key_usage (
    api_key_id UUID NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    window_seconds INTEGER NOT NULL,
    window_start TIMESTAMP NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (api_key_id, window_seconds, window_start)
);

CREATE TABLE credentials (
    id UUID NOT NULL PRIMARY KEY,
    username TEXT NOT NULL,
    secret TEXT NOT NULL,
    description TEXT NULL,
    success_count INTEGER NOT NULL,
    failure_count INTEGER NOT NULL,
    last_used_at TIMESTAMP NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE credential_tags (
    id UUID NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    normalized_name TEXT NOT NULL,
    description TEXT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX ux_credential_tags_normalized_name ON credential_tags (normalized_name);

CREATE TABLE credential_tag_links (
    credential_id UUID NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    tag_id UUID NOT NULL REFERENCES credential_tags (id) ON DELETE CASCADE,
    priority INTEGER NOT NULL,
    PRIMARY KEY (credential_id, tag_id)
);
CREATE INDEX ix_credential_tag_links_tag_id ON credential_tag_links (tag_id, priority);

CREATE TABLE sessions (
    id UUID NOT NULL PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP NULL,
    ip_address TEXT NULL,
    user_agent TEXT NULL
);
CREATE UNIQUE INDEX ux_sessions_token_hash ON sessions (token_hash);
CREATE INDEX ix_sessions_user_id ON sessions (user_id);
CREATE INDEX ix_sessions_expires_at ON sessions (expires_at);

CREATE TABLE single_use_tokens (
    id UUID NOT NULL PRIMARY KEY,
    purpose TEXT NOT NULL,
    user_id UUID NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    consumed_at TIMESTAMP NULL
);
CREATE UNIQUE INDEX ux_single_use_tokens_token_hash ON single_use_tokens (token_hash);
CREATE INDEX ix_single_use_tokens_expires_at ON single_use_tokens (expires_at);

CREATE TABLE audit_log (
    id UUID NOT NULL PRIMARY KEY,
    occurred_at TIMESTAMP NOT NULL,
    actor TEXT NULL,
    action TEXT NOT NULL,
    target_type TEXT NULL,
    target_id TEXT NULL,
    succeeded BOOLEAN NOT NULL,
    ip_address TEXT NULL,
    details JSON_TEXT NULL
);
CREATE INDEX ix_audit_log_occurred_at ON audit_log (occurred_at);
CREATE INDEX ix_audit_log_actor ON audit_log (actor, id);
CREATE INDEX ix_audit_log_action ON audit_log (action, id);
CREATE INDEX ix_audit_log_target ON audit_log (target_type, target_id, id);
