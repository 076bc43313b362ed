import ArgumentParser
import FlagDeckCore
import Foundation

/// `flagdeck source add|list|rm`: where each environment's flags really live. Binding
/// decides where kills go, so both changes are audited and need a reason in a protected
/// environment.
struct SourceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source", abstract: "Bind environments to the documents and tables applications read.",
        subcommands: [Add.self, ListSources.self, Remove.self, SourceResume.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bind ENV to URI (file:PATH, appconfig://…, dynamodb://…) and import what it holds.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "ACCOUNT/ENV (created if it does not exist) or an unambiguous ENV.") var env: String
        @Argument(help: "file:PATH, appconfig://PROFILE@REGION/APP/ENV/PROFILE or dynamodb://PROFILE@REGION/TABLE?key=…&attribute=…&flag=….")
        var uri: String
        @Option(help: "powertools, features-config or flagd (default: detected from the content).") var format: String?
        @Option(help: "The application's own name for this environment (features_config `environments`).") var appEnvironment: String?
        @Option(help: "AppConfig: the deployment strategy kills use (default: flagdeck-immediate, created on first use).")
        var killStrategy: String?
        @Option(help: "AppConfig: the deployment strategy other changes use (default: AppConfig.AllAtOnce).") var strategy: String?
        @Option(help: "Why (required in protected environments; recorded).") var reason: String = ""

        func run() throws {
            try CLI.run {
                var options: [String: String] = [:]
                options[SourceOption.appEnvironment] = appEnvironment
                options[SourceOption.killStrategy] = killStrategy
                options[SourceOption.strategy] = strategy
                let added = try CLI.operations(try db.open()).addSource(env: env, uri: uri, format: format, options: options,
                                                                       reason: reason)
                CLI.out("bound \(added.binding.env) to \(added.binding.uri) (\(added.binding.format))")
                for c in added.changes { CLI.out("  \(c)") }
                for w in added.warnings { CLI.warn(w) }
            }
        }
    }

    struct ListSources: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Every binding, with its last sync.")
        @OptionGroup var db: DatabaseOptions
        @Flag(help: "JSON output.") var json = false

        func run() throws {
            try CLI.run {
                let store = try db.open()
                let (bindings, counts) = try store.read { r in
                    let b = try r.sourceBindings()
                    return (b, try b.map { try r.sourceFlags(binding: $0.id).filter { $0.seen != nil }.count })
                }
                if json {
                    CLI.out(JSONValue.array(zip(bindings, counts).map { b, n in
                        .object([("env", .string(b.env.path)), ("uri", .string(b.uri)), ("format", .string(b.format)),
                                 ("flags", .int(Int64(n))), ("version", .optional(b.version)),
                                 ("synced_at", .optional(b.syncedAt.map(UTC.format))), ("error", .optional(b.syncError)),
                                 ("options", .object(JSONObject(b.options.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))),
                                 ("created_by", .string(b.createdBy)), ("created_at", .string(UTC.format(b.createdAt)))])
                    }).render())
                    return
                }
                if bindings.isEmpty { CLI.out("no sources bound (flagdeck source add ENV file:PATH)"); return }
                CLI.out(Render.table(["ENV", "SOURCE", "FORMAT", "FLAGS", "SYNCED", "STATUS"], zip(bindings, counts).map { b, n in
                    [b.env.path, b.uri, b.format, String(n), b.syncedAt.map(UTC.format) ?? "-", b.syncError ?? "ok"]
                }))
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Unbind ENV from URI (its flags and history stay).")
        @OptionGroup var db: DatabaseOptions
        @Argument var env: String
        @Argument var uri: String
        @Option(help: "Why (required; recorded).") var reason: String

        func run() throws {
            try CLI.run {
                let b = try CLI.operations(try db.open()).removeSource(env: env, uri: uri, reason: reason)
                CLI.out("unbound \(b.env) from \(b.uri)")
            }
        }
    }
}

/// `flagdeck sync [ENV...]`: record what changed in the bound sources outside flagdeck.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Read every bound source and record the changes made outside flagdeck.")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Only these environments (default: all bound ones).") var envs: [String] = []
    @Flag(help: "Show what would be recorded; write nothing.") var dryRun = false
    @Flag(help: "JSON output.") var json = false

    func run() throws {
        try CLI.run {
            let reports = try CLI.operations(try db.open()).sync(envs: envs, dryRun: dryRun, force: true)
            if json {
                CLI.out(JSONValue.array(reports.map { r in
                    .object([("env", .string(r.binding.env.path)), ("uri", .string(r.binding.uri)), ("version", .optional(r.version)),
                             ("status", .optional(r.status)), ("error", .optional(r.error)), ("dry_run", .bool(dryRun)),
                             ("changes", .array(r.changes.map { c in
                                 .object([("flag", .string(c.flag)), ("kind", .string(c.kind.rawValue)),
                                          ("before", .optional(c.before)), ("after", .optional(c.after))])
                             })),
                             ("seqs", .array(r.events.map { .int($0.seq) }))])
                }).render())
            } else {
                for r in reports {
                    if let e = r.error { CLI.warn("\(r.binding.env): \(e)"); continue }
                    let verb = dryRun ? "would record" : "recorded"
                    CLI.out("\(r.binding.env) \(r.binding.uri): " + (r.changes.isEmpty ? "no changes" : "\(verb) \(r.changes.count) change(s)")
                            + (r.status.map { " (\($0))" } ?? ""))
                    for c in r.changes { CLI.out("  \(c.kind.rawValue) \(c.flag): \(c.before ?? "-") -> \(c.after ?? "absent")") }
                }
                if reports.isEmpty { CLI.out("no sources bound (flagdeck source add ENV file:PATH)") }
            }
            if reports.contains(where: { $0.error != nil }) { throw ExitCode(1) }
        }
    }
}
