import ArgumentParser
import FlagDeckCore
import Foundation

/// `flagdeck eval`: Powertools evaluation of a schema file (no database), JSON Lines
/// batches, or a stored flag with the step that decided.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a flag for a context: from a Powertools file (--config), a batch (--batch), or the store (KEY --env).",
        discussion: """
            Store precedence, first match wins: killed > disabled > override > rules > rollout percentage > default.
            --batch reads JSON Lines {"config":…, "feature":…, "context":…, "default":…, "now":…} (or "enabled":true
            instead of "feature") and writes one line per input: {"value":…} or {"error":"…"}.
            """
    )
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Stored flag key (with --env).") var key: String?
    @Option(help: "ACCOUNT/ENV for a stored flag.") var env: String?
    @Option(help: "Powertools schema file to evaluate without a database.") var config: String?
    @Option(help: "Member holding the features (Powertools' envelope).") var envelope: String?
    @Option(help: "--config format: powertools or features-config.") var format: ImportCommand.Format = .powertools
    @Option(help: "Environment name for a features-config cascade.") var environment: String = "production"
    @Option(help: "Feature name in --config.") var feature: String?
    @Flag(help: "List the enabled features (get_enabled_features).") var enabled = false
    @Option(help: "Context as a JSON object.") var context: String = "{}"
    @Option(name: .customLong("default"), help: "Value when the feature is missing (JSON).") var defaultValue: String = "false"
    @Option(help: "Evaluate at this instant (ISO 8601 with Z or an offset).") var now: String?
    @Option(help: "JSON Lines file of evaluations ('-' for stdin).") var batch: String?
    @Flag(help: "JSON output with the deciding step.") var json = false

    func run() throws {
        try CLI.run {
            let at = try instant(now)
            if let batch { return try runBatch(batch) }
            let ctx = try object(context, what: "--context")
            if let config, format == .featuresConfig {
                let cascade = try FeaturesConfigEvaluator(try ImportReader.parse(config))
                guard let feature else { throw FormatError.invalidArgument("--config needs --feature NAME") }
                switch cascade.isEnabled(feature, context: ctx, environment: environment, now: at) {
                case .enabled(let on, let why):
                    CLI.out(json ? JSONWriter.compact(.object(JSONObject([("value", .bool(on)), ("decided_by", .string(why))]))) : String(on))
                case .failure(let why):
                    throw FormatError.schema(FormatLocation(file: config, path: JSONPath.render([.key(feature)])),
                                             "the cascade cannot evaluate this context: \(why)")
                }
                return
            }
            if let config {
                let ev = PowertoolsEvaluator(try PowertoolsValidator.validate(try ImportReader.parse(config),
                                                                              envelope: envelopePath, file: config))
                if enabled {
                    let names = try ev.enabledFeatures(context: ctx, now: at)
                    CLI.out(JSONWriter.compact(.array(names.map { .string($0) })))
                    return
                }
                guard let feature else { throw FormatError.invalidArgument("--config needs --feature NAME or --enabled") }
                let def = try value(defaultValue, what: "--default")
                let (v, d) = ev.explain(feature, context: ctx, default: def, now: at)
                if json {
                    CLI.out(JSONWriter.compact(.object(JSONObject([("value", v), ("decided_by", .string(describe(d)))]))))
                } else {
                    CLI.out(JSONWriter.compact(v))
                }
                return
            }
            guard let key, let env else {
                throw FormatError.invalidArgument("give --config FILE --feature NAME, --batch FILE, or KEY --env ACCOUNT/ENV")
            }
            let store = try db.open()
            let (state, inventory) = try store.read { r in
                guard try r.flag(key: key) != nil else { throw FlagDeckError.unknownFlag(key) }
                let e = try EnvironmentResolver.resolve(env, in: try r.environments())
                guard let s = try r.state(flag: key, env: e.id) else { throw FlagDeckError.unknownFlag(key) }
                return (s, try Inventory(r, env: e.id))
            }
            guard let r = inventory.evaluate(key, context: ctx, now: at) else { throw FlagDeckError.unknownFlag(key) }
            if json {
                CLI.out(JSONWriter.compact(.object(JSONObject([
                    ("flag", .string(key)), ("env", .string(state.env.path)), ("value", r.value),
                    ("decided_by", .string(r.explanation)),
                ]))))
            } else {
                CLI.out("\(JSONWriter.compact(r.value))  (\(r.explanation))")
            }
        }
    }

    var envelopePath: [String] { envelope.map { $0.split(separator: ".").map(String.init) } ?? [] }

    func describe(_ d: PowertoolsEvaluator.Decision) -> String {
        switch d {
        case .featureMissing: "feature not in the file: the given default"
        case .noRules: "no rules: the feature default"
        case .rule(let r): "rule \(JSONText.quote(r))"
        case .defaultValue: "no rule matched: the feature default"
        }
    }

    func instant(_ text: String?) throws -> Date {
        guard let text else { return Date() }
        if let d = CivilDateTime.parseInstant(text) { return d }
        return try UTC.parseUserDate(text)
    }

    func value(_ text: String, what: String) throws -> JSONValue {
        do { return try JSONParser.parse(text) } catch {
            throw FormatError.invalidArgument("\(what) is not JSON: \(error)")
        }
    }

    func object(_ text: String, what: String) throws -> JSONObject {
        guard case .object(let o) = try value(text, what: what) else {
            throw FormatError.invalidArgument("\(what) must be a JSON object")
        }
        return o
    }

    /// One output line per input line; a bad line gets `{"error":…}` and the batch goes on.
    func runBatch(_ path: String) throws {
        let data: Data
        if path == "-" { data = FileHandle.standardInput.readDataToEndOfFile() } else {
            guard let d = FileManager.default.contents(atPath: path) else { throw FormatError.io(path: path, "cannot read the file") }
            data = d
        }
        var cache: [[UInt8]: Result<PowertoolsEvaluator, FormatError>] = [:]
        var out = ""
        var lineNo = 0
        for raw in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNo += 1
            if raw.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            let result: JSONValue
            do {
                let line = try JSONParser.parse(Array(raw))
                guard let cfg = line["config"] else { throw FormatError.invalidArgument("line \(lineNo): missing \"config\"") }
                let key = Array(JSONWriter.compact(cfg).utf8)
                if cache[key] == nil {
                    do { cache[key] = .success(try PowertoolsEvaluator(json: cfg, envelopePath: envelopePath)) } catch { cache[key] = .failure(error) }
                }
                let ev = try cache[key]!.get()
                let ctx: JSONObject
                switch line["context"] ?? .object(JSONObject()) {
                case .object(let o): ctx = o
                case .null: ctx = JSONObject()
                default: throw FormatError.invalidArgument("line \(lineNo): \"context\" must be an object")
                }
                let at = try line["now"]?.stringValue.map { try instant($0) } ?? Date()
                if line["enabled"]?.isTruthy == true {
                    result = .array(try ev.enabledFeatures(context: ctx, now: at).map { .string($0) })
                } else {
                    guard let name = line["feature"]?.stringValue else { throw FormatError.invalidArgument("line \(lineNo): missing \"feature\"") }
                    result = ev.evaluate(name, context: ctx, default: line["default"] ?? .null, now: at)
                }
                out += JSONWriter.compact(.object(JSONObject([("value", result)]))) + "\n"
            } catch {
                out += JSONWriter.compact(.object(JSONObject([("error", .string("\(error)"))]))) + "\n"
            }
            if out.utf8.count > 1 << 16 { FileHandle.standardOutput.write(Data(out.utf8)); out = "" }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}

extension PowertoolsEvaluator {
    convenience init(json: JSONValue, envelopePath: [String]) throws(FormatError) {
        try self.init(json: json, envelope: envelopePath)
    }
}
