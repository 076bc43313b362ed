/// Which `--db` / `FLAGDECK_DB` values mean team mode: a `postgresql://` or `postgres://`
/// URL (libpq's own URL forms). Anything else is an SQLite path, so an existing file
/// called, say, `postgres.sqlite` keeps working.
public enum PostgresURL {
    public static func isPostgres(_ location: String) -> Bool {
        let l = location.lowercased()
        return l.hasPrefix("postgresql://") || l.hasPrefix("postgres://")
    }

    /// The location with any password removed, for messages.
    public static func redacted(_ location: String) -> String { Redactor(target: location).redact(location) }
}
