import FlagDeckCore

/// How every cell-changing command reports: one line per changed cell with its audit seq,
/// or "already …; nothing written" (exit 0: a script converging a state re-runs safely).
/// With `--json`: `{"changed", "message", "cells": [{"flag", "env", "state", "version", "seq"}], "skipped"}`.
enum MutationReport {
    static func print(_ r: MutationResult, verb: String, json: Bool, skippedBecause: String = "already as asked") {
        if json {
            let cells = zip(r.states, r.events).map { s, e in
                JSONOut.object([("flag", .string(s.flagKey)), ("env", .string(s.env.path)), ("state", .string(s.cell.name)),
                                ("version", .int(s.version)), ("action", .string(e.action)), ("seq", .int(e.seq))])
            }
            CLI.out(JSONOut.object([("changed", .bool(r.changed)), ("message", .optional(r.unchangedReason)),
                                    ("cells", .array(cells)), ("skipped", .array(r.skipped.map(JSONOut.string)))]).render())
            return
        }
        if let why = r.unchangedReason { CLI.out(why) }
        for (s, e) in zip(r.states, r.events) {
            CLI.out("\(verb) \(s.flagKey) in \(s.env): now \(StateJSON.summary(s)) (audit seq \(e.seq))")
        }
        for skipped in r.skipped { CLI.out("skipped \(skipped): \(skippedBecause)") }
    }
}
