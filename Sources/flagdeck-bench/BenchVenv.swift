import Foundation

/// `.build/venvs/NAME` from `Tests/python/NAME.txt`, shared with the tests (same stamp, same lock).
struct BenchVenv {
    let name: String
    var directory: String { BenchRepo.root + "/.build/venvs/" + name }
    var python: String { directory + "/bin/python" }

    /// The same provisioning as the consumers' virtualenv (`BenchPython.ensure`).
    func ensure() throws -> BenchVenv {
        _ = try BenchPython.ensure(name)
        return self
    }
}
