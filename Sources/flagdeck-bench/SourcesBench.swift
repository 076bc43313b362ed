import FlagDeckCore
import Foundation

/// Bound files, on the product's own path: `Operations.apply(KillRequest)` on an
/// environment bound to a document (journal intent, compare-and-swap atomic write of the
/// file, audited commit) and `Operations.sync` over many bound environments.
///
/// Baselines measured in the same run, alternating with the product so both see the same
/// disk: for a kill, SQLite's raw prepared commit plus a raw atomic write (temp file,
/// fsync, rename, fsync of the directory) of the same bytes the kill wrote; for a sync,
/// parsing the same files and nothing else.
enum SourcesBench {
    static let killFlags = 1_000
    static let killSamples = 200
    static let syncEnvs = 50
    static let syncFlags = 5_000
    static let syncRuns = 5

    static let suite = BenchSuite(
        name: "sources",
        metrics: ["file_kill_p50_ms", "file_raw_commit_plus_write_p50_ms", "file_kill_vs_raw_p50",
                  "sync_all_ms", "sync_parse_only_ms", "sync_all_vs_parse"],
        run: { try runKill() + runSync() },
        how: "kill: Operations.apply(KillRequest) in an env bound to a \(killFlags)-flag Powertools file, \(killSamples) "
            + "kill/unkill pairs alternating with raw C-API commit + raw atomic write of the bytes the kill wrote; "
            + "sync: Operations.sync over \(syncEnvs) envs bound to \(syncFlags)-flag files, one flag changed outside in each, "
            + "median of \(syncRuns), vs parsing the same \(syncEnvs) files")

    /// A Powertools document of `count` flags, a third of them with a rule, so parsing and
    /// fingerprinting see the shapes real documents have.
    static func document(flags count: Int, flipped: Int? = nil) -> String {
        var parts: [String] = []
        parts.reserveCapacity(count)
        for i in 0..<count {
            let on = (i % 2 == 0) != (i == flipped)
            var body = "\"default\": \(on)"
            if i % 3 == 0 {
                body += ", \"rules\": {\"tier gold\": {\"when_match\": true, \"conditions\": [{\"action\": \"EQUALS\", \"key\": \"tier\", \"value\": \"gold\"}]}}"
            }
            parts.append("  \"feature-\(String(format: "%05d", i))\": {\(body)}")
        }
        return "{\n" + parts.joined(separator: ",\n") + "\n}\n"
    }

    static func scratch(_ name: String) throws -> String {
        let dir = NSTemporaryDirectory() + "flagdeck-bench-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func runKill() throws -> [(String, Double)] {
        let dir = try scratch("file-kill")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/features.json"
        try document(flags: killFlags).write(toFile: file, atomically: true, encoding: .utf8)
        let store = try SQLiteStore(path: dir + "/inventory.db", create: true)
        let ops = try StoreOpener.operations(on: store)
        _ = try ops.addSource(env: "bench/prod", uri: "file:" + file, reason: "bench")
        let raw = try RawSQLite(path: dir + "/inventory.db")  // the same file, as the kill bench does
        defer { raw.close() }
        try raw.exec("CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
        try raw.prepare()
        let rawFile = dir + "/raw-features.json"
        try document(flags: killFlags).write(toFile: rawFile, atomically: true, encoding: .utf8)

        let prod = try EnvironmentID(parsing: "bench/prod")
        var kills: [Double] = [], raws: [Double] = []
        for i in 0..<killSamples {
            // Even flags are on in the document, so each kill really changes the file.
            let flag = "feature-\(String(format: "%05d", (2 * i) % killFlags))"
            let version = try store.read { try $0.state(flag: flag, env: prod) }?.version
            let request = KillRequest(.kill, flag: flag, scope: .environment("bench/prod"), reason: "bench",
                                      seenVersions: version.map { [prod: $0] } ?? [:])
            let k = try Clock.micros { guard try ops.apply(request).changed else { throw BenchError("kill of \(flag) wrote nothing") } }
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            let r = try Clock.micros {
                try raw.insertCommit(i)
                try atomicWrite(bytes, to: rawFile)
            }
            kills.append(k / 1000); raws.append(r / 1000)
            let undo = KillRequest(.unkill, flag: flag, scope: .environment("bench/prod"), reason: "bench")
            guard try ops.apply(undo).changed else { throw BenchError("unkill of \(flag) wrote nothing") }
        }
        let served = try FlagDocuments.parse(Array(try Data(contentsOf: URL(fileURLWithPath: file))), format: nil, file: file)
        guard served.keys.count == killFlags else { throw BenchError("the bound file lost flags during the kills") }
        let k50 = Percentile.of(kills, 50), r50 = Percentile.of(raws, 50)
        return [("file_kill_p50_ms", k50), ("file_raw_commit_plus_write_p50_ms", r50), ("file_kill_vs_raw_p50", k50 / r50)]
    }

    static func runSync() throws -> [(String, Double)] {
        let dir = try scratch("sync-all")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteStore(path: dir + "/inventory.db", create: true)
        let ops = try StoreOpener.operations(on: store)
        var files: [String] = []
        for e in 0..<syncEnvs {
            let file = dir + "/env\(e).json"
            try document(flags: syncFlags).write(toFile: file, atomically: true, encoding: .utf8)
            _ = try ops.addSource(env: "bench/env\(e)", uri: "file:" + file, reason: "bench")
            files.append(file)
        }
        var syncs: [Double] = [], parses: [Double] = []
        for run in 0..<syncRuns {
            // Someone else flips one flag in every file (a different one each run).
            for (e, file) in files.enumerated() {
                try document(flags: syncFlags, flipped: (run * 97 + e) % syncFlags).write(toFile: file, atomically: true, encoding: .utf8)
            }
            var changed = 0
            syncs.append(try Clock.micros { changed = try ops.sync().reduce(0) { $0 + $1.changes.count } } / 1000)
            guard changed >= syncEnvs else { throw BenchError("sync found \(changed) changes, expected at least \(syncEnvs)") }
            parses.append(try Clock.micros {
                for file in files {
                    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
                    _ = try FlagDocuments.parse(bytes, format: nil, file: file)
                }
            } / 1000)
        }
        let s = Percentile.of(syncs, 50), p = Percentile.of(parses, 50)
        return [("sync_all_ms", s), ("sync_parse_only_ms", p), ("sync_all_vs_parse", s / p)]
    }

    /// The floor for replacing an application's file durably: nothing but the system calls.
    static func atomicWrite(_ bytes: [UInt8], to path: String) throws {
        let tmp = path + ".raw.tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw BenchError("open \(tmp)") }
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, bytes.count) }
        guard n == bytes.count, fsync(fd) == 0 else { close(fd); throw BenchError("write \(tmp)") }
        close(fd)
        guard rename(tmp, path) == 0 else { throw BenchError("rename \(tmp)") }
        let d = open((path as NSString).deletingLastPathComponent, O_RDONLY)
        fsync(d); close(d)
    }
}
