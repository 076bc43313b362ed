import ArgumentParser
import FlagDeckCore

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create the database (mode 0600) and start the audit log.")

    @OptionGroup var db: DatabaseOptions

    func run() throws {
        try CLI.run {
            let store = try db.open(create: true)
            if let e = try CLI.operations(store).initialize() {
                CLI.out("initialised \(store.location) (audit seq \(e.seq), operator \(e.operator))")
            } else {
                CLI.out("\(store.location) is already initialised; nothing written")
            }
        }
    }
}
