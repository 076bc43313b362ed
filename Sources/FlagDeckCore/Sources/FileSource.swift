import Crypto
import FlagDeckAWS
import Foundation

/// A document on disk: a Powertools file, a `features_config.json` beside an
/// application, a flagd file. Versions are content hashes, so "the file still holds what
/// I read" is an exact comparison; writes are atomic (temporary file in the same
/// directory, fsync, rename, fsync of the directory), so a reader sees the old document
/// or the new one, never half of one.
public final class FileSource: DocumentSource, @unchecked Sendable {
    public let path: String
    public var uri: SourceURI { .file(path: path) }
    /// A document larger than this is refused: nobody's flags file is that big, and
    /// reading one would stall a live grid.
    public static let sizeLimit = 16 << 20

    public init(path: String) {
        self.path = path
    }

    public func readServed() throws(SourceError) -> SourceSnapshot { try read() }
    public func readLatest() throws(SourceError) -> SourceSnapshot { try read() }

    func read() throws(SourceError) -> SourceSnapshot {
        let bytes = try Self.contents(path)
        return SourceSnapshot(bytes: bytes, version: FileVersions.version(of: bytes, at: path))
    }

    public func write(_ w: SourceWrite) throws(SourceError) -> SourceReceipt {
        let dir = (path as NSString).deletingLastPathComponent
        // Compare-and-swap: only if the file still holds the version the change was made on.
        let now = try Self.contents(path)
        let found = FileVersions.version(of: now, at: path)
        guard found == w.baseVersion else { throw .changedSince(source: path, expected: w.baseVersion, found: found) }
        var st = stat()
        let mode: mode_t = stat(path, &st) == 0 ? st.st_mode & 0o7777 : 0o644
        Self.removeStaleTemporaries(beside: path)
        let tmp = dir + "/.\((path as NSString).lastPathComponent).flagdeck-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard fd >= 0 else { throw .unreachable(source: path, detail: "cannot write beside it: \(Self.errno())") }
        var ok = false
        defer { if !ok { unlink(tmp) } }
        var written = 0
        let n = w.bytes.count
        while written < n {
            let r = w.bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, n - written) }
            if r < 0 {
                let e = Self.errno()
                close(fd)
                throw .unreachable(source: path, detail: "cannot write: \(e)")
            }
            written += r
        }
        _ = fchmod(fd, mode)  // the umask must not change who can read the application's file
        // The new version is hashed while the disk flushes: the receipt needs both.
        let hashed = Locked<String?>(nil), done = DispatchSemaphore(value: 0)
        let bytes = w.bytes
        DispatchQueue.global(qos: .userInitiated).async {
            let v = Self.version(bytes)
            hashed.withLock { $0 = v }
            done.signal()
        }
        if fsync(fd) != 0 {
            let e = Self.errno()
            close(fd)
            throw .unreachable(source: path, detail: "cannot flush to disk: \(e)")
        }
        close(fd)
        TestCrashPoint.hit(.fileWrittenNotRenamed)
        guard rename(tmp, path) == 0 else { throw .unreachable(source: path, detail: "cannot replace the file: \(Self.errno())") }
        ok = true
        let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY)
        if dfd >= 0 { fsync(dfd); close(dfd) }
        done.wait()
        let version = hashed.withLock { $0 } ?? Self.version(w.bytes)
        FileVersions.remember(w.bytes, version: version, at: path)
        return SourceReceipt(version: version)
    }

    /// A write SIGKILLed between creating its temporary file and the rename leaves
    /// `.NAME.flagdeck-PID-N.tmp` beside the document. No consumer reads it (the bound name
    /// never changes), but it must not pile up: the next write removes those whose process
    /// is gone. A live process's temporary file is its write in progress and is left alone.
    ///
    /// A directory is listed at most once a minute per process: a dead writer's file waits
    /// that long at most, and a kill does not pay for a directory listing every time.
    static func removeStaleTemporaries(beside path: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        let due = staleScan.withLock { last -> Bool in
            if let t = last[path], now &- t < 60_000_000_000 { return false }
            last[path] = now
            return true
        }
        guard due else { return }
        let dir = (path as NSString).deletingLastPathComponent
        let prefix = ".\((path as NSString).lastPathComponent).flagdeck-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            let rest = name.dropFirst(prefix.count)
            guard let pid = rest.split(separator: "-").first.flatMap({ Int32($0) }), pid > 0 else { continue }
            if kill(pid, 0) == 0 || Foundation.errno == EPERM { continue }  // still running
            unlink((dir.isEmpty ? "." : dir) + "/" + name)
        }
    }

    private static let staleScan = Locked<[String: UInt64]>([:])

    /// A file carries no intent ids: after a crash its content decides.
    public func findWrite(intentID: String, after baseVersion: String) throws(SourceError) -> String? { nil }

    public func destination(urgent: Bool) -> String { "writes \(Self.display(path))" }

    // MARK: helpers

    static func contents(_ path: String) throws(SourceError) -> [UInt8] {
        var st = stat()
        guard stat(path, &st) == 0 else { throw .unreachable(source: path, detail: "cannot read: \(errno())") }
        guard st.st_mode & S_IFMT == S_IFREG else {
            throw .unreachable(source: path, detail: "is not a regular file (a directory or device); bind the document itself")
        }
        guard Int(st.st_size) <= sizeLimit else { throw .tooLarge(source: path, bytes: Int(st.st_size), limit: sizeLimit) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreachable(source: path, detail: "cannot read: \(errno())")
        }
        guard data.count <= sizeLimit else { throw .tooLarge(source: path, bytes: data.count, limit: sizeLimit) }
        return [UInt8](data)
    }

    public static func version(_ bytes: [UInt8]) -> String {
        "sha256:" + AuditChain.hex(SHA256.hash(data: bytes))
    }

    static func errno() -> String { String(cString: strerror(Foundation.errno)) }

    /// The path relative to the working directory when it is below it: shorter to read in
    /// a dialog at 3 a.m.
    static func display(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }
}
