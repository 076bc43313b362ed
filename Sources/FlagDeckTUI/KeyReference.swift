import Foundation

/// Every screen type, for what must cover them all: the key reference in
/// `docs/dashboard.md` and the test that walks every table. A new screen is added here.
public enum ScreenCatalog {
    public struct Entry: Sendable {
        public var name: String
        public var type: any Screen.Type
        public var keys: [BindingInfo]
    }

    public static let all: [Entry] = [
        Entry(name: "Grid", type: GridScreen.self, keys: GridScreen.bindingInfo),
        Entry(name: "Flag detail", type: FlagDetailScreen.self, keys: FlagDetailScreen.bindingInfo),
        Entry(name: "History", type: HistoryScreen.self, keys: HistoryScreen.bindingInfo),
        Entry(name: "Review", type: ReviewScreen.self, keys: ReviewScreen.bindingInfo),
        Entry(name: "Help", type: HelpScreen.self, keys: HelpScreen.bindingInfo),
    ]
}

/// The key tables as Markdown, for `docs/dashboard.md`: a test checks that the doc holds
/// exactly this text between its `keys:begin` and `keys:end` markers, so the doc's key
/// list cannot drift from the keys either.
public enum KeyReference {
    public static let begin = "<!-- keys:begin (generated from the key tables; see KeyReferenceTests) -->"
    public static let end = "<!-- keys:end -->"

    public static func markdown() -> String {
        var out: [String] = []
        func table(_ rows: [(String, String)]) {
            out.append("| Key | Action |")
            out.append("|---|---|")
            for (k, a) in rows { out.append("| \(code(k)) | \(a) |") }
        }
        func keyRows(_ keys: [BindingInfo]) -> [(String, String)] {
            KeyTable.rows(keys, readOnly: false).map { ($0.keyText, $0.help + ($0.mutating ? " *(changes state)*" : "")) }
        }
        out.append("### Every screen")
        out.append("")
        table(keyRows(GlobalBindings.bindingInfo))
        for e in ScreenCatalog.all {
            out.append("")
            out.append("### \(e.name)")
            out.append("")
            table(keyRows(e.keys))
        }
        out.append("")
        out.append("### Commands (`:`)")
        out.append("")
        out.append("| Command | Action |")
        out.append("|---|---|")
        for c in CommandLineInput.commands where !c.hidden {
            out.append("| \(code(c.usage)) | \(c.help)\(c.mutating ? " *(changes state)*" : "") |")
        }
        out.append("")
        out.append("*(changes state)*: hidden from `?` and the status line, and refused, in read-only mode.")
        return out.joined(separator: "\n")
    }

    /// A Markdown code span that survives the table's `|`.
    static func code(_ s: String) -> String { "`" + s.replacingOccurrences(of: "|", with: "\\|") + "`" }
}
