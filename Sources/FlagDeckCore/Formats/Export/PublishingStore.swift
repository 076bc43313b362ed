import Foundation

/// Keeps published files current: wraps a store and, after every committed write, rewrites
/// the files of the environments that write touched (every environment for flag-level
/// changes), atomically (temporary file + rename), so applications reading the published
/// directory see each change at once and never half a file.
///
/// `flagdeck publish --out DIR` records the directory and format as settings; the
/// decorator reads them after each commit, so publishing costs nothing until enabled.
/// A publishing failure cannot undo the committed change; it is reported through `onError`.
public final class PublishingStore: FlagStore, @unchecked Sendable {
    public static let dirSetting = "publish.dir"
    public static let formatSetting = "publish.format"

    public let base: any FlagStore
    let onError: @Sendable (String) -> Void

    public init(_ base: any FlagStore, onError: @escaping @Sendable (String) -> Void = { _ in }) {
        self.base = base
        self.onError = onError
    }

    public var location: String { base.location }
    public var isReadOnly: Bool { base.isReadOnly }
    public func read<T>(_ body: (any StoreReading) throws -> T) throws -> T { try base.read(body) }
    public func changeToken() throws -> ChangeToken { try base.changeToken() }
    public func journal<T>(_ body: (any JournalWriting) throws -> T) throws -> T { try base.journal(body) }
    public func healthChecks() -> [StoreHealthCheck] { base.healthChecks() }

    public func write<T>(_ body: (any StoreWriting) throws -> T) throws -> T {
        var before: Int64 = 0
        let result = try base.write { w in
            before = try w.head()?.seq ?? 0
            return try body(w)
        }
        publish(after: before)
        return result
    }

    func publish(after seq: Int64) {
        do {
            try base.read { r in
                let settings = try r.settings()
                guard let dir = settings[Self.dirSetting], !dir.isEmpty else { return }
                let format = Exporter.Format(rawValue: settings[Self.formatSetting] ?? "") ?? .powertools
                let events = try r.events(AuditQuery(afterCursor: seq, ascending: true))
                var envs = Set<EnvironmentID>()
                var all = false
                for e in events {
                    if let p = e.env, let id = try? EnvironmentID(parsing: p) { envs.insert(id) } else { all = true }
                }
                let (files, _) = try Exporter.files(r, format: format)
                try Exporter.write(files.filter { all || envs.contains($0.env) }, to: dir)
            }
        } catch {
            onError("publishing failed (the change itself is committed): \(error)")
        }
    }
}

extension Operations {
    /// Turns publishing on (or moves it): records the directory and format, audited, then
    /// writes every environment's file once.
    @discardableResult
    public func publish(to dir: String, format: Exporter.Format, reason: String = "") throws -> [Exporter.File] {
        let absolute = dir.hasPrefix("/") ? dir : FileManager.default.currentDirectoryPath + "/" + dir
        let (files, _) = try store.read { try Exporter.files($0, format: format) }
        try Exporter.write(files, to: absolute)
        let settings = try store.read { try $0.settings() }
        if settings[PublishingStore.dirSetting] != absolute || settings[PublishingStore.formatSetting] != format.rawValue {
            try transaction(AuditAction.settingSet, flag: nil, env: nil, reason: reason) { tx in
                try tx.authorizeAny(action: "configure publishing")
                try tx.w.setSetting(PublishingStore.dirSetting, absolute)
                try tx.w.setSetting(PublishingStore.formatSetting, format.rawValue)
                try tx.append(AuditAction.settingSet, flag: nil, env: nil,
                              before: settings[PublishingStore.dirSetting].map(JSONText.quote),
                              after: "{\"publish\":\(JSONText.quote(absolute)),\"format\":\(JSONText.quote(format.rawValue))}",
                              reason: reason)
            }
        }
        return files
    }
}
