import FlagDeckCore
import Foundation
import Testing

@Suite("Lifecycle settings")
struct LifecycleSettingsTests {
    @Test func defaultsAreTheIssues() {
        let s = LifecycleSettings.defaults
        #expect(s.stableWindowDays == 28)
        #expect(s.lifetime(of: .release) == 40)
        #expect(s.lifetime(of: .experiment) == 40)
        #expect(s.lifetime(of: .operational) == 7)
        #expect(s.lifetime(of: .killSwitch) == nil)
        #expect(s.lifetime(of: .permission) == nil)
        #expect(s.longKillDays == 7)
    }

    @Test func partialLifetimesKeepTheOtherDefaults() {
        let s = LifecycleSettings(lifetimeDays: [.release: nil, .permission: 90])
        #expect(s.lifetime(of: .release) == nil)
        #expect(s.lifetime(of: .permission) == 90)
        #expect(s.lifetime(of: .operational) == 7)
    }

    @Test func loadsFromTheSettingTableAndIgnoresOtherKeys() throws {
        let s = try LifecycleSettings.load([
            "lifecycle.stable_window_days": "14", "lifecycle.lifetime_days.release": "never",
            "lifecycle.lifetime_days.permission": "365", "lifecycle.long_kill_days": "3", "tui.theme": "dark",
        ])
        #expect(s.stableWindowDays == 14)
        #expect(s.lifetime(of: .release) == nil)
        #expect(s.lifetime(of: .permission) == 365)
        #expect(s.longKillDays == 3)
        #expect(s.lifetime(of: .experiment) == 40)
    }

    @Test(arguments: [
        ("lifecycle.stable_window_days", "abc"), ("lifecycle.stable_window_days", "0"), ("lifecycle.stable_window_days", "-3"),
        ("lifecycle.stable_window_days", "3651"), ("lifecycle.stable_window_days", "never"), ("lifecycle.long_kill_days", "1.5"),
        ("lifecycle.lifetime_days.release", "soon"), ("lifecycle.snooze_days", ""),
    ])
    func invalidValuesNameKeyAndValue(key: String, value: String) {
        #expect(throws: FlagDeckError.self) { try LifecycleSettings.load([key: value]) }
        do {
            _ = try LifecycleSettings.load([key: value])
        } catch {
            #expect(error.description.contains(key))
            #expect(error.description.contains("\"\(value)\""))
        }
    }

    @Test func setIsAuditedWithBeforeAndAfterAndChangesTheThreshold() throws {
        let (store, ops) = try T.store(envs: 1)
        try T.at(T.ago(20 * T.day), store).createFlag(Flag(key: "f", owner: "alice", createdAt: T.ago(20 * T.day)))
        // Off for 20 days: not yet `remove` with the 28-day window, but it is with 14.
        let kinds = { try store.read { r in try LifecycleInput.load(from: r).allHints(now: T.now).first!.hints.map(\.kind) } }
        #expect(try !kinds().contains(.remove))
        let e = try ops.setSetting(LifecycleSettings.stableWindowKey, to: " 14 ", reason: "monthly is too slow")
        #expect(e.action == AuditAction.settingSet)
        #expect(e.before == "{\"key\":\"lifecycle.stable_window_days\",\"value\":null}")
        #expect(e.after == "{\"key\":\"lifecycle.stable_window_days\",\"value\":\"14\"}")
        #expect(e.reason == "monthly is too slow")
        #expect(try kinds().contains(.remove))
        let reset = try ops.setSetting(LifecycleSettings.stableWindowKey, to: nil, reason: "back to normal")
        #expect(reset.after == "{\"key\":\"lifecycle.stable_window_days\",\"value\":null}")
        #expect(try store.read { try $0.settings() }[LifecycleSettings.stableWindowKey] == nil)
        #expect(try AuditLog.verify(store).ok)
    }

    @Test func refusedChangesWriteNothing() throws {
        let (store, ops) = try T.store(envs: 1)
        let count = try store.read { try $0.eventCount() }
        #expect(throws: FlagDeckError.self) { try ops.setSetting("lifecycle.stable_window_days", to: "0", reason: "x") }
        #expect(throws: FlagDeckError.self) { try ops.setSetting("lifecycle.nope", to: "3", reason: "x") }
        #expect(throws: FlagDeckError.self) { try ops.setSetting("lifecycle.stable_window_days", to: "3", reason: " ") }
        #expect(throws: FlagDeckError.self) { try ops.setSetting("lifecycle.stable_window_days", to: nil, reason: "already default") }
        try ops.setSetting("lifecycle.stable_window_days", to: "3", reason: "x")
        #expect(throws: FlagDeckError.self) { try ops.setSetting("lifecycle.stable_window_days", to: "3", reason: "same") }
        #expect(try store.read { try $0.eventCount() } == count + 1)
    }
}
