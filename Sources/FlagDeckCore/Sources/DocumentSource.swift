import Foundation

/// One version of a whole document as a source holds it.
public struct SourceSnapshot: Sendable, Hashable {
    public var bytes: [UInt8]
    /// Opaque; equal versions mean equal documents. `sha256:…` for files, the hosted
    /// version number for AppConfig.
    public var version: String
    /// What an operator should know about this version beyond its content, for headers
    /// and dialogs: "v15 staged, v14 deployed", "deploying 40 %".
    public var status: String?

    public init(bytes: [UInt8], version: String, status: String? = nil) {
        self.bytes = bytes
        self.version = version
        self.status = status
    }
}

/// A change to write: the whole new document, and the version it was computed from.
public struct SourceWrite: Sendable {
    public var bytes: [UInt8]
    /// Write only if the source still holds this version (compare-and-swap).
    public var baseVersion: String
    /// The push intent's id, carried into the source where it can be (an AppConfig
    /// version's description), so an orphaned write can be found after a crash.
    public var intentID: String
    /// "flagdeck kill checkout.v2 by alice: reason (intent …)"; printable ASCII.
    public var description: String
    /// A kill: deploy at once, stopping whatever deployment is in progress.
    public var urgent: Bool

    public init(bytes: [UInt8], baseVersion: String, intentID: String, description: String, urgent: Bool) {
        self.bytes = bytes
        self.baseVersion = baseVersion
        self.intentID = intentID
        self.description = description
        self.urgent = urgent
    }
}

/// What a write produced, recorded in the change's audit event.
public struct SourceReceipt: Sendable, Hashable {
    public var version: String
    /// Ordered facts for the audit log and the status line: `deployment`, `strategy`,
    /// `stopped_deployment`…
    public var details: [String: String]

    public init(version: String, details: [String: String] = [:]) {
        self.version = version
        self.details = details
    }
}

/// A source that holds whole documents: a file, an AppConfig configuration profile. The
/// operations read, change one flag, and write back with compare-and-swap; drivers only
/// move bytes and versions.
public protocol DocumentSource: AnyObject, Sendable {
    var uri: SourceURI { get }
    /// What applications read now (AppConfig: the deployed configuration through
    /// AppConfigData). Sync compares this with the inventory.
    func readServed() throws(SourceError) -> SourceSnapshot
    /// What a change is made on top of (AppConfig: the latest hosted version; a file: the
    /// same as served).
    func readLatest() throws(SourceError) -> SourceSnapshot
    /// Writes if the source still holds `write.baseVersion`; throws `.changedSince`
    /// otherwise, and then nothing was written.
    func write(_ write: SourceWrite) throws(SourceError) -> SourceReceipt
    /// After a crash: the version of a write carrying `intentID`, if the source can tell
    /// (AppConfig descriptions); nil when it cannot (then the content decides).
    func findWrite(intentID: String, after baseVersion: String) throws(SourceError) -> String?
    /// Where a change goes, for the kill dialog: `writes sample/…/features.json`,
    /// `deploys to checkout/prod with flagdeck-immediate`.
    func destination(urgent: Bool) -> String
    /// The format the source itself declares, when it declares one (an AppConfig
    /// `AWS.AppConfig.FeatureFlags` profile, whose served form cannot be recognised from
    /// its content); nil means "detect it from the content".
    func declaredFormat() throws(SourceError) -> DocumentFormat?
    /// After `findWrite` found `intentID`'s write: the version and driver facts (an
    /// AppConfig deployment number) for the recovered audit event; nil when there are none.
    func recoveryReceipt(intentID: String) -> SourceReceipt?
}

extension DocumentSource {
    public func declaredFormat() throws(SourceError) -> DocumentFormat? { nil }
    public func recoveryReceipt(intentID: String) -> SourceReceipt? { nil }
}
