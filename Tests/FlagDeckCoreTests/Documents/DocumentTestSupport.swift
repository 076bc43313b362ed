import Foundation
import Testing
@testable import FlagDeckCore

/// Checks shared by the document tests: a rewrite changed only one flag's bytes.
enum DocumentChecks {
    /// An edited document is the document its bytes parse to: same keys, spans, indexes
    /// and layout (edits that keep the keys carry the indexes over instead of rebuilding).
    static func sameAsParsed(_ next: FlagDocument, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let fresh = try FlagDocument(format: next.format, file: next.file, bytes: next.bytes, envelope: next.envelope,
                                     spanDepth: next.spanDepth)
        #expect(next.keys == fresh.keys, sourceLocation: sourceLocation)
        #expect(next.rootSpan == fresh.rootSpan, sourceLocation: sourceLocation)
        #expect(next.layout == fresh.layout, sourceLocation: sourceLocation)
        #expect(next.keySet == fresh.keySet, sourceLocation: sourceLocation)
        #expect(next.containers.count == fresh.containers.count, sourceLocation: sourceLocation)
        for (a, b) in zip(next.containers, fresh.containers) {
            #expect(a?.span == b?.span && a?.index == b?.index, sourceLocation: sourceLocation)
        }
    }

    /// The byte ranges of `key` in `doc` a rewrite may touch: its member values (hosted
    /// FeatureFlags: in `flags` and `values`), or the insertion point after the last member.
    static func ranges(_ doc: FlagDocument, _ key: String) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for path in doc.containerPaths {
            guard let c = FlagDocument.span(doc.rootSpan, at: path) else { continue }
            if let m = c.member(key) { out.append(m.value.range) }
            else if let last = c.members?.last { out.append(last.value.end..<last.value.end) }
            else { out.append(c.range) }
        }
        return out.sorted { $0.lowerBound < $1.lowerBound }
    }

    /// The value ranges of `key`'s members only (none for a container that lacks it).
    static func memberRanges(_ doc: FlagDocument, _ key: String) -> [Range<Int>] {
        doc.containerPaths.compactMap { FlagDocument.span(doc.rootSpan, at: $0)?.member(key)?.value.range }
    }

    /// Every byte of `before` outside `key`'s ranges is in `after`, in order, unchanged.
    static func onlyChanged(_ before: FlagDocument, _ after: FlagDocument, _ key: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        // The spans updated in step with the splice are those a fresh parse finds.
        let fresh = try? JSONParser.validateWithSpans(after.bytes, spanDepth: after.spanDepth)
        #expect(fresh == after.rootSpan, "the spans after editing \(key) are not those of the new text", sourceLocation: sourceLocation)
        let rs = ranges(before, key)
        let a = before.bytes, b = after.bytes
        // Outside text, in order: prefix before the first range, between ranges, suffix after the last.
        var pieces: [ArraySlice<UInt8>] = []
        var cursor = 0
        for r in rs { pieces.append(a[cursor..<r.lowerBound]); cursor = r.upperBound }
        pieces.append(a[cursor..<a.count])
        var pos = 0
        for (i, p) in pieces.enumerated() {
            if i == 0 {
                guard b.starts(with: p) else { Issue.record("prefix before \(key) changed", sourceLocation: sourceLocation); return }
                pos = p.count
            } else if i == pieces.count - 1 {
                guard b.count - pos >= p.count, b[(b.count - p.count)...].elementsEqual(p) else {
                    Issue.record("text after \(key) changed:\n\(before.text)\n---\n\(after.text)", sourceLocation: sourceLocation); return
                }
            } else {
                guard let found = find(p, in: b, from: pos) else { Issue.record("text between \(key)'s ranges changed", sourceLocation: sourceLocation); return }
                pos = found + p.count
            }
        }
    }

    static func find(_ needle: ArraySlice<UInt8>, in hay: [UInt8], from: Int) -> Int? {
        if needle.isEmpty { return from }
        var i = from
        while i + needle.count <= hay.count {
            if hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// Every other flag's bytes are identical (as text of their value spans).
    static func othersIdentical(_ before: FlagDocument, _ after: FlagDocument, except key: String,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        for k in before.keys where k != key {
            #expect(before.fingerprint(k) == after.fingerprint(k), "\(k) changed", sourceLocation: sourceLocation)
            for (r1, r2) in zip(memberRanges(before, k), memberRanges(after, k)) {
                #expect(before.bytes[r1].elementsEqual(after.bytes[r2]), "bytes of \(k) changed", sourceLocation: sourceLocation)
            }
        }
    }
}
