import Foundation

/// Polls a condition until it holds or the deadline passes: tests never sleep and hope.
public enum Deadline {
    /// Returns the first non-nil value of `probe`, or nil after `seconds`.
    public static func poll<T>(_ seconds: TimeInterval, every interval: TimeInterval = 0.05,
                               _ probe: () throws -> T?) rethrows -> T? {
        let end = Date().addingTimeInterval(seconds)
        while true {
            if let v = try probe() { return v }
            if Date() >= end { return nil }
            Thread.sleep(forTimeInterval: interval)
        }
    }

    /// True once `condition` holds within `seconds`.
    public static func until(_ seconds: TimeInterval, every interval: TimeInterval = 0.05,
                             _ condition: () throws -> Bool) rethrows -> Bool {
        try poll(seconds, every: interval) { try condition() ? true : nil } ?? false
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago (the kernel picked it).
public enum FreePort {
    public static func next() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0, "socket() failed")
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
        }
        precondition(bound == 0, "bind() failed")
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
