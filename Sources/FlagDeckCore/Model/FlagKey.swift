/// Flag key rules. Keys end up as identifiers in code, file names and URLs, so the
/// alphabet is deliberately narrow.
public enum FlagKey {
    public static let maxLength = 200

    static func isAllowedByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            || b == 0x5F || b == 0x2E || b == 0x2D
    }

    public static func validate(_ key: String) throws(FlagDeckError) {
        guard !key.isEmpty, key.utf8.count <= maxLength, key.utf8.allSatisfy(isAllowedByte) else {
            throw .invalidFlagKey(key)
        }
    }
}
