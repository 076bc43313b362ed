extension StringProtocol {
    /// Reasons are trimmed on every mutation; Foundation's `trimmingCharacters` bridges
    /// through NSString and cost a kill more than its SHA-256 did. Same rule: Unicode
    /// whitespace, newlines included, at both ends.
    public func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }
}
