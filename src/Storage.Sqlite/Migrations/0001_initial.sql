-- GatewayStorage schema 1 (SQLite): users, roles, directory mappings, config, MCP servers.
-- Column types name their kind: UUID (text, lower-case), TIMESTAMP (integer microseconds since the Unix epoch, UTC),
-- BOOLEAN (0/1), JSON_TEXT (JSON document as text). The PostgreSQL script declares the same tables with native types.

CREATE TABLE users (
    id UUID NOT NULL PRIMARY KEY,
    email TEXT NOT NULL,
    normalized_email TEXT NOT NULL,
    display_name TEXT NULL,
    is_active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP NULL,
    version INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_users_normalized_email ON users (normalized_email);

CREATE TABLE roles (
    id UUID NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    normalized_name TEXT NOT NULL,
    description TEXT NULL,
    is_system BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_roles_normalized_name ON roles (normalized_name);

CREATE TABLE role_permissions (
    role_id UUID NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    permission TEXT NOT NULL,
    PRIMARY KEY (role_id, permission)
);

CREATE TABLE user_roles (
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id UUID NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    assigned_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, role_id)
);
CREATE INDEX ix_user_roles_role_id ON user_roles (role_id, user_id);

CREATE TABLE directory_mappings (
    id UUID NOT NULL PRIMARY KEY,
    group_name TEXT NOT NULL,
    normalized_group TEXT NOT NULL,
    role_id UUID NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    description TEXT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX ux_directory_mappings_group_role ON directory_mappings (normalized_group, role_id);
CREATE INDEX ix_directory_mappings_role_id ON directory_mappings (role_id);

CREATE TABLE config_entries (
    key TEXT NOT NULL PRIMARY KEY,
    value JSON_TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE mcp_servers (
    id UUID NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    normalized_name TEXT NOT NULL,
    url TEXT NOT NULL,
    description TEXT NULL,
    is_enabled BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_mcp_servers_normalized_name ON mcp_servers (normalized_name);

CREATE TABLE mcp_server_tags (
    server_id UUID NOT NULL REFERENCES mcp_servers (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (server_id, tag)
);
CREATE INDEX ix_mcp_server_tags_tag ON mcp_server_tags (tag, server_id);
