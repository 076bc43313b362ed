import FlagDeckCore
import Foundation
import Testing
@testable import FlagDeckTUI

@Suite struct PolicyTests {
    @Test func dialogIsRefusedWhereThePolicyDeniesTheOperator() throws {
        let f = try Fixture()
        try f.ops.setPolicy(AccessPolicy(admins: ["user:alice"], allow: [
            .init(principal: "user:alice", envs: "acme/dev"),
            .init(principal: "user:bob", envs: "*/prod"),
        ]), reason: "lock prod")
        var app = try f.app()
        app.select(flag: "checkout-v2", env: "acme/prod")
        app.press(.char("K"))
        let status = app.screen().row(29)
        #expect(status.contains("access policy: alice may not change acme/prod"))
        #expect(status.contains("user:bob"))
        #expect(!app.screen().text.contains("KILL checkout-v2"))
        app.select(flag: "checkout-v2", env: "acme/dev")
        app.press(.char("K"))
        #expect(app.screen().text.contains("KILL checkout-v2"))
        app.press(.escape)
    }

    @Test func operatorAllowedNowhereSeesAReadOnlyDashboard() throws {
        let f = try Fixture()
        try f.ops.setPolicy(AccessPolicy(admins: ["user:alice"], allow: [.init(principal: "user:bob", envs: "*")]),
                            reason: "bob only")
        var app = try f.app()
        #expect(app.screen().row(0).contains("READ-ONLY"))
        #expect(!app.screen().row(29).contains("K kill"))
        app.press(.char("K"))
        #expect(app.screen().row(29).contains("may not change any environment"))
    }
}
