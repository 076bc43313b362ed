/// RFC 3986 percent-encoding over UTF-8, the one SigV4 and the AWS serializers use:
/// unreserved characters (`A-Z a-z 0-9 - _ . ~`) stay, everything else becomes `%XX`
/// with upper-case hex. This is Python's `urllib.parse.quote(s, safe=…)`, which botocore
/// uses on both sides of the wire, so matching it byte for byte is what keeps
/// signatures valid.
public enum PercentEncoding {
    private static let hex = Array("0123456789ABCDEF".utf8)

    @inline(__always)
    static func isUnreserved(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Encodes everything but the unreserved set; with `keepSlash`, `/` stays too
    /// (a whole path rather than one segment or a query component).
    public static func encode(_ s: String, keepSlash: Bool = false) -> String {
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            if isUnreserved(b) || (keepSlash && b == UInt8(ascii: "/")) {
                out.append(b)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0x0f)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `application/x-www-form-urlencoded` body for the query protocol (STS): the same
    /// RFC 3986 encoding botocore's query serializer uses, pairs in the given order.
    public static func formEncode(_ pairs: [(String, String)]) -> String {
        pairs.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }
}
