import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An HTTP/1.1 proxy on 127.0.0.1 in front of the emulator, for what the emulator will
/// not do on demand: throttle, fail with 5xx, or drop the connection mid-kill. Every
/// request is a real exchange on a real socket, so the client's transport, retries and
/// backoff run as in production. One request per connection (`Connection: close`).
public final class FaultProxy: @unchecked Sendable {
    public struct Request: Sendable {
        public var operation: String  // X-Amz-Target's operation, e.g. UpdateItem
        public var body: Data
        public var at: Date
    }

    public enum Action: Sendable {
        case forward
        case respond(status: Int, body: String)
        /// Close the connection without answering: the client sees the network fail.
        case drop
        /// Forward, then close without answering: the write happened, the client cannot know.
        case forwardThenDrop
    }

    public let port: Int
    public var endpoint: String { "http://127.0.0.1:\(port)" }
    private let upstream: String
    private let fd: Int32
    private let decide: @Sendable (Request, Int) -> Action
    private let lock = NSLock()
    private var seen: [(Request, Action)] = []
    private let session: URLSession

    /// `decide(request, n)` chooses what happens to the n-th request (0-based) of its operation.
    public init(upstream: String, decide: @escaping @Sendable (Request, Int) -> Action) throws {
        self.upstream = upstream
        self.decide = decide
        let config = URLSessionConfiguration.ephemeral
        config.httpMaximumConnectionsPerHost = 32
        session = URLSession(configuration: config)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard fd >= 0, bound == 0, listen(fd, 128) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        self.fd = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        Thread { [self] in acceptLoop() }.start()
    }

    public func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    /// What came in and what was done with it, in order of arrival.
    public var log: [(request: Request, action: Action)] {
        lock.lock()
        defer { lock.unlock() }
        return seen.map { ($0.0, $0.1) }
    }

    public func count(_ operation: String) -> Int { log.filter { $0.request.operation == operation }.count }

    private func acceptLoop() {
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 {
                if errno == EINTR { continue }
                return
            }
            Thread { [self] in serve(c) }.start()
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        guard let (headers, body) = readRequest(client) else { return }
        let op = headers["x-amz-target"].flatMap { $0.split(separator: ".").last.map(String.init) } ?? "?"
        let request = Request(operation: op, body: body, at: Date())
        lock.lock()
        let n = seen.filter { $0.0.operation == op }.count
        lock.unlock()
        let action = decide(request, n)
        lock.lock()
        seen.append((request, action))
        lock.unlock()
        switch action {
        case .drop:
            return
        case .respond(let status, let text):
            reply(client, status: status, headers: ["Content-Type": "application/x-amz-json-1.0"], body: Data(text.utf8))
        case .forward, .forwardThenDrop:
            var r = URLRequest(url: URL(string: upstream + "/")!)
            r.httpMethod = "POST"
            for (k, v) in headers where !["host", "content-length", "connection"].contains(k) { r.setValue(v, forHTTPHeaderField: k) }
            r.httpBody = body
            let done = DispatchSemaphore(value: 0)
            let boxLock = NSLock()
            nonisolated(unsafe) var box: (Int, [String: String], Data)?
            session.dataTask(with: r) { data, response, _ in
                if let h = response as? HTTPURLResponse {
                    var hs: [String: String] = [:]
                    for (k, v) in h.allHeaderFields { if let k = k as? String { hs[k] = "\(v)" } }
                    boxLock.withLock { box = (h.statusCode, hs, data ?? Data()) }
                }
                done.signal()
            }.resume()
            done.wait()
            guard let (status, hs, data) = boxLock.withLock({ box }) else { return }
            if case .forwardThenDrop = action { return }
            var keep: [String: String] = [:]
            for (k, v) in hs where ["content-type", "x-amzn-requestid", "x-amz-crc32"].contains(k.lowercased()) { keep[k] = v }
            reply(client, status: status, headers: keep, body: data)
        }
    }

    private func readRequest(_ client: Int32) -> ([String: String], Data)? {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        func fill() -> Bool {
            let n = read(client, &chunk, chunk.count)
            if n <= 0 { return false }
            buffer += chunk[0..<n]
            return true
        }
        var headEnd: Int?
        while headEnd == nil {
            if buffer.count >= 4 {
                for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
                    headEnd = i
                    break
                }
            }
            if headEnd == nil && !fill() { return nil }
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        var headers: [String: String] = [:]
        for l in head.components(separatedBy: "\r\n").dropFirst() {
            guard let c = l.firstIndex(of: ":") else { continue }
            headers[l[..<c].lowercased()] = l[l.index(after: c)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let start = headEnd! + 4
        while buffer.count - start < length { if !fill() { return nil } }
        return (headers, Data(buffer[start..<(start + length)]))
    }

    private func reply(_ client: Int32, status: Int, headers: [String: String], body: Data) {
        var out = "HTTP/1.1 \(status) \(status < 400 ? "OK" : "Error")\r\n"
        for (k, v) in headers { out += "\(k): \(v)\r\n" }
        out += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let bytes = Array(out.utf8) + Array(body)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            sent += n
        }
    }
}
