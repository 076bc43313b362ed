import Testing
@testable import FlagDeckCore

/// A push reuses the parse of the bytes it last wrote; anything else is parsed afresh.
@Suite("Parsed documents")
struct ParsedDocumentsTests {
    static let file = "parsed-documents-test-\(UInt32.random(in: 0...UInt32.max)).json"

    @Test func theSameBytesReuseTheParseAndAnyOtherBytesAreParsedAgain() throws {
        let a = Array(#"{"f": {"default": true}}"#.utf8)
        let b = Array(#"{"f": {"default": fals}}"#.utf8)  // same length, and not even valid
        let first = try ParsedDocuments.parse(a, format: .powertools, file: Self.file)
        #expect(try ParsedDocuments.parse(a, format: .powertools, file: Self.file).bytes == first.bytes)
        #expect(throws: FormatError.self) { try ParsedDocuments.parse(b, format: .powertools, file: Self.file) }
        let c = Array(#"{"f": {"default": false}}"#.utf8)
        let written = try first.replacing("f", withText: #"{"default": false}"#)
        ParsedDocuments.remember(written, format: .powertools, file: Self.file)
        let again = try ParsedDocuments.parse(written.bytes, format: .powertools, file: Self.file)
        #expect(again.bytes == written.bytes)
        #expect(try ParsedDocuments.parse(c, format: .powertools, file: Self.file).fragmentText("f") == #"{"default": false}"#)
        // Another format of the same bytes is its own document.
        #expect(try ParsedDocuments.parse(a, format: nil, file: Self.file).format == .powertools)
    }
}
