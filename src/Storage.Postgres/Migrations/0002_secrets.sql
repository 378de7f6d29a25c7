-- GatewayStorage schema 2 (PostgreSQL): OAuth providers and tokens, API keys and usage, credentials and tags,
-- sessions, single-use tokens, audit log. Secrets are stored as AES-256-GCM ciphertext (text 'v1:<key id>:…');
-- API key secrets, session tokens and single-use tokens only as hashes.

CREATE TABLE oauth_providers (
    id uuid NOT NULL PRIMARY KEY,
    name text NOT NULL,
    normalized_name text COLLATE "C" NOT NULL,
    display_name text NULL,
    client_id text NOT NULL,
    client_secret text NOT NULL,
    authorization_endpoint text NOT NULL,
    token_endpoint text NOT NULL,
    userinfo_endpoint text NULL,
    scopes text NOT NULL,
    is_enabled boolean NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version bigint NOT NULL
);
CREATE UNIQUE INDEX ux_oauth_providers_normalized_name ON oauth_providers (normalized_name);

CREATE TABLE oauth_tokens (
    id uuid NOT NULL PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider_id uuid NOT NULL REFERENCES oauth_providers (id) ON DELETE CASCADE,
    access_token text NOT NULL,
    refresh_token text NULL,
    token_type text NULL,
    scopes text NOT NULL,
    expires_at timestamptz NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX ux_oauth_tokens_user_provider ON oauth_tokens (user_id, provider_id);
CREATE INDEX ix_oauth_tokens_provider_id ON oauth_tokens (provider_id);
CREATE INDEX ix_oauth_tokens_expires_at ON oauth_tokens (expires_at);

CREATE TABLE api_keys (
    id uuid NOT NULL PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name text NOT NULL,
    public_id text COLLATE "C" NOT NULL,
    secret_hash bytea NOT NULL,
    scopes text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NULL,
    last_used_at timestamptz NULL,
    revoked_at timestamptz NULL
);
CREATE UNIQUE INDEX ux_api_keys_public_id ON api_keys (public_id);
CREATE INDEX ix_api_keys_user_id ON api_keys (user_id);

CREATE TABLE api_key_usage (
    api_key_id uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    window_seconds integer NOT NULL,
    window_start timestamptz NOT NULL,
    count bigint NOT NULL,
    PRIMARY KEY (api_key_id, window_seconds, window_start)
);

CREATE TABLE credentials (
    id uuid NOT NULL PRIMARY KEY,
    username text NOT NULL,
    secret text NOT NULL,
    description text NULL,
    success_count bigint NOT NULL,
    failure_count bigint NOT NULL,
    last_used_at timestamptz NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version bigint NOT NULL
);

CREATE TABLE credential_tags (
    id uuid NOT NULL PRIMARY KEY,
    name text NOT NULL,
    normalized_name text COLLATE "C" NOT NULL,
    description text NULL,
    created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX ux_credential_tags_normalized_name ON credential_tags (normalized_name);

CREATE TABLE credential_tag_links (
    credential_id uuid NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    tag_id uuid NOT NULL REFERENCES credential_tags (id) ON DELETE CASCADE,
    priority integer NOT NULL,
    PRIMARY KEY (credential_id, tag_id)
);
CREATE INDEX ix_credential_tag_links_tag_id ON credential_tag_links (tag_id, priority);

CREATE TABLE sessions (
    id uuid NOT NULL PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL,
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz NULL,
    ip_address text NULL,
    user_agent text NULL
);
CREATE UNIQUE INDEX ux_sessions_token_hash ON sessions (token_hash);
CREATE INDEX ix_sessions_user_id ON sessions (user_id);
CREATE INDEX ix_sessions_expires_at ON sessions (expires_at);

CREATE TABLE single_use_tokens (
    id uuid NOT NULL PRIMARY KEY,
    purpose text NOT NULL,
    user_id uuid NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    consumed_at timestamptz NULL
);
CREATE UNIQUE INDEX ux_single_use_tokens_token_hash ON single_use_tokens (token_hash);
CREATE INDEX ix_single_use_tokens_expires_at ON single_use_tokens (expires_at);

CREATE TABLE audit_log (
    id uuid NOT NULL PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    actor text NULL,
    action text NOT NULL,
    target_type text NULL,
    target_id text NULL,
    succeeded boolean NOT NULL,
    ip_address text NULL,
    details jsonb NULL
);
CREATE INDEX ix_audit_log_occurred_at ON audit_log (occurred_at);
CREATE INDEX ix_audit_log_actor ON audit_log (actor, id);
CREATE INDEX ix_audit_log_action ON audit_log (action, id);
CREATE INDEX ix_audit_log_target ON audit_log (target_type, target_id, id);
