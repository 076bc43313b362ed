import Foundation

enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Lower-case hex, as SigV4 wants for hashes and signatures.
    static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
