import Testing
@testable import FlagDeckCore

@Suite struct JSONParserTests {
    @Test func keepsOrderAndIntegerKinds() throws {
        let v = try JSONParser.parse(#"{"b": 1, "a": 1.0, "c": 123456789012345678901234567890, "d": -0}"#)
        let o = try #require(v.objectValue)
        #expect(o.keys == ["b", "a", "c", "d"])
        #expect(o["b"] == .int(1))
        if case .double(let d) = o["a"]! { #expect(d == 1.0) } else { Issue.record("1.0 must stay a float") }
        #expect(JSONWriter.compact(o["c"]!) == "123456789012345678901234567890")
        #expect(JSONWriter.compact(v) == #"{"b":1,"a":1.0,"c":123456789012345678901234567890,"d":0}"#)
    }

    @Test func writerIsByteStable() throws {
        let text = #"{"z":[1,2.5,"é\n",null,true,{}],"a":{"x":[]}}"#
        let v = try JSONParser.parse(text)
        #expect(JSONWriter.compact(v) == text)
        let pretty = JSONWriter.pretty(v)
        #expect(JSONWriter.pretty(try JSONParser.parse(pretty)) == pretty)
    }

    @Test func duplicateKeyNamesBothPlaces() {
        do {
            _ = try JSONParser.parse("{\"features\": {\"a\": 1,\n \"a\": 2}}")
            Issue.record("accepted duplicate")
        } catch {
            guard case .duplicateKey(let loc, let key, let fl, let fc) = error else { Issue.record("\(error)"); return }
            #expect(key == "a")
            #expect(loc.path == "$.features.a")
            #expect(loc.line == 2 && loc.column == 2)
            #expect(fl == 1 && fc == 15)
        }
    }

    @Test func nfcAndNfdKeysAreDistinct() throws {
        let v = try JSONParser.parse("{\"\u{E9}\": 1, \"e\u{301}\": 2}")
        #expect(v.objectValue?.count == 2)
        #expect(v["e\u{301}"] == .int(2))
        #expect(v["\u{E9}"] == .int(1))
    }

    @Test(arguments: [
        ("{\"a\": [1, 2", "$.a[2]"),
        ("{\"a\": {\"b\": tru}}", "$.a.b"),
        ("[1,]", "$[1]"),
        ("{\"a\" 1}", "$.a"),
        ("", "$"),
        ("{\"rules\": {\"x y\": {\"conditions\": [{\"action\": \"EQ", "$.rules[\"x y\"].conditions[0].action"),
    ])
    func errorsCarryPath(text: String, path: String) {
        do {
            _ = try JSONParser.parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.location?.path == path, "\(error)")
            #expect(error.location?.line != nil)
        }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: FormatError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: FormatError.self) { try JSONParser.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }
        #expect(throws: FormatError.self) { try JSONParser.parse(#""\ud800""#) }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: FormatError.self) { try JSONParser.parse(deep) }
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect((try? JSONParser.parse(ok)) != nil)
    }

    @Test func hugeIntegersAreRefusedLikePython() throws {
        #expect(throws: FormatError.self) { try JSONParser.parse(String(repeating: "9", count: 1_000_000)) }
        #expect((try? JSONParser.parse(String(repeating: "9", count: 4300))) != nil)
        #expect((try? JSONParser.parse(String(repeating: "9", count: 4301))) == nil)
    }

    @Test func hugeStringsParse() throws {
        let big = "\"" + String(repeating: "x", count: 10_000_000) + "\""
        let v = try JSONParser.parse(big)
        #expect(v.stringValue?.utf8.count == 10_000_000)
    }

    @Test func pythonEquality() throws {
        #expect(JSONCompare.pyEqual(.int(1), .double(1.0)))
        #expect(JSONCompare.pyEqual(.int(1), .bool(true)))
        #expect(!JSONCompare.pyEqual(.string("\u{E9}"), .string("e\u{301}")))
        let big = try JSONParser.parse("9007199254740993")
        #expect(!JSONCompare.pyEqual(big, .double(9007199254740992)))
        #expect(JSONCompare.order(big, .double(9007199254740992), .gt) == true)
        #expect(JSONCompare.order(.string("a"), .int(1), .lt) == nil)
        #expect(BigInteger(decimal: "-7")!.floorMod(BigInteger(3))! == BigInteger(2))
    }
}
