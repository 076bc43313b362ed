import ArgumentParser
import FlagDeckCore

struct Env: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage environments (ACCOUNT/ENV).",
        subcommands: [Add.self, EnvList.self, Edit.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an environment; every flag gets a disabled cell in it.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "ACCOUNT/ENV, e.g. payments-prod/eu-west-1") var env: String
        @Flag(help: "Production-like: every change needs a reason, a kill needs the flag key typed.") var protected = false
        @Option(help: "Why (recorded in the audit log).") var reason: String = ""

        func run() throws {
            try CLI.run {
                let id = try EnvironmentID(parsing: env)
                let store = try db.open()
                let e = try CLI.operations(store).createEnvironment(id, protected: protected, reason: reason)
                CLI.out("added \(e.id)\(e.isProtected ? " (protected)" : "")")
            }
        }
    }

    struct EnvList: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List environments in grid order.")
        @OptionGroup var db: DatabaseOptions
        @Flag(help: "JSON output.") var json = false

        func run() throws {
            try CLI.run {
                let envs = try db.open().read { try $0.environments() }
                if json {
                    CLI.out(JSONValue.array(envs.map(Render.environment)).render())
                } else {
                    for e in envs { CLI.out("\(e.id)\(e.isProtected ? "  protected" : "")") }
                }
            }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an environment's protection or grid position.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "ACCOUNT/ENV or an unambiguous ENV") var env: String
        @Flag(inversion: .prefixedNo, help: "Mark or unmark as protected.") var protected: Bool?
        @Option(help: "Grid position (lower is further left).") var order: Int?
        @Option(help: "Why (required when the environment is protected).") var reason: String = ""

        func run() throws {
            try CLI.run {
                let e = try CLI.operations(try db.open()).editEnvironment(env, protected: protected, displayOrder: order, reason: reason)
                CLI.out("\(e.id): \(e.isProtected ? "protected" : "unprotected"), order \(e.displayOrder)")
            }
        }
    }
}
