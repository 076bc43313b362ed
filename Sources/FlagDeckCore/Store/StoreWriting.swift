import Foundation

/// Writes inside one audited transaction (see `FlagStore.write`).
public protocol StoreWriting: JournalWriting {
    func insert(_ env: Environment) throws
    func update(_ env: Environment) throws
    func insert(_ flag: Flag) throws
    func update(_ flag: Flag) throws
    /// Insert the cell, or update it in place (an update leaves the indexes it does not
    /// change untouched, which a delete-and-insert would rewrite).
    func save(_ state: FlagState) throws
    func setSetting(_ key: String, _ value: String?) throws
    /// Inserts or replaces the override for (flag, env, context key, match value) and
    /// returns it as stored, with its id.
    func upsert(_ override: Override) throws -> Override
    func deleteOverride(id: Int64) throws
    /// Replaces every override of one cell with `overrides` in one statement batch: a
    /// DynamoDB sync rewrites thousands of per-job overrides at once.
    func replaceOverrides(flag: String, env: EnvironmentID, with overrides: [Override]) throws

    /// Inserts a binding and returns it with its id.
    func insert(_ binding: SourceBinding) throws -> SourceBinding
    func deleteBinding(id: Int64) throws

    @discardableResult
    func append(_ draft: AuditDraft) throws -> AuditEvent
}

/// The push journal and sync bookkeeping (see `FlagStore.journal`).
public protocol JournalWriting: StoreReading {
    func insert(_ intent: PushIntent) throws
    /// Replaces an intent's plan (progress of a long push, such as a DynamoDB kill).
    func updatePlan(intent id: String, plan: String) throws
    func deleteIntent(id: String) throws
    /// Records what a sync read: the version, when, and the error if it failed.
    func recordSync(binding id: Int64, version: String?, at: Date, error: String?) throws
    /// What the inventory last saw of a flag in a source. Journal-writable because a
    /// reformatted fragment that means the same changes no flag, yet must be remembered.
    func save(_ record: SourceFlagRecord) throws
}
