import Foundation
import Testing
@testable import FlagDeckCore

/// TZ-string `TIMEZONE`s against python-dateutil 2.9.0 and Powertools 3.37.0
/// (see Vectors/generate_posix_tz_vectors.py): what `gettz` returns for 2,597 strings,
/// with its offsets on both sides of every DST transition; Powertools' schedule conditions
/// at instants hugging those transitions; and its validator's verdict.
@Suite struct PosixTimeZoneVectorTests {
    @Test func gettzVectorsAllAgree() throws {
        let vectors = try VectorFiles.lines("posix_tz_gettz_vectors.jsonl")
        var failures: [String] = []
        var checks = 0, knownGap = 0
        for v in vectors {
            let name = v["tz"]!.stringValue!
            let result = v["result"]!.stringValue!
            let ref = ZoneResolver.lookup(name)
            func fail(_ what: String) { failures.append("\(JSONText.quote(name)) [\(result)]: \(what)") }
            switch (result, ref?.rules) {
            case ("none", nil), ("raises", nil):
                checks += 1
                // A string that reached tzstr (not an absolute path, has a digit) must fail
                // there the same way.
                let expected = result == "raises" ? "raises" : "refused"
                let stripped = name.unicodeScalars.first == ":" ? String(name.unicodeScalars.dropFirst()) : name
                if stripped.unicodeScalars.first != "/", stripped.unicodeScalars.contains(where: { $0.value >= 48 && $0.value <= 57 }) {
                    let got: String
                    switch PosixTimeZoneParser.parse(stripped) {
                    case .zone: got = "zone"
                    case .refused: got = "refused"
                    case .raises: got = "raises"
                    }
                    if got != expected { fail("tzstr gave \(got)") }
                }
            case ("tzstr", .posix(let z)?):
                checks += 1
                if z.standardOffset != v["std"]!.intValue || z.daylightOffset != v["dst"]!.intValue
                    || z.hasDST != v["hasdst"]!.boolValue! {
                    fail("std/dst/hasdst \(z.standardOffset)/\(z.daylightOffset)/\(z.hasDST)")
                }
                for t in v["transitions"]!.arrayValue! {
                    let pair = t.arrayValue!
                    let year = pair[0].intValue!
                    let got: JSONValue
                    do {
                        got = try z.transitions(year: year).map { .array([.string(Self.iso($0.start)), .string(Self.iso($0.end))]) } ?? .null
                    } catch { got = .string("raises") }
                    checks += 1
                    if JSONWriter.compact(got) != JSONWriter.compact(pair[1]) { fail("transitions(\(year)) = \(JSONWriter.compact(got)), want \(JSONWriter.compact(pair[1]))") }
                }
                for u in v["utcoffset"]!.arrayValue! {
                    let row = u.arrayValue!
                    let local = try Self.civil(row[0])
                    let got: JSONValue
                    do { got = .int(Int64(try z.utcOffset(atLocal: local, fold: row[1].intValue!))) } catch { got = .string("raises") }
                    checks += 1
                    if JSONWriter.compact(got) != JSONWriter.compact(row[2]) { fail("utcoffset(\(row[0]), fold \(row[1])) = \(JSONWriter.compact(got)), want \(JSONWriter.compact(row[2]))") }
                }
                for u in v["fromutc"]!.arrayValue! {
                    let row = u.arrayValue!
                    var got: [JSONValue]
                    do {
                        let (wall, fold) = try z.wallClock(fromUTC: try PyDateTime.micros(try Self.civil(row[0])))
                        got = [row[0], .string(Self.iso(PyDateTime.civil(wall)))]
                        do { got.append(.int(Int64(try z.checkedDST(wall, fold: fold)))) } catch { got.append(.string("raises")) }
                    } catch {
                        got = [row[0], .string("raises")]
                    }
                    checks += 1
                    if JSONWriter.compact(.array(got)) != JSONWriter.compact(u) { fail("fromutc = \(JSONWriter.compact(.array(got))), want \(JSONWriter.compact(u))") }
                }
            case ("file", .iana?), ("utc", .iana?):
                checks += 1
                for u in v["fromutc"]!.arrayValue! {
                    let row = u.arrayValue!
                    // Known gap, IANA zones only: dateutil's tzfile reads just the 32-bit
                    // transition table and ignores the TZ-string footer, so from 2038 it
                    // keeps the last offset of 2037 (standard time) while Foundation
                    // continues the rules.
                    if try Self.civil(row[0]).year >= 2038 { knownGap += 1; continue }
                    // dst() of a zone file never raises and only the day-of-week condition
                    // reads it, so the wall clock is what is compared.
                    let got = ref!.wallClock(at: try Self.civil(row[0]).utcDate).map(Self.iso) ?? "raises"
                    checks += 1
                    if got != row[1].stringValue! { fail("fromutc(\(row[0].stringValue!)) = \(got), want \(row[1].stringValue!)") }
                }
            default:
                fail("resolved as \(ref.map { "\($0.rules)" } ?? "nil")")
            }
        }
        print("gettz vectors: \(vectors.count) strings, \(checks) checks, \(failures.count) disagreements, \(knownGap) zone-file instants past 2037 skipped")
        #expect(vectors.count >= 2000)
        #expect(failures.isEmpty, "\(failures.count) disagreements, first:\n\(failures.prefix(20).joined(separator: "\n"))")
    }

    @Test func powertoolsEvaluationVectorsAllAgree() throws {
        let (total, failures) = try PowertoolsVectorTests.checkEvaluations("powertools_posix_tz_eval_vectors.jsonl")
        #expect(total >= 3000)
        #expect(failures.isEmpty, "\(failures.count) disagreements, first: \(failures.prefix(15).joined(separator: "\n"))")
    }

    @Test func powertoolsSchemaVectorsAllAgree() throws {
        let (total, failures) = try PowertoolsVectorTests.checkSchemas("powertools_posix_tz_schema_vectors.jsonl")
        #expect(total >= 500)
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.prefix(20).joined(separator: "\n"))")
    }

    /// The embedded name list is the one in dateutil's tarball, so a machine without
    /// system zoneinfo accepts what Powertools would accept there.
    @Test func bundledZoneNamesMatchDateutil() throws {
        let data = try Data(contentsOf: VectorFiles.directory.appendingPathComponent("dateutil_zone_names.json"))
        let names = try #require(try JSONParser.parse(Array(data)).arrayValue).compactMap(\.stringValue)
        #expect(names.count == DateutilZoneNames.all.count)
        #expect(Set(names) == DateutilZoneNames.all)
    }

    static func civil(_ v: JSONValue) throws -> CivilDateTime {
        guard case .naive(let c)? = PythonISODateTime.parse(v.stringValue ?? "") else {
            throw FormatError.schema(FormatLocation(path: "$"), "bad datetime in vector: \(JSONWriter.compact(v))")
        }
        return c
    }

    /// `datetime.isoformat()`: microseconds only when non-zero.
    static func iso(_ c: CivilDateTime) -> String {
        let s = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year, c.month, c.day, c.hour, c.minute, c.second)
        return c.microsecond == 0 ? s : s + String(format: ".%06d", c.microsecond)
    }
}

private extension JSONValue {
    var intValue: Int? { if case .int(let i) = self { Int(i) } else { nil } }
}
