/// An error the dashboard cannot recover from. Thrown out of the event loop (never
/// `fatalError`), so `Dashboard.run` restores the terminal first and then prints the
/// message on stderr, where it stays readable, and exits 1.
///
/// Database read failures are not fatal (the live indicator goes red and recovers), so
/// the one way to reach this path on demand is the hidden `:debug-fatal` command, which
/// exists for the reliability tests and for checking a terminal by hand:
/// `flagdeck ui`, then `:debug-fatal` Enter.
public struct DashboardFatalError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String

    public init(_ description: String) { self.description = description }

    /// What `:debug-fatal` raises.
    public static let debugCommand = DashboardFatalError("forced by the :debug-fatal command")
}
