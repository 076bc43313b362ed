import ArgumentParser
import FlagDeckCore
import Foundation

/// Shared plumbing: typed errors become a message on stderr and the documented exit code.
enum CLI {
    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch FlagDeckError.nothingToDo(let already) {
            // Already as asked: success, nothing written (scripts converge by re-running).
            out(already)
            exit(0)
        } catch let e as FlagDeckError {
            fail(e.description, code: e.exitCode)
        } catch let e as SourceError {
            fail(e.description, code: e.exitCode)
        } catch let e as ExitCode {
            throw e
        } catch let e as CleanExit {
            throw e
        } catch {
            fail("\(error)", code: 1)
        }
    }

    static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("flagdeck: \(message)\n".utf8))
        exit(code)
    }

    static func out(_ s: String) {
        FileHandle.standardOutput.write(Data((s.hasSuffix("\n") ? s : s + "\n").utf8))
    }

    /// The operations every writing command uses: the OS account of the effective uid (on a
    /// team server, the role the server authenticated), the real clock. The same stack
    /// `flagdeck-bench` measures (see `StoreOpener`).
    static func operations(_ store: any FlagStore) throws -> Operations {
        JobsProgressLine.install()
        return try StoreOpener.operations(on: store, actor: DatabaseOptions.actor(for: store)) { r in
            warn("settled an interrupted change: \(r.intent.action) \(r.intent.flag) in \(r.intent.env) by \(r.intent.operator) was \(r.outcome.rawValue) (\(r.detail))")
        }
    }

    static func warn(_ s: String) {
        FileHandle.standardError.write(Data("flagdeck: warning: \(s)\n".utf8))
    }

    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
}

/// In this module `@Flag` is ArgumentParser's property wrapper; the model's flag type is
/// spelled `FlagDeckCore.Flag`.
typealias Flag = ArgumentParser.Flag
