import Foundation

/// How a front end opens its database and builds the operations it mutates through: one
/// place, so the CLI and `flagdeck-bench` take the same path to a kill (SQLite store,
/// wrapped in `PublishingStore` so a `flagdeck publish` directory follows every commit,
/// operations as the OS account). A benchmark of a kill measured on any other stack
/// would measure something the product does not do.
public enum StoreOpener {
    /// The SQLite store at `path`; with `create`, a missing file is created and migrated.
    public static func open(path: String, create: Bool = false) throws(FlagDeckError) -> SQLiteStore {
        try SQLiteStore(path: path, create: create)
    }

    /// The operations every mutating command uses. Publishing failures happen after the
    /// change is committed, so they are reported through `onPublishError`, never thrown.
    public static func operations(on store: SQLiteStore, actor: Actor = .current(),
                                  onPublishError: @escaping @Sendable (String) -> Void) -> Operations {
        Operations(store: PublishingStore(store, onError: onPublishError), actor: actor)
    }
}
