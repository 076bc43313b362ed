/// Rewrites one JSON value inside a document's bytes while keeping the bytes of every part
/// that did not change: members and elements equal to what they were are copied verbatim
/// (so `1.0`, `1e3`, `\u00e9` and odd spacing keep their spelling), separators between
/// members that stay neighbours are kept, and only new or changed parts are written, in
/// the layout of the container they go into. This is what lets a kill in flagdeck show up
/// in `git diff` as the one line it is.
enum JSONTextEdit {
    /// Exactly the same JSON: same kinds, same member order, same numbers (unlike Python
    /// equality, `1` and `1.0` and `true` differ here, because their spelling differs).
    static func identical(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.bigInt(let x), .bigInt(let y)): return x == y
        case (.double(let x), .double(let y)): return x.bitPattern == y.bitPattern || (x == y && x != 0)
        case (.string(let x), .string(let y)): return JSONCompare.sameScalars(x, y)
        case (.array(let x), .array(let y)):
            guard x.count == y.count else { return false }
            for i in x.indices where !identical(x[i], y[i]) { return false }
            return true
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for (m, n) in zip(x.members, y.members) {
                guard JSONCompare.sameScalars(m.key, n.key), identical(m.value, n.value) else { return false }
            }
            return true
        default: return false
        }
    }

    /// The text to put in place of `b[span.range]` (which parses to `old`, with every
    /// nested span recorded) so that it reads `new`. `indent` is the indentation of the
    /// line the value starts on; `multiline` the style to use when nothing in the old
    /// value says how its container is laid out.
    static func rewrite(_ b: [UInt8], old: JSONValue, span: JSONSpan, new: JSONValue,
                        layout: JSONLayout, indent: String, multiline: Bool) -> String {
        if identical(old, new) { return JSONLayout.text(b, span.range) }
        switch (old, new) {
        case (.object(let o), .object(let n)) where !o.isEmpty && !n.isEmpty && span.members?.count == o.count:
            if let s = rewriteObject(b, o, span, n, layout, indent) { return s }
        case (.array(let o), .array(let n)) where !o.isEmpty && !n.isEmpty && span.elements?.count == o.count:
            return rewriteArray(b, o, span, n, layout, indent)
        default:
            break
        }
        let ml = JSONLayout.isMultiline(b, span) ?? multiline
        return JSONWriter.render(new, layout: local(b, span, layout), multiline: ml, indent: indent)
    }

    /// The layout with the separators this container itself uses, when it has any.
    static func local(_ b: [UInt8], _ c: JSONSpan, _ layout: JSONLayout) -> JSONLayout {
        var l = layout
        if let ms = c.members, let f = ms.first {
            let kv = JSONLayout.text(b, f.keyEnd..<f.value.start)
            if !kv.contains("\n") && !kv.isEmpty { l.keySeparator = kv }
            if ms.count > 1 {
                let sep = JSONLayout.text(b, f.value.end..<ms[1].keyStart)
                if !sep.contains("\n") { l.itemSeparator = sep }
            }
        } else if let es = c.elements, es.count > 1 {
            let sep = JSONLayout.text(b, es[0].end..<es[1].start)
            if !sep.contains("\n") { l.itemSeparator = sep }
        }
        if let u = JSONLayout.indentUnit(b, container: c) { l.unit = u }
        return l
    }

    /// Separator to put between two members that were not neighbours before.
    static func typicalSeparator(_ b: [UInt8], _ c: JSONSpan, firstStart: Int, separators: [String], layout: JSONLayout) -> String {
        if let s = separators.first { return s }
        let open = JSONLayout.text(b, (c.start + 1)..<firstStart)
        return open.contains("\n") ? "," + open : layout.itemSeparator
    }

    private static func rewriteObject(_ b: [UInt8], _ o: JSONObject, _ span: JSONSpan, _ n: JSONObject,
                                      _ layout: JSONLayout, _ indent: String) -> String? {
        let ms = span.members!
        // Members kept from the old object must stay in their old relative order.
        var oldIndex: [Int?] = []
        var last = -1
        for m in n.members {
            let q = ms.firstIndex { JSONCompare.sameScalars($0.key, m.key) }
            if let q { guard q > last else { return nil }; last = q }
            oldIndex.append(q)
        }
        let l = local(b, span, layout)
        let ml = JSONLayout.isMultiline(b, span) ?? false
        let memberIndent = JSONLayout.memberIndent(b, span) ?? indent + l.unit
        var seps: [String] = []
        for k in 0..<(ms.count - 1) { seps.append(JSONLayout.text(b, ms[k].value.end..<ms[k + 1].keyStart)) }
        let typical = typicalSeparator(b, span, firstStart: ms[0].keyStart, separators: seps, layout: l)
        // A new member looks like its last sibling: one per line, or each on one line.
        let siblingMultiline = ms.last.flatMap { JSONLayout.isMultiline(b, $0.value) } ?? ml
        var out = JSONLayout.text(b, span.start..<ms[0].keyStart)
        var prev: Int?? = nil
        for (j, m) in n.members.enumerated() {
            let q = oldIndex[j]
            if j > 0 {
                if let p = prev!, let q, q == p + 1 { out += seps[p] } else { out += typical }
            }
            if let q {
                let om = ms[q]
                out += JSONLayout.text(b, om.keyStart..<om.value.start)
                out += rewrite(b, old: o.members[q].value, span: om.value, new: m.value, layout: l,
                               indent: ml ? memberIndent : indent, multiline: ml)
            } else {
                out += JSONText.quote(m.key) + l.keySeparator
                out += JSONWriter.render(m.value, layout: l, multiline: ml && siblingMultiline, indent: ml ? memberIndent : indent)
            }
            prev = .some(q)
        }
        out += JSONLayout.text(b, ms.last!.value.end..<span.end)
        return out
    }

    private static func rewriteArray(_ b: [UInt8], _ o: [JSONValue], _ span: JSONSpan, _ n: [JSONValue],
                                     _ layout: JSONLayout, _ indent: String) -> String {
        let es = span.elements!
        let l = local(b, span, layout)
        let ml = JSONLayout.isMultiline(b, span) ?? false
        let elementIndent = JSONLayout.memberIndent(b, span) ?? indent + l.unit
        var seps: [String] = []
        for k in 0..<(es.count - 1) { seps.append(JSONLayout.text(b, es[k].end..<es[k + 1].start)) }
        let typical = typicalSeparator(b, span, firstStart: es[0].start, separators: seps, layout: l)
        // Same length: element by element. Otherwise keep the elements that survive, in order.
        var source: [Int?] = []
        if o.count == n.count {
            source = Array(o.indices)
        } else {
            var cursor = 0
            for x in n {
                if let q = (cursor..<o.count).first(where: { identical(o[$0], x) }) { source.append(q); cursor = q + 1 } else { source.append(nil) }
            }
        }
        var out = JSONLayout.text(b, span.start..<es[0].start)
        for (j, x) in n.enumerated() {
            let q = source[j]
            if j > 0 {
                if let p = source[j - 1], let q, q == p + 1 { out += seps[p] } else { out += typical }
            }
            if let q {
                out += rewrite(b, old: o[q], span: es[q], new: x, layout: l, indent: ml ? elementIndent : indent, multiline: ml)
            } else {
                out += JSONWriter.render(x, layout: l, multiline: ml, indent: ml ? elementIndent : indent)
            }
        }
        out += JSONLayout.text(b, es.last!.end..<span.end)
        return out
    }
}
