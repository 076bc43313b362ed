import Crypto
import Foundation

/// Everything a signature was computed from, for tests and for debugging a mismatch.
/// None of it is secret: the signing key never leaves `SigV4.signingKey`.
public struct SigV4Signature: Sendable, Hashable {
    public var amzDate: String
    public var credentialScope: String
    public var canonicalRequest: String
    public var stringToSign: String
    public var signedHeaders: String
    public var signature: String
    public var authorization: String
}

/// AWS Signature Version 4 for the non-S3 services, as botocore's `SigV4Auth` computes
/// it. Pure functions: the instant, credentials and request go in, the headers to add come
/// out. The differential test (`SigV4DifferentialTests`) signs the same requests with
/// botocore and compares every intermediate string byte for byte; when the two disagree,
/// botocore is right.
public enum SigV4 {
    /// Headers botocore never signs: hop-by-hop ones a proxy may rewrite, and ones the
    /// HTTP client owns (`user-agent`, `expect`).
    public static let unsignedHeaders: Set<String> = [
        "baggage", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "traceparent", "tracestate", "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// Signs `request`: sets `X-Amz-Date`, `X-Amz-Security-Token` (when the credentials
    /// carry one) and `Authorization`, replacing earlier values so a retried request can be
    /// signed again.
    public static func sign(_ request: HTTPRequest, credentials: AWSCredentials, service: String, region: String,
                            date: Date) -> (request: HTTPRequest, signature: SigV4Signature) {
        var r = request
        r.headers["Authorization"] = nil
        r.headers["X-Amz-Date"] = nil
        let stamp = amzDate(date)
        r.headers["X-Amz-Date"] = stamp
        if let token = credentials.sessionToken, !token.isEmpty {
            r.headers["X-Amz-Security-Token"] = nil
            r.headers["X-Amz-Security-Token"] = token
        }
        let (canonical, signed) = canonicalRequest(r)
        let day = String(stamp.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let toSign = ["AWS4-HMAC-SHA256", stamp, scope, sha256Hex(Data(canonical.utf8))].joined(separator: "\n")
        let key = signingKey(secret: credentials.secretAccessKey, day: day, region: region, service: service)
        let mac = HMAC<SHA256>.authenticationCode(for: Data(toSign.utf8), using: key)
        let signature = Hex.encode(mac)
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), "
            + "SignedHeaders=\(signed), Signature=\(signature)"
        r.headers["Authorization"] = authorization
        return (r, SigV4Signature(amzDate: stamp, credentialScope: scope, canonicalRequest: canonical,
                                  stringToSign: toSign, signedHeaders: signed, signature: signature,
                                  authorization: authorization))
    }

    /// The canonical request and the `SignedHeaders` list.
    public static func canonicalRequest(_ r: HTTPRequest) -> (String, String) {
        var toSign: [(String, String)] = []
        var seen = Set<String>()
        for (name, value) in r.headers {
            let l = name.lowercased()
            if unsignedHeaders.contains(l) || seen.contains(l) { continue }
            seen.insert(l)
            toSign.append((l, value))
        }
        if !seen.contains("host") { toSign.append(("host", r.hostHeader)) }
        toSign.sort { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
        let canonicalHeaders = toSign.map { "\($0.0):\(trimAll($0.1))" }.joined(separator: "\n") + "\n"
        let signed = toSign.map(\.0).joined(separator: ";")
        let payload = r.headers["X-Amz-Content-SHA256"] ?? sha256Hex(r.body)
        let canonical = [r.method.uppercased(), canonicalURI(r.path), canonicalQuery(r.query), canonicalHeaders,
                         signed, payload].joined(separator: "\n")
        return (canonical, signed)
    }

    /// Non-S3 services: dot segments removed and empty segments collapsed, then the whole
    /// path percent-encoded once more (so an already-encoded `%2F` becomes `%252F`).
    public static func canonicalURI(_ path: String) -> String {
        PercentEncoding.encode(normalizePath(path), keepSlash: true)
    }

    /// botocore's `normalize_url_path` / `remove_dot_segments`.
    public static func normalizePath(_ path: String) -> String {
        if path.isEmpty { return "/" }
        var out: [Substring] = []
        for seg in path.split(separator: "/", omittingEmptySubsequences: false) {
            if seg.isEmpty || seg == "." { continue }
            if seg == ".." {
                if !out.isEmpty { out.removeLast() }
            } else {
                out.append(seg)
            }
        }
        let first = path.hasPrefix("/") ? "/" : ""
        let last = path.hasSuffix("/") && !out.isEmpty ? "/" : ""
        return first + out.joined(separator: "/") + last
    }

    /// Encoded `name=value` pairs sorted by encoded name, then encoded value (repeated
    /// names keep all their values).
    public static func canonicalQuery(_ items: [QueryItem]) -> String {
        let pairs = items.map { (Array(PercentEncoding.encode($0.name).utf8), Array(PercentEncoding.encode($0.value).utf8)) }
        let sorted = pairs.sorted { a, b in
            a.0 == b.0 ? a.1.lexicographicallyPrecedes(b.1) : a.0.lexicographicallyPrecedes(b.0)
        }
        return sorted.map { String(decoding: $0.0, as: UTF8.self) + "=" + String(decoding: $0.1, as: UTF8.self) }
            .joined(separator: "&")
    }

    /// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request")`.
    public static func signingKey(secret: String, day: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data(("AWS4" + secret).utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    public static func sha256Hex(_ data: Data) -> String {
        data.isEmpty ? emptyPayloadHash : Hex.encode(SHA256.hash(data: data))
    }

    /// `YYYYMMDD'T'HHMMSS'Z'` in UTC, without a formatter (thread-safe and cheap).
    public static func amzDate(_ date: Date) -> String {
        var t = time_t(floor(date.timeIntervalSince1970))
        var tm = tm()
        gmtime_r(&t, &tm)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(tm.tm_year + 1900)\(two(tm.tm_mon + 1))\(two(tm.tm_mday))T\(two(tm.tm_hour))\(two(tm.tm_min))\(two(tm.tm_sec))Z"
    }

    /// Python's `' '.join(value.split())`: runs of whitespace become one space, ends trimmed.
    static func trimAll(_ value: String) -> String {
        value.unicodeScalars.split(whereSeparator: isPythonWhitespace).map { String(String.UnicodeScalarView($0)) }
            .joined(separator: " ")
    }

    /// The characters `str.split()` splits on (`str.isspace()`).
    static func isPythonWhitespace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }
}
