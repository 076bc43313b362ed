import ArgumentParser
import FlagDeckCore
import Foundation

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check and anchor the hash-chained audit log.", subcommands: [Verify.self, Head.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recompute the chain; exit 1 naming the first bad seq.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "A head hash recorded earlier: the log must still contain it.") var expect: String?
        @Flag(help: "JSON output.") var json = false

        func run() throws {
            try CLI.run {
                let report = try AuditLog.verify(try db.open(), expect: expect)
                if json {
                    CLI.out(JSONValue.object([
                        ("ok", .bool(report.ok)), ("events", .int(report.count)),
                        ("head_seq", report.head.map { .int($0.seq) } ?? .null),
                        ("head_hash", .optional(report.head?.hash)),
                        ("first_bad_seq", report.problem?.seq.map(JSONValue.int) ?? .null),
                        ("problem", .optional(report.problem?.kind)),
                        ("detail", .optional(report.problem?.description)),
                        ("warnings", .array(report.warnings.map {
                            .object([("seq", .int($0.seq)), ("at", .string($0.at)), ("previous_at", .string($0.previousAt)),
                                     ("detail", .string($0.description))])
                        })),
                    ]).render())
                } else {
                    for w in report.warnings { FileHandle.standardError.write(Data("flagdeck: warning: \(w)\n".utf8)) }
                    if let p = report.problem {
                        FileHandle.standardError.write(Data("flagdeck: audit chain BROKEN: \(p)\n".utf8))
                    } else {
                        CLI.out("audit chain ok: \(report.count) events, head seq \(report.head?.seq ?? 0) hash \(report.head?.hash ?? AuditChain.genesisHash)")
                    }
                }
                if !report.ok { throw ExitCode(1) }
            }
        }
    }

    struct Head: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the head hash, to record elsewhere and check later with verify --expect.")
        @OptionGroup var db: DatabaseOptions
        @Flag(help: "JSON output.") var json = false

        func run() throws {
            try CLI.run {
                let head = try AuditLog.head(try db.open())
                if json {
                    CLI.out(JSONValue.object([("seq", .int(head?.seq ?? 0)), ("hash", .string(head?.hash ?? AuditChain.genesisHash))]).render())
                } else {
                    CLI.out("\(head?.seq ?? 0) \(head?.hash ?? AuditChain.genesisHash)")
                }
            }
        }
    }
}
