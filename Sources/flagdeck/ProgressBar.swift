import Foundation

/// A one-line progress bar on stderr, redrawn in place. Callers create it only when
/// stderr is a terminal, so pipes and logs stay clean.
final class ProgressBar {
    let label: String
    private var lastDrawn = -1

    init(label: String) { self.label = label }

    func update(_ done: Int, of total: Int) {
        let permille = total == 0 ? 1000 : done * 1000 / total
        guard permille != lastDrawn else { return }
        lastDrawn = permille
        let width = 30
        let filled = permille * width / 1000
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        write("\r\(label) [\(bar)] \(permille / 10)% \(done)/\(total)")
    }

    func finish() { write("\n") }

    func line(_ s: String) { write(s + "\n") }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
