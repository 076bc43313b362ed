import FlagDeckCore
import Foundation
import Testing
@testable import FlagDeckTUI

@Suite struct ReviewMarkDialogTests {
    func type(_ d: inout ReviewMarkDialog, _ s: String) { for k in Key.typing(s) { _ = d.handle(k) } }

    @Test func retireConfirmsOnTheReason() {
        var d = ReviewMarkDialog(flag: "old", kind: .retire)
        #expect(d.handle(.enter) == .pending)
        #expect(d.problem?.contains("reason is required") == true)
        type(&d, "done with it")
        #expect(d.handle(.enter) == .confirmed(kind: .retire, reason: "done with it", until: nil))
    }

    @Test func snoozeTakesAnUntilDateAndRefusesABadOne() throws {
        var d = ReviewMarkDialog(flag: "old", kind: .keep)
        _ = d.handle(.tab)
        _ = d.handle(.tab)
        #expect(d.kind == .snooze)
        type(&d, "after the launch")
        #expect(d.handle(.enter) == .pending)
        #expect(d.focus == .until)
        type(&d, "next week")
        #expect(d.handle(.enter) == .pending)
        #expect(d.problem?.hasPrefix("until:") == true)
        for _ in 0..<9 { _ = d.handle(.backspace) }
        type(&d, "2031-02-03")
        #expect(d.handle(.enter) == .confirmed(kind: .snooze, reason: "after the launch", until: try UTC.parseUserDate("2031-02-03")))
    }

    @Test func escCancelsFromEitherField() {
        var d = ReviewMarkDialog(flag: "old", kind: .keep)
        type(&d, "x")
        _ = d.handle(.enter)
        #expect(d.handle(.escape) == .cancelled)
    }
}
