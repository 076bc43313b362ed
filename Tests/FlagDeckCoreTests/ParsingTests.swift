import Foundation
import Testing
@testable import FlagDeckCore

@Suite("Parsing")
struct ParsingTests {
    @Test(arguments: [("0", 0), ("100", 10_000), ("25", 2_500), ("25.5", 2_550), ("25.55", 2_555), ("0.01", 1), ("99.99", 9_999), (" 7 ", 700)])
    func percentages(_ text: String, _ bp: Int) throws {
        #expect(try Percent.parse(text) == bp)
    }

    @Test(arguments: ["101", "100.01", "-1", "25.555", "abc", "", ".5", "5.", "1e2", "0x10", "25,5"])
    func badPercentages(_ text: String) {
        #expect(throws: FlagDeckError.invalidPercent(text)) { try Percent.parse(text) }
    }

    @Test func percentFormatting() {
        #expect(Percent.format(2_500) == "25")
        #expect(Percent.format(2_550) == "25.5")
        #expect(Percent.format(2_505) == "25.05")
        #expect(Percent.format(10_000) == "100")
    }

    @Test func environmentResolution() throws {
        let envs = ["payments/prod", "sandbox/prod", "sandbox/dev"].enumerated().map {
            Environment(id: try! EnvironmentID(parsing: $1), displayOrder: $0, isProtected: false)
        }
        #expect(try EnvironmentResolver.resolve("dev", in: envs).id.path == "sandbox/dev")
        #expect(try EnvironmentResolver.resolve("payments/prod", in: envs).id.path == "payments/prod")
        #expect(throws: FlagDeckError.ambiguousEnvironment("prod", matches: ["payments/prod", "sandbox/prod"])) {
            try EnvironmentResolver.resolve("prod", in: envs)
        }
        #expect(throws: FlagDeckError.self) { try EnvironmentResolver.resolve("qa", in: envs) }
        #expect(throws: FlagDeckError.invalidEnvironmentName("a/b/c")) { try EnvironmentID(parsing: "a/b/c") }
    }

    @Test func utcRoundTrip() throws {
        let d = Date(timeIntervalSince1970: 1_790_000_000.123)
        let s = UTC.format(d)
        #expect(s == "2026-09-21T14:13:20.123Z")
        #expect(UTC.parseStored(s) == Date(timeIntervalSince1970: 1_790_000_000.123))
        #expect(try UTC.parseUserDate("2026-11-21") == Date(timeIntervalSince1970: 1_795_219_200))
        #expect(try UTC.parseUserDate("2026-11-21T02:00:00+02:00") == Date(timeIntervalSince1970: 1_795_219_200))
        #expect(throws: FlagDeckError.invalidDate("yesterday")) { try UTC.parseUserDate("yesterday") }
        #expect(throws: FlagDeckError.invalidDate("2026-13-01")) { try UTC.parseUserDate("2026-13-01") }
    }

    @Test func eventDiffDescribesChanges() {
        let d = EventDiff.describe(before: #"{"enabled":true,"killed":false,"rollout":25,"version":3}"#,
                                   after: #"{"enabled":true,"killed":true,"rollout":25,"version":4}"#)
        #expect(d == "killed false→true")
        #expect(EventDiff.describe(before: nil, after: "{}") == "created")
    }

    @Test func storePathPrecedence() {
        #expect(StorePath.resolve(explicit: "/a.sqlite", environment: ["FLAGDECK_DB": "/b"]) == "/a.sqlite")
        #expect(StorePath.resolve(explicit: nil, environment: ["FLAGDECK_DB": "/b"]) == "/b")
        #expect(StorePath.resolve(explicit: nil, environment: ["XDG_DATA_HOME": "/x"]) == "/x/flagdeck/flagdeck.sqlite")
        #expect(StorePath.resolve(explicit: nil, environment: ["HOME": "/h"]) == "/h/.local/share/flagdeck/flagdeck.sqlite")
    }
}
