import Foundation
import TOMLKit

/// A theme that cannot be used. It names file, key and value because the person reading
/// it is editing that file right now.
public struct ThemeError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var key: String?
    public var value: String?
    public var detail: String

    public var description: String {
        var s = "theme \(file)"
        if let key { s += ": key \"\(key)\"" }
        // A hostile value (a 10 MB string) must not turn into a 10 MB message.
        if let value { s += " has value \(value.count > 80 ? String(value.prefix(60)) + "…(\(value.utf8.count) bytes)" : value)" }
        return s + ": " + detail
    }
}

/// Finds and parses theme files. A theme file has one table per `ThemeRole`, each with
/// optional `fg`, `bg` (colour name, `#rrggbb` or `default`) and `bold`, `reverse`,
/// `underline`, `dim` booleans. Anything not set falls back to the default theme.
public enum ThemeLoader {
    static let attributeKeys = ["fg", "bg", "bold", "reverse", "underline", "dim"]
    /// Real themes are about 1 KB; anything this big is not a theme.
    public static let maxFileBytes = 256 * 1024

    /// `selection` is `--theme`; nil falls back to `$FLAGDECK_THEME`, then the built-in default.
    /// A value containing `/` or ending in `.toml` is a path; otherwise a bundled name.
    public static func load(_ selection: String?,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws(ThemeError) -> Theme {
        let chosen = selection ?? environment["FLAGDECK_THEME"].flatMap { $0.isEmpty ? nil : $0 }
        guard let chosen else { return .default }
        let path: String
        if chosen.contains("/") || chosen.hasSuffix(".toml") {
            path = chosen
        } else if let found = bundledThemePath(named: chosen) {
            path = found
        } else if chosen == "default" {
            return .default
        } else {
            let names = bundledThemeNames()
            throw ThemeError(file: chosen, key: nil, value: nil,
                             detail: "no such theme; bundled themes: \(names.isEmpty ? "(none found)" : names.joined(separator: ", ")), or give a path to a .toml file")
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > maxFileBytes {
            throw ThemeError(file: path, key: nil, value: nil,
                             detail: "the file is \(size) bytes; a theme file is at most \(maxFileBytes / 1024) KB")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ThemeError(file: path, key: nil, value: nil, detail: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ThemeError(file: path, key: nil, value: nil, detail: "the file is not valid UTF-8 (\(invalidUTF8Location(data)))")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(ThemeError) -> Theme {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw ThemeError(file: file, key: nil, value: nil,
                             detail: "not valid TOML at line \(e.source.begin.line), column \(e.source.begin.column): \(e.description)")
        } catch {
            throw ThemeError(file: file, key: nil, value: nil, detail: "not valid TOML: \(error)")
        }
        var theme = Theme.default
        theme.name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        for key in table.keys.sorted() {
            guard let role = ThemeRole(rawValue: key) else {
                throw ThemeError(file: file, key: key, value: nil,
                                 detail: "unknown key; expected one of \(ThemeRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let sub = table[key]?.table else {
                throw ThemeError(file: file, key: key, value: table[key].map { $0.debugDescription }, detail: "expected a table such as [\(key)] with fg/bg/bold")
            }
            var style = Theme.default[role]
            for attr in sub.keys.sorted() {
                let full = "\(key).\(attr)"
                let raw = sub[attr]!
                switch attr {
                case "fg", "bg":
                    guard let s = raw.string, let c = ThemeColor(parsing: s) else {
                        throw ThemeError(file: file, key: full, value: raw.debugDescription,
                                         detail: "expected a colour name (\(ThemeColor.names.keys.sorted().joined(separator: ", "))), \"#rrggbb\" or \"default\"")
                    }
                    if attr == "fg" { style.fg = c } else { style.bg = c }
                case "bold", "reverse", "underline", "dim":
                    guard let b = raw.bool else {
                        throw ThemeError(file: file, key: full, value: raw.debugDescription, detail: "expected true or false")
                    }
                    switch attr {
                    case "bold": style.bold = b
                    case "reverse": style.reverse = b
                    case "underline": style.underline = b
                    default: style.dim = b
                    }
                default:
                    throw ThemeError(file: file, key: full, value: raw.debugDescription,
                                     detail: "unknown attribute; expected one of \(attributeKeys.joined(separator: ", "))")
                }
            }
            theme.styles[role] = style
        }
        return theme
    }

    /// "line L, byte B" of the first byte that is not part of valid UTF-8.
    static func invalidUTF8Location(_ data: Data) -> String {
        var line = 1, start = 0, i = 0
        let bytes = [UInt8](data)
        while i < bytes.count {
            let b = bytes[i]
            let n = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
            if n == 0 || i + n > bytes.count || String(bytes: bytes[i..<i + n], encoding: .utf8) == nil {
                return "first bad byte 0x\(String(b, radix: 16)) at line \(line), byte \(i - start + 1)"
            }
            if b == UInt8(ascii: "\n") { line += 1; start = i + 1 }
            i += n
        }
        return "at the end of the file"
    }

    public static func bundledThemePath(named name: String) -> String? {
        for dir in themeDirectories() {
            let p = dir + "/" + name + ".toml"
            if FileManager.default.fileExists(atPath: p) { return p }
        }
        return nil
    }

    public static func bundledThemeNames() -> [String] {
        guard let dir = themeDirectories().first,
              let items = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return items.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Bundled themes are found from any working directory: walk up from the running
    /// executable (`.build/debug/flagdeck` reaches the repository root), then from this
    /// source file as a fallback for test runners.
    public static func themeDirectories() -> [String] {
        var starts: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            starts.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        starts.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent())
        var dirs: [String] = []
        for start in starts {
            var dir = start
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent("themes").path
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate + "/default.toml", isDirectory: &isDir) {
                    if !dirs.contains(candidate) { dirs.append(candidate) }
                    break
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return dirs
    }
}
