import FlagDeckCore
import Foundation

/// The dashboard's part in per-job flags: fresh jobs counts after commits, a running
/// bulk kill's progress on the status line, its outcome once done, and the news that a
/// sync kept a kill. Called from `poll`, so it runs on every turn of the event loop.
extension DashboardApp {
    /// Takes what the jobs loader and a running bulk write have; true if the screen changed.
    mutating func pollJobs() -> Bool {
        var changed = false
        if let loaded = jobsLoader.take() {
            switch loaded {
            case .success(let l):
                if l.jobs != model.data.jobs { stack.grid.setJobs(l.jobs) }
                if !l.held.isEmpty { status = StatusMessage(JobsHeldNotice.text(l.held), kind: .success) }
            case .failure(let e):
                status = StatusMessage("cannot read the jobs counts: \(Self.message(e))", kind: .error)
            }
            changed = true
        }
        if let run = stack.grid.bulk {
            if let outcome = run.finished {
                stack.grid.bulk = nil
                var d = run.dialog
                apply(stack.grid.settle(&d, outcome))
            } else {
                // Every poll redraws the bar; a key pressed meanwhile only hides it until then.
                let text = run.text(glyphs: glyphs)
                if status?.text != text { status = StatusMessage(text) }
            }
            changed = true
        } else if let hold = JobsProgressBoard.shared.running(action: "hold") {
            // A sync keeping a kill over many jobs at once: show it happening, as a kill's bar.
            let text = "kill holds: turning \(hold.flag) off again in \(hold.env.path) " + JobsProgressBoard.bar(hold, glyphs: glyphs)
            if status?.text != text {
                status = StatusMessage(text)
                changed = true
            }
        }
        return changed
    }

    /// A commit landed: read the jobs counts again if any cell is bound to a table.
    func refreshJobs() {
        guard boundToTables else { return }
        jobsLoader.start(store: store, after: model.data.seq)
    }

    /// The first frame's counts (it is drawn without them): read once, after it.
    func startJobsOnce() {
        guard boundToTables else { return }
        jobsLoader.startOnce(store: store, after: model.data.seq)
    }

    var boundToTables: Bool { model.data.sources.values.contains { $0.contains { $0.jobsLocation != nil } } }
}
