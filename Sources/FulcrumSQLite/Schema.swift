import GRDB

/// Append-only, named migrations written against raw SQL (never against app types).
///
/// Layout decision: each resource table has real columns for identity, relations, statuses and
/// everything a uniqueness rule, a lock or a quota count needs; the remaining attributes of the
/// model value live in a JSON `body` column. Columns are the source of truth for what they hold.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-resources", migrate: createResources)
        migrator.registerMigration("v1-queue", migrate: createQueue)
        migrator.registerMigration("v2-api-tokens", migrate: createAPITokens)
        migrator.registerMigration("v3-floating-ips", migrate: createFloatingIPs)
        return migrator
    }

    private static func createResources(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE subnet (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL UNIQUE,
                    network_id TEXT NOT NULL,
                    body TEXT NOT NULL
                );
                CREATE TABLE load_balancer (
                    id TEXT PRIMARY KEY NOT NULL,
                    project_id TEXT NOT NULL,
                    provisioning_status TEXT NOT NULL,
                    operating_status TEXT NOT NULL,
                    enabled INTEGER NOT NULL,
                    vip_subnet_id TEXT NOT NULL,
                    vip_address TEXT,
                    created_at REAL NOT NULL,
                    updated_at REAL,
                    body TEXT NOT NULL
                );
                CREATE INDEX load_balancer_by_project ON load_balancer(project_id, provisioning_status);
                CREATE TABLE pool (
                    id TEXT PRIMARY KEY NOT NULL,
                    project_id TEXT NOT NULL,
                    load_balancer_id TEXT NOT NULL REFERENCES load_balancer(id) ON DELETE CASCADE,
                    provisioning_status TEXT NOT NULL,
                    operating_status TEXT NOT NULL,
                    enabled INTEGER NOT NULL,
                    protocol TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    updated_at REAL,
                    body TEXT NOT NULL
                );
                CREATE INDEX pool_by_lb ON pool(load_balancer_id);
                CREATE INDEX pool_by_project ON pool(project_id);
                CREATE TABLE listener (
                    id TEXT PRIMARY KEY NOT NULL,
                    project_id TEXT NOT NULL,
                    load_balancer_id TEXT NOT NULL REFERENCES load_balancer(id) ON DELETE CASCADE,
                    provisioning_status TEXT NOT NULL,
                    operating_status TEXT NOT NULL,
                    enabled INTEGER NOT NULL,
                    protocol TEXT NOT NULL,
                    protocol_port INTEGER NOT NULL,
                    l4_family TEXT NOT NULL,
                    default_pool_id TEXT REFERENCES pool(id) ON DELETE SET NULL,
                    created_at REAL NOT NULL,
                    updated_at REAL,
                    body TEXT NOT NULL,
                    UNIQUE (load_balancer_id, l4_family, protocol_port)
                );
                CREATE INDEX listener_by_project ON listener(project_id);
                CREATE INDEX listener_by_default_pool ON listener(default_pool_id);
                CREATE TABLE member (
                    id TEXT PRIMARY KEY NOT NULL,
                    project_id TEXT NOT NULL,
                    load_balancer_id TEXT NOT NULL REFERENCES load_balancer(id) ON DELETE CASCADE,
                    pool_id TEXT NOT NULL REFERENCES pool(id) ON DELETE CASCADE,
                    provisioning_status TEXT NOT NULL,
                    operating_status TEXT NOT NULL,
                    enabled INTEGER NOT NULL,
                    address TEXT NOT NULL,
                    protocol_port INTEGER NOT NULL,
                    created_at REAL NOT NULL,
                    updated_at REAL,
                    body TEXT NOT NULL,
                    UNIQUE (pool_id, address, protocol_port)
                );
                CREATE INDEX member_by_project ON member(project_id);
                CREATE TABLE health_monitor (
                    id TEXT PRIMARY KEY NOT NULL,
                    project_id TEXT NOT NULL,
                    load_balancer_id TEXT NOT NULL REFERENCES load_balancer(id) ON DELETE CASCADE,
                    pool_id TEXT NOT NULL UNIQUE REFERENCES pool(id) ON DELETE CASCADE,
                    provisioning_status TEXT NOT NULL,
                    operating_status TEXT NOT NULL,
                    enabled INTEGER NOT NULL,
                    created_at REAL NOT NULL,
                    updated_at REAL,
                    body TEXT NOT NULL
                );
                CREATE INDEX health_monitor_by_project ON health_monitor(project_id);
                CREATE TABLE l7policy (
                    id TEXT PRIMARY KEY NOT NULL,
                    project_id TEXT NOT NULL,
                    load_balancer_id TEXT NOT NULL REFERENCES load_balancer(id) ON DELETE CASCADE,
                    listener_id TEXT NOT NULL REFERENCES listener(id) ON DELETE CASCADE,
                    provisioning_status TEXT NOT NULL,
                    operating_status TEXT NOT NULL,
                    enabled INTEGER NOT NULL,
                    position INTEGER NOT NULL,
                    redirect_pool_id TEXT REFERENCES pool(id),
                    created_at REAL NOT NULL,
                    updated_at REAL,
                    body TEXT NOT NULL
                );
                CREATE INDEX l7policy_by_listener ON l7policy(listener_id, position);
                CREATE INDEX l7policy_by_project ON l7policy(project_id);
                CREATE INDEX l7policy_by_redirect_pool ON l7policy(redirect_pool_id);
                CREATE TABLE l7rule (
                    id TEXT PRIMARY KEY NOT NULL,
                    project_id TEXT NOT NULL,
                    load_balancer_id TEXT NOT NULL REFERENCES load_balancer(id) ON DELETE CASCADE,
                    l7policy_id TEXT NOT NULL REFERENCES l7policy(id) ON DELETE CASCADE,
                    provisioning_status TEXT NOT NULL,
                    operating_status TEXT NOT NULL,
                    enabled INTEGER NOT NULL,
                    created_at REAL NOT NULL,
                    updated_at REAL,
                    body TEXT NOT NULL
                );
                CREATE INDEX l7rule_by_policy ON l7rule(l7policy_id);
                CREATE INDEX l7rule_by_project ON l7rule(project_id);
                CREATE TABLE quotas (
                    project_id TEXT NOT NULL,
                    resource TEXT NOT NULL,
                    quota_limit INTEGER NOT NULL CHECK (quota_limit >= -1),
                    PRIMARY KEY (project_id, resource)
                );
                CREATE TABLE ip_allocation (
                    subnet_id TEXT NOT NULL REFERENCES subnet(id),
                    address INTEGER NOT NULL,
                    owner_id TEXT NOT NULL,
                    purpose TEXT NOT NULL,
                    allocated_at REAL NOT NULL,
                    PRIMARY KEY (subnet_id, address)
                );
                CREATE INDEX ip_allocation_by_owner ON ip_allocation(owner_id);
                CREATE TABLE amphora (
                    id TEXT PRIMARY KEY NOT NULL,
                    load_balancer_id TEXT REFERENCES load_balancer(id),
                    status TEXT NOT NULL,
                    role TEXT,
                    compute_id TEXT,
                    lb_network_ip TEXT,
                    cert_expiration REAL,
                    cert_busy INTEGER NOT NULL DEFAULT 0,
                    created_at REAL NOT NULL,
                    updated_at REAL,
                    body TEXT NOT NULL
                );
                CREATE INDEX amphora_by_lb ON amphora(load_balancer_id, status);
                CREATE INDEX amphora_by_status ON amphora(status);
                CREATE TABLE amphora_health (
                    amphora_id TEXT PRIMARY KEY NOT NULL,
                    last_update REAL NOT NULL,
                    busy INTEGER NOT NULL DEFAULT 0,
                    stale_since REAL
                );
                CREATE INDEX amphora_health_by_last_update ON amphora_health(busy, last_update);
                CREATE TABLE listener_statistics (
                    listener_id TEXT NOT NULL,
                    amphora_id TEXT NOT NULL,
                    bytes_in INTEGER NOT NULL DEFAULT 0 CHECK (bytes_in >= 0),
                    bytes_out INTEGER NOT NULL DEFAULT 0 CHECK (bytes_out >= 0),
                    active_connections INTEGER NOT NULL DEFAULT 0 CHECK (active_connections >= 0),
                    total_connections INTEGER NOT NULL DEFAULT 0 CHECK (total_connections >= 0),
                    request_errors INTEGER NOT NULL DEFAULT 0 CHECK (request_errors >= 0),
                    PRIMARY KEY (listener_id, amphora_id)
                );
                """)
    }

    private static func createQueue(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE task (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    load_balancer_id TEXT,
                    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'dead')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
                    not_before REAL NOT NULL,
                    lease_owner TEXT,
                    lease_expires_at REAL,
                    last_error TEXT,
                    on_dead TEXT NOT NULL DEFAULT '[]',
                    lock_set TEXT,
                    created_at REAL NOT NULL,
                    finished_at REAL
                );
                CREATE INDEX task_runnable ON task(state, not_before);
                CREATE INDEX task_by_lb ON task(load_balancer_id, state);
                CREATE TABLE task_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
                    event TEXT NOT NULL CHECK (event IN ('claimed', 'renewed', 'completed', 'failed', 'dead', 'lease_expired')),
                    owner TEXT,
                    attempt INTEGER NOT NULL,
                    at REAL NOT NULL,
                    lease_expires_at REAL,
                    detail TEXT
                );
                CREATE INDEX task_log_by_task ON task_log(task_id, id);
                """)
    }

    private static func createAPITokens(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE api_token (
                    token_hash TEXT PRIMARY KEY NOT NULL CHECK (length(token_hash) = 64),
                    project_id TEXT NOT NULL,
                    roles TEXT NOT NULL,
                    expires_at REAL,
                    created_at REAL NOT NULL
                );
                CREATE INDEX api_token_by_project ON api_token(project_id);
                """)
    }

    /// Floating IPs (a Fulcrum extension): host address:port → a load balancer's VIP port. A host port is
    /// global, so address+port is unique across projects. Rows go with their load balancer's delete
    /// (`StatusChangeWriter`) and, at the latest, with its purged row (the foreign key).
    private static func createFloatingIPs(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE floating_ip (
                    id TEXT PRIMARY KEY NOT NULL,
                    project_id TEXT NOT NULL,
                    load_balancer_id TEXT NOT NULL REFERENCES load_balancer(id) ON DELETE CASCADE,
                    floating_address TEXT NOT NULL,
                    floating_port INTEGER NOT NULL CHECK (floating_port BETWEEN 1 AND 65535),
                    listener_port INTEGER NOT NULL CHECK (listener_port BETWEEN 1 AND 65535),
                    created_at REAL NOT NULL,
                    UNIQUE (floating_address, floating_port)
                );
                CREATE INDEX floating_ip_by_lb ON floating_ip(load_balancer_id);
                CREATE INDEX floating_ip_by_project ON floating_ip(project_id);
                """)
    }
}
