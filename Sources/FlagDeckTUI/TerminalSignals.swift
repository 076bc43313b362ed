import CNcursesw
import Foundation
import Synchronization

/// The signal that asked the dashboard to stop, or 0. A handler may only do
/// async-signal-safe work, so it records the signal here and the event loop (which wakes
/// at least every 100 ms) restores the terminal and exits.
let pendingSignal = Atomic<Int32>(0)

enum TerminalSignals {
    static func install() {
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { s in pendingSignal.store(s, ordering: .relaxed) }
        }
        // A crash must not leave the operator's terminal raw and invisible: restore it,
        // then let the signal kill us as it would have.
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            signal(sig) { s in
                endwin()
                // After the restore, so it lands on the normal screen (only write(2) here).
                let msg: StaticString = "flagdeck: crashed; the terminal was restored. Please report this.\n"
                _ = write(2, msg.utf8Start, msg.utf8CodeUnitCount)
                signal(s, SIG_DFL)
                raise(s)
            }
        }
    }

    static func uninstall() {
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            signal(sig, SIG_DFL)
        }
    }

    static var pending: Int32 { pendingSignal.load(ordering: .relaxed) }
}
