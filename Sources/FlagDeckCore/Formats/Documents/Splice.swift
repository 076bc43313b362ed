/// One replacement of bytes in a document, and what it does to the document's structure,
/// so that the span tree can be updated without parsing the whole document again: spans
/// after the range move by the length difference, spans around it grow or shrink, and only
/// the new text is parsed (with the same recording depth it has in the document).
struct Splice {
    enum Kind {
        /// Member `index` of the container at the path got a new value.
        case value([String], Int)
        /// A member was appended to the container at the path; offsets are within `text`.
        case insert([String], key: String, keyOffset: Int, keyEnd: Int, valueOffset: Int)
        /// Member `index` of the container at the path was removed (with its separator).
        case remove([String], Int)
        /// The container at the path was written anew (`text` is the whole container).
        case container([String])
    }

    var range: Range<Int>
    var text: String
    var kind: Kind

    /// `root` after the splice; `bytes` are the new document bytes.
    func apply(to root: JSONSpan, delta: Int, bytes: [UInt8], depth: Int, file: String) throws(FormatError) -> JSONSpan {
        var root = Self.shift(root, range, delta)
        let lower = range.lowerBound
        func parse(_ start: Int, _ end: Int, level: Int) throws(FormatError) -> JSONSpan {
            let slice = Array(bytes[start..<end])
            do {
                if level >= depth { return JSONSpan(start: start, end: end) }
                return try JSONParser.validateWithSpans(slice, spanDepth: depth - level).shifted(by: start)
            } catch {
                throw error.inFile(file)
            }
        }
        let newEnd = lower + text.utf8.count
        switch kind {
        case .value(let path, let i):
            let v = try parse(lower, newEnd, level: path.count + 1)
            try Self.modify(&root, path) { c in c.members![i].value = v }
        case .insert(let path, let key, let ko, let ke, let vo):
            let v = try parse(lower + vo, newEnd, level: path.count + 1)
            try Self.modify(&root, path) { c in
                c.members!.append(JSONMemberSpan(key: key, keyStart: lower + ko, keyEnd: lower + ke, value: v))
            }
        case .remove(let path, let i):
            try Self.modify(&root, path) { c in c.members!.remove(at: i) }
        case .container(let path):
            let c = try parse(lower, newEnd, level: path.count)
            if path.isEmpty { root = c } else { try Self.modify(&root, Array(path.dropLast())) { p in
                let i = p.members!.firstIndex { JSONCompare.sameScalars($0.key, path.last!) }!
                p.members![i].value = c
            } }
        }
        return root
    }

    static func modify(_ s: inout JSONSpan, _ path: [String], _ body: (inout JSONSpan) -> Void) throws(FormatError) {
        guard let k = path.first else { body(&s); return }
        guard let i = s.members?.firstIndex(where: { JSONCompare.sameScalars($0.key, k) }) else {
            throw .invalidArgument("internal error: no \(k) in the spans being updated")
        }
        try modify(&s.members![i].value, Array(path.dropFirst()), body)
    }

    /// Moves what lies after `r` by `d` and stretches what contains it; what lies inside is
    /// left for the caller to replace or drop.
    static func shift(_ s: JSONSpan, _ r: Range<Int>, _ d: Int) -> JSONSpan {
        if s.end <= r.lowerBound { return s }
        if s.start >= r.upperBound { return s.shifted(by: d) }
        guard s.start <= r.lowerBound, s.end >= r.upperBound else { return s }
        var out = s
        out.end += d
        out.members = s.members?.map { m in
            if m.value.end <= r.lowerBound { return m }
            if m.keyStart >= r.upperBound {
                return JSONMemberSpan(key: m.key, keyStart: m.keyStart + d, keyEnd: m.keyEnd + d, value: m.value.shifted(by: d))
            }
            var n = m
            n.value = shift(m.value, r, d)
            return n
        }
        out.elements = s.elements?.map { shift($0, r, d) }
        return out
    }
}
