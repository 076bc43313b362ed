import Foundation

/// How a front end builds the operations it mutates through: one place, so the CLI and
/// `flagdeck-bench` take the same path to a kill (the store, pushes a crash interrupted
/// settled first, operations as the given actor). A benchmark of a kill measured on any
/// other stack would measure something the product does not do.
public enum StoreOpener {
    /// The operations every mutating command uses. A push a crash interrupted is settled
    /// before anything else is written, so no change to a source stays without its audit
    /// row; each settled one is reported through `onSettled` (the CLI prints a warning).
    public static func operations(on store: any FlagStore, actor: Actor = .current(),
                                  onSettled: (PushRecovery) -> Void = { _ in }) throws -> Operations {
        let ops = Operations(store: store, actor: actor)
        if !store.isReadOnly {
            for r in try ops.recoverPushes() where r.outcome != .pending { onSettled(r) }
        }
        return ops
    }
}
