import ArgumentParser
import FlagDeckCore

/// The `flagdeck` command. Subcommand names and flags are a stable interface: scripts
/// and tests depend on them (see README "CLI reference").
@main
struct Flagdeck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flagdeck",
        abstract: "Feature flags across environments and accounts: dashboard, kill switch and audit log.",
        discussion: """
            Exit codes: 0 ok, 1 operation failed, 2 conflict (someone changed it first), 64 usage error.
            The database is --db PATH, else $FLAGDECK_DB, else $XDG_DATA_HOME/flagdeck/flagdeck.sqlite.
            """,
        subcommands: [
            Init.self, Env.self, FlagCommand.self, List.self, Show.self,
            Enable.self, Disable.self, Rollout.self, Kill.self, Unkill.self,
            History.self, Audit.self, Policy.self, DoctorCommand.self, BackupCommand.self,
            Demo.self, Generate.self, Review.self, SettingsCommand.self, RandomWrites.self,
            ImportCommand.self, ExportCommand.self, PublishCommand.self, EvalCommand.self, OverrideCommand.self,
            SourceCommand.self, SyncCommand.self, AWSCommand.self,
            Migrate.self, UI.self,
        ],
        defaultSubcommand: UI.self
    )
}
