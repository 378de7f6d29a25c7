-- GatewayStorage schema 1 (PostgreSQL): users, roles, directory mappings, config, MCP servers.
-- Keys that lists page by are COLLATE "C", so that keyset order is byte order, as on SQLite.

CREATE TABLE users (
    id uuid NOT NULL PRIMARY KEY,
    email text NOT NULL,
    normalized_email text NOT NULL,
    display_name text NULL,
    is_active boolean NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    last_login_at timestamptz NULL,
    version bigint NOT NULL
);
CREATE UNIQUE INDEX ux_users_normalized_email ON users (normalized_email);

CREATE TABLE roles (
    id uuid NOT NULL PRIMARY KEY,
    name text NOT NULL,
    normalized_name text COLLATE "C" NOT NULL,
    description text NULL,
    is_system boolean NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version bigint NOT NULL
);
CREATE UNIQUE INDEX ux_roles_normalized_name ON roles (normalized_name);

CREATE TABLE role_permissions (
    role_id uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    permission text COLLATE "C" NOT NULL,
    PRIMARY KEY (role_id, permission)
);

CREATE TABLE user_roles (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    assigned_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, role_id)
);
CREATE INDEX ix_user_roles_role_id ON user_roles (role_id, user_id);

CREATE TABLE directory_mappings (
    id uuid NOT NULL PRIMARY KEY,
    group_name text NOT NULL,
    normalized_group text NOT NULL,
    role_id uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    description text NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX ux_directory_mappings_group_role ON directory_mappings (normalized_group, role_id);
CREATE INDEX ix_directory_mappings_role_id ON directory_mappings (role_id);

CREATE TABLE config_entries (
    key text COLLATE "C" NOT NULL PRIMARY KEY,
    value jsonb NOT NULL,
    version bigint NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE mcp_servers (
    id uuid NOT NULL PRIMARY KEY,
    name text NOT NULL,
    normalized_name text COLLATE "C" NOT NULL,
    url text NOT NULL,
    description text NULL,
    is_enabled boolean NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version bigint NOT NULL
);
CREATE UNIQUE INDEX ux_mcp_servers_normalized_name ON mcp_servers (normalized_name);

CREATE TABLE mcp_server_tags (
    server_id uuid NOT NULL REFERENCES mcp_servers (id) ON DELETE CASCADE,
    tag text COLLATE "C" NOT NULL,
    PRIMARY KEY (server_id, tag)
);
CREATE INDEX ix_mcp_server_tags_tag ON mcp_server_tags (tag, server_id);
