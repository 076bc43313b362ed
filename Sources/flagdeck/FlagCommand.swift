import ArgumentParser
import FlagDeckCore

struct FlagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flag", abstract: "Create and edit flags.", subcommands: [Add.self, Edit.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a flag; it starts disabled (at 100%) in every environment.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "Flag key: letters, digits, '_', '.', '-' (max 200)") var key: String
        @Option(help: "release, experiment, operational, kill-switch or permission.") var type: String = "release"
        @Option(help: "Owning team or person.") var owner: String?
        @Option(help: "What the flag guards.") var description: String = ""
        @Option(name: .customLong("tag"), help: "A tag (repeatable).") var tags: [String] = []
        @Option(help: "Expected removal date (YYYY-MM-DD).") var expires: String?
        @Option(name: .customLong("depends-on"), help: "A flag this one needs (repeatable).") var dependsOn: [String] = []
        @Option(help: "Why (recorded in the audit log).") var reason: String = ""

        func run() throws {
            try CLI.run {
                let flagType = try FlagType(parsing: type)
                let expiry = try expires.map { try UTC.parseUserDate($0) }
                let store = try db.open()
                let ops = try CLI.operations(store)
                let f = try ops.createFlag(FlagDeckCore.Flag(key: key, description: description, owner: owner.flatMap { $0.isEmpty ? nil : $0 },
                                                type: flagType, tags: tags, createdAt: ops.clock(), expiresAt: expiry,
                                                dependsOn: dependsOn), reason: reason)
                CLI.out("added \(f.key) (\(f.type.rawValue)), disabled everywhere")
            }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Edit a flag's metadata.")
        @OptionGroup var db: DatabaseOptions
        @Argument var key: String
        @Option var type: String?
        @Option(help: "New owner; an empty string clears it.") var owner: String?
        @Option var description: String?
        @Option(name: .customLong("tag"), help: "Replace the tags (repeatable).") var tags: [String] = []
        @Flag(help: "Remove all tags.") var clearTags = false
        @Option(help: "Expiry date (YYYY-MM-DD), or 'none'.") var expires: String?
        @Option(name: .customLong("depends-on"), help: "Replace dependencies (repeatable).") var dependsOn: [String] = []
        @Flag(help: "Remove all dependencies.") var clearDependsOn = false
        @Option(help: "Version you read (from `show`); a stale one is a conflict.") var expectVersion: Int64?
        @Option(help: "Why (recorded in the audit log).") var reason: String = ""

        func run() throws {
            try CLI.run {
                let flagType = try type.map { try FlagType(parsing: $0) }
                let expiry: Date?? = try expires.map { $0 == "none" ? nil : try UTC.parseUserDate($0) }
                let f = try CLI.operations(try db.open()).editFlag(key, reason: reason, expectedVersion: expectVersion) { f in
                    if let flagType { f.type = flagType }
                    if let owner { f.owner = owner.isEmpty ? nil : owner }
                    if let description { f.description = description }
                    if !tags.isEmpty || clearTags { f.tags = tags }
                    if let expiry { f.expiresAt = expiry }
                    if !dependsOn.isEmpty || clearDependsOn { f.dependsOn = dependsOn }
                }
                CLI.out("edited \(f.key) (version \(f.version))")
            }
        }
    }
}

import Foundation
