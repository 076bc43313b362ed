/// Store-level entry points for the audit log, shared by the CLI, doctor and tests.
public enum AuditLog {
    /// Streams the whole log through the verifier; stops at the first problem.
    public static func verify(_ store: any FlagStore, expect: String? = nil) throws -> AuditVerifier.Report {
        try store.read { r in
            var running = AuditVerifier.Running(expect: expect)
            try r.forEachEvent { running.feed($0) }
            return running.finish()
        }
    }

    public static func head(_ store: any FlagStore) throws -> AuditHead? {
        try store.read { try $0.head() }
    }
}
