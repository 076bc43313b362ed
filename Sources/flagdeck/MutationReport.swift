import FlagDeckCore
import Foundation

/// How every cell-changing command reports: one line per changed cell with its audit seq,
/// or "already …; nothing written" (exit 0: a script converging a state re-runs safely).
/// With `--json`: `{"changed", "message", "cells": [{"flag", "env", "state", "version", "seq"}], "skipped"}`.
enum MutationReport {
    static func print(_ r: MutationResult, verb: String, json: Bool, skippedBecause: String = "already as asked") {
        if json {
            let cells = zip(r.states, r.events).map { s, e in
                JSONValue.object([("flag", .string(s.flagKey)), ("env", .string(s.env.path)), ("state", .string(s.cell.name)),
                                ("version", .int(s.version)), ("action", .string(e.action)), ("seq", .int(e.seq))])
            }
            CLI.out(JSONValue.object([("changed", .bool(r.changed)), ("message", .optional(r.unchangedReason)),
                                    ("cells", .array(cells)), ("skipped", .array(r.skipped.map(JSONValue.string))),
                                    ("failed", .array(r.failed.map { .object([("env", .string($0.env)), ("error", .string($0.error))]) }))]).render())
            if !r.failed.isEmpty { exit(1) }
            return
        }
        if let why = r.unchangedReason { CLI.out(why) }
        for (s, e) in zip(r.states, r.events) {
            CLI.out("\(verb) \(s.flagKey) in \(s.env): now \(StateJSON.summary(s)) (audit seq \(e.seq))")
        }
        for skipped in r.skipped { CLI.out("skipped \(skipped): \(skippedBecause)") }
        for f in r.failed { FileHandle.standardError.write(Data("flagdeck: FAILED in \(f.env): \(f.error)\n".utf8)) }
        if !r.failed.isEmpty { exit(1) }
    }
}
