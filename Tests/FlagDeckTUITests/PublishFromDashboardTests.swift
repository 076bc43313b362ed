import FlagDeckCore
import Foundation
import Testing
@testable import FlagDeckTUI

/// Issue 6: "a kill in the dashboard reaches the applications". With a publish
/// directory set, a kill confirmed in the dashboard rewrites that environment's file.
@Suite struct PublishFromDashboardTests {
    @Test func killInTheDashboardRewritesThePublishedFile() throws {
        let f = try Fixture()
        let out = f.dir.appendingPathComponent("published").path
        try f.ops.publish(to: out, format: .powertools, reason: "publish for apps")
        let file = out + "/acme/dev/features.json"
        let before = try String(contentsOfFile: file, encoding: .utf8)
        #expect(before.contains("checkout-v2"))

        let store = try DashboardStore.open(path: f.path, warnings: PublishWarnings())
        var app = try DashboardApp(store: store, readOnly: false, theme: .default, glyphs: .unicode,
                                   actor: Fixture.actor, now: { Fixture.now })
        app.resize(rows: 30, cols: 120)
        app.select(flag: "checkout-v2", env: "acme/dev")
        app.press(.char("K"))
        app.type("bad deploy")
        app.press(.enter)
        #expect(try f.state("checkout-v2", "acme/dev")?.killed == true)

        let doc = try JSONParser.parse(try String(contentsOfFile: file, encoding: .utf8))
        let ev = try PowertoolsEvaluator(json: doc)
        #expect(ev.evaluate("checkout-v2", context: JSONObject(), default: .bool(true)) == .bool(false))
        #expect(try String(contentsOfFile: file, encoding: .utf8) != before)
    }
}
