import Foundation

/// A tiny HTTP/1.1 server on 127.0.0.1 for the behaviours an emulator will not produce
/// on demand (throttling N times, paginated lists, 5xx, a stale-version conflict). A
/// real socket and a real HTTP exchange, so the client's transport, signing and retry
/// code all run as in production. One request per connection (`Connection: close`).
final class LoopbackHTTPServer: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var target: String
        var headers: [String: String]  // lower-cased names
        var body: Data
        var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }
        var query: String? { target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) }
    }

    struct Response: Sendable {
        var status: Int
        var headers: [String: String] = [:]
        var body: Data = Data()

        static func json(_ status: Int, _ text: String, headers: [String: String] = [:]) -> Response {
            var h = headers
            h["Content-Type"] = h["Content-Type"] ?? "application/json"
            return Response(status: status, headers: h, body: Data(text.utf8))
        }
    }

    let port: Int
    var endpoint: String { "http://127.0.0.1:\(port)" }
    private let fd: Int32
    private let handler: @Sendable (Request) -> Response
    private let received = NSLock()
    private var requests: [Request] = []
    private let acceptThreadDone = DispatchSemaphore(value: 0)

    /// Everything received so far, in order.
    var log: [Request] {
        received.lock()
        defer { received.unlock() }
        return requests
    }

    init(handler: @escaping @Sendable (Request) -> Response) throws {
        self.handler = handler
        (fd, port) = try Self.listenOnLoopback()
        let t = Thread { [self] in acceptLoop() }
        t.start()
    }

    private static func listenOnLoopback() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return (fd, Int(UInt16(bigEndian: addr.sin_port)))
    }

    /// Stops accepting and waits for the accept thread to end.
    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
        _ = acceptThreadDone.wait(timeout: .now() + 5)
    }

    private func acceptLoop() {
        defer { acceptThreadDone.signal() }
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            Thread { [self] in serve(client) }.start()
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        func fill() -> Bool {
            let n = read(client, &chunk, chunk.count)
            if n <= 0 { return false }
            buffer += chunk[0..<n]
            return true
        }
        let marker: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            if let r = search(buffer, marker) { headEnd = r; break }
            if !fill() { return }
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return }
        var headers: [String: String] = [:]
        for l in lines {
            guard let c = l.firstIndex(of: ":") else { continue }
            headers[l[..<c].lowercased()] = l[l.index(after: c)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = headEnd! + 4
        while buffer.count - bodyStart < length { if !fill() { return } }
        let request = Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers,
                              body: Data(buffer[bodyStart..<(bodyStart + length)]))
        received.lock()
        requests.append(request)
        received.unlock()
        let response = handler(request)
        var out = "HTTP/1.1 \(response.status) \(response.status < 400 ? "OK" : "Error")\r\n"
        for (k, v) in response.headers { out += "\(k): \(v)\r\n" }
        out += "Content-Length: \(response.body.count)\r\nConnection: close\r\n\r\n"
        let bytes = Array(out.utf8) + Array(response.body)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            sent += n
        }
    }

    private func search(_ hay: [UInt8], _ needle: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] {
            if Array(hay[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}
