/// Versioned migrations, tracked in `PRAGMA user_version`; `PRAGMA application_id` marks
/// the file as ours so a stray SQLite file is refused instead of modified.
enum Schema {
    /// "FLDK"
    static let applicationID: Int32 = 0x464C_444B

    static let migrations: [String] = [
        // 1: inventory, cells, settings, append-only hash-chained audit log.
        """
        CREATE TABLE environment (
            id INTEGER PRIMARY KEY,
            account TEXT NOT NULL,
            name TEXT NOT NULL,
            display_order INTEGER NOT NULL,
            protected INTEGER NOT NULL DEFAULT 0,
            version INTEGER NOT NULL DEFAULT 1,
            UNIQUE (account, name)
        );
        CREATE TABLE flag (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            description TEXT NOT NULL DEFAULT '',
            owner TEXT,
            type TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            expires_at TEXT,
            depends_on TEXT NOT NULL DEFAULT '[]',
            value_kind TEXT NOT NULL DEFAULT 'boolean',
            variants TEXT NOT NULL DEFAULT '[]',
            version INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE flag_state (
            flag_id INTEGER NOT NULL REFERENCES flag(id),
            env_id INTEGER NOT NULL REFERENCES environment(id),
            enabled INTEGER NOT NULL,
            killed INTEGER NOT NULL,
            rollout_bp INTEGER NOT NULL CHECK (rollout_bp BETWEEN 0 AND 10000),
            rules TEXT NOT NULL DEFAULT '[]',
            default_value TEXT NOT NULL DEFAULT 'false',
            version INTEGER NOT NULL,
            changed_at TEXT NOT NULL,
            changed_by TEXT NOT NULL,
            PRIMARY KEY (flag_id, env_id)
        ) WITHOUT ROWID;
        CREATE INDEX flag_state_env ON flag_state(env_id);
        CREATE TABLE setting (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE audit_event (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            operator TEXT NOT NULL,
            host TEXT NOT NULL,
            action TEXT NOT NULL,
            flag TEXT,
            env TEXT,
            before TEXT,
            after TEXT,
            reason TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_event_flag ON audit_event(flag, seq);
        CREATE INDEX audit_event_env ON audit_event(env, seq);
        CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
            BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;
        CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
            BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;
        """,
        // 2: lifecycle analytics read the newest kill and review mark per flag by action.
        """
        CREATE INDEX audit_event_action ON audit_event(action, flag);
        """,
        // 3: per-(flag, environment) overrides "when context key K equals V, serve X" (formats).
        """
        CREATE TABLE override (
            id INTEGER PRIMARY KEY,
            flag TEXT NOT NULL,
            env TEXT NOT NULL,
            context_key TEXT NOT NULL,
            match_value TEXT NOT NULL,
            serve TEXT NOT NULL,
            expires_at TEXT,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            UNIQUE (flag, env, context_key, match_value)
        );
        CREATE INDEX override_flag_env ON override(flag, env);
        """,
        // 4: two index pages fewer per audited change, so a kill writes three b-tree
        //    pages (cell, event, per-flag index) instead of five; on this machine each
        //    page is about 12 µs of a kill's fsync-bound latency (see README, Performance).
        //    `(flag, seq, action)` serves per-flag history in seq order as `(flag, seq)`
        //    did, and "newest kill / review mark per flag" as a covering scan (60 ms at a
        //    million events), replacing `(action, flag)`. `(env, seq)` goes: history
        //    filtered by environment alone scans the log newest-first, which finds a page
        //    of an active environment's events in about a millisecond and costs 0.2 s in
        //    the worst case (an environment with no recent events) at a million events.
        """
        DROP INDEX audit_event_action;
        DROP INDEX audit_event_flag;
        DROP INDEX audit_event_env;
        CREATE INDEX audit_event_flag ON audit_event(flag, seq, action);
        """,
        // 5: sources. Where each environment's flags really live, what the inventory
        //    last saw of each flag there, and the push journal: an intent is committed
        //    before a source is written and removed with the change's audit event.
        """
        CREATE TABLE source_binding (
            id INTEGER PRIMARY KEY,
            env TEXT NOT NULL,
            uri TEXT NOT NULL,
            format TEXT NOT NULL,
            options TEXT NOT NULL DEFAULT '{}',
            version TEXT,
            synced_at TEXT,
            sync_error TEXT,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            UNIQUE (env, uri)
        );
        CREATE TABLE source_flag (
            binding_id INTEGER NOT NULL REFERENCES source_binding(id) ON DELETE CASCADE,
            flag TEXT NOT NULL,
            seen TEXT,
            pre_kill TEXT,
            PRIMARY KEY (binding_id, flag)
        ) WITHOUT ROWID;
        CREATE TABLE push_intent (
            id TEXT PRIMARY KEY,
            binding_id INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            operator TEXT NOT NULL,
            host TEXT NOT NULL,
            action TEXT NOT NULL,
            flag TEXT NOT NULL,
            env TEXT NOT NULL,
            reason TEXT NOT NULL,
            before TEXT NOT NULL,
            after TEXT NOT NULL,
            plan TEXT NOT NULL
        );
        """,
    ]

    static var latestVersion: Int { migrations.count }
}
