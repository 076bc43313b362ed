import Foundation

/// Fault injection for the crash tests: with `FLAGDECK_TEST_CRASH_AT=NAME`, the process
/// kills itself with SIGKILL when it reaches that point of a push, so the tests can prove
/// that no document change is ever left without an audit row after the next open. It
/// changes nothing else and cannot change who is recorded.
public enum TestCrashPoint: String, Sendable {
    /// The intent is committed; the source is untouched.
    case intentRecorded = "intent-recorded"
    /// A file's new content is on disk beside it, not yet renamed over it.
    case fileWrittenNotRenamed = "file-written"
    /// The source holds the change; the audit event is not committed.
    case sourceWritten = "source-written"
    /// The audit event is committed.
    case committed = "committed"

    static let armed: TestCrashPoint? = ProcessInfo.processInfo.environment["FLAGDECK_TEST_CRASH_AT"].flatMap(TestCrashPoint.init)

    static func hit(_ p: TestCrashPoint) {
        if armed == p { kill(getpid(), SIGKILL) }
    }
}

/// Fault injection for the race tests: with `FLAGDECK_TEST_PAUSE_BEFORE_WRITE=PREFIX`, the
/// first push of the process stops after reading its source and recording its intent,
/// creates `PREFIX.ready`, and waits (at most 60 s) for `PREFIX.go`, so a test can edit
/// the source between flagdeck's read and its write — deterministically, without sleeps.
public enum TestPausePoint {
    nonisolated(unsafe) static var used = false
    static let prefix = ProcessInfo.processInfo.environment["FLAGDECK_TEST_PAUSE_BEFORE_WRITE"]

    static func beforeWrite() {
        guard let prefix, !used else { return }
        used = true
        FileManager.default.createFile(atPath: prefix + ".ready", contents: Data())
        let end = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: prefix + ".go") && Date() < end { usleep(10_000) }
    }
}
