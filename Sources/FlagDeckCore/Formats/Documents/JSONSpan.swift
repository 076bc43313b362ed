/// Where a value lies in the bytes it was parsed from (`start..<end`), and — for
/// containers inside the depth the parser was asked to record — where each member or
/// element lies. Offsets are byte offsets into the parsed buffer, so a rewrite can
/// splice exactly one value and leave every other byte alone.
public struct JSONSpan: Sendable, Equatable {
    public var start: Int
    public var end: Int
    /// Object members in document order; nil when not recorded (or not an object).
    public var members: [JSONMemberSpan]?
    /// Array elements in order; nil when not recorded (or not an array).
    public var elements: [JSONSpan]?

    public init(start: Int, end: Int, members: [JSONMemberSpan]? = nil, elements: [JSONSpan]? = nil) {
        self.start = start
        self.end = end
        self.members = members
        self.elements = elements
    }

    public var range: Range<Int> { start..<end }

    /// The member named `key` (by code points, like a Python dict), if recorded.
    public func member(_ key: String) -> JSONMemberSpan? {
        members?.first { JSONCompare.sameScalars($0.key, key) }
    }

    /// The same span with every offset moved by `delta` (for a fragment parsed on its own).
    func shifted(by delta: Int) -> JSONSpan {
        JSONSpan(start: start + delta, end: end + delta,
                 members: members?.map { JSONMemberSpan(key: $0.key, keyStart: $0.keyStart + delta, keyEnd: $0.keyEnd + delta,
                                                         value: $0.value.shifted(by: delta)) },
                 elements: elements?.map { $0.shifted(by: delta) })
    }
}

/// One object member: the key's quoted text is `keyStart..<keyEnd`, the value `value`.
public struct JSONMemberSpan: Sendable, Equatable {
    public var key: String
    public var keyStart: Int
    public var keyEnd: Int
    public var value: JSONSpan
}
