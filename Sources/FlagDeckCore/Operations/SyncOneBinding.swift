import Foundation

extension Operations {
    /// One binding's sync, for a caller that schedules bindings apart: the dashboard reads
    /// files every quarter second but polls AppConfig at AppConfig's own interval. The same
    /// rules as `sync()` (which this does not replace): a document is read and what
    /// changed out there recorded, a DynamoDB table scanned. Nil for a binding whose URI no
    /// longer parses (as `sync()` skips it).
    public func sync(binding b: SourceBinding) throws -> SyncReport? {
        guard case .some(let uri) = try? SourceURI(parsing: b.uri) else { return nil }
        if case .dynamoDB = uri { return try syncJobs(b, dryRun: false) }
        return try syncDocument(b, dryRun: false, force: false)
    }
}
