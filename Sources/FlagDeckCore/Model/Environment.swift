/// A column of the grid: one deployment target inside one account.
public struct Environment: Hashable, Sendable {
    public var id: EnvironmentID
    /// Left-to-right position in the grid; lower comes first.
    public var displayOrder: Int
    /// Production-like: every change needs a reason, and a kill needs the flag key typed.
    public var isProtected: Bool
    public var version: Int64

    public init(id: EnvironmentID, displayOrder: Int, isProtected: Bool, version: Int64 = 1) {
        self.id = id
        self.displayOrder = displayOrder
        self.isProtected = isProtected
        self.version = version
    }
}
