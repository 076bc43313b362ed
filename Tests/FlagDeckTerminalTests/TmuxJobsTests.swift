import FlagDeckTestSupport
import Foundation
import Testing

/// A flag that lives per job in a DynamoDB table, on the real terminal: the dashboard
/// (the shipped binary under tmux, its AWS settings pointed at the emulator) shows how
/// many jobs are on, follows an end user's change without a keypress, kills every job
/// from the dialog, and says so when its own background sync has to keep the kill.
@Suite(.enabled(if: TmuxSession.available, "tmux is not installed"), .serialized)
struct TmuxJobsTests {
    static let attribute = "is_feature_enabled"

    @Test func theCellCountsJobsOnAKillTurnsThemAllOffAndAHeldKillIsAnnounced() throws {
        let m = try Ministack.shared()
        let aws = AWSCLI(endpoint: m.endpoint, accessKeyId: Ministack.freshAccount())
        try aws.json(["dynamodb", "create-table", "--table-name", "jobs",
                      "--attribute-definitions", "AttributeName=job_id,AttributeType=S",
                      "--key-schema", "AttributeName=job_id,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST"])
        // 40 jobs: 12 on, 8 off, 20 without the attribute.
        for start in stride(from: 0, to: 40, by: 20) {
            let puts = (start..<start + 20).map { i -> [String: Any] in
                var item: [String: Any] = ["job_id": ["S": Self.job(i)]]
                if i < 20 { item[Self.attribute] = ["BOOL": i < 12] }
                return ["PutRequest": ["Item": item]]
            }
            let body = try JSONSerialization.data(withJSONObject: ["jobs": puts])
            try aws.json(["dynamodb", "batch-write-item", "--request-items", String(decoding: body, as: UTF8.self)])
        }
        let dir = RepoRoot.temporaryDirectory("flagdeck-terminal-jobs")
        let db = dir + "/flags.sqlite"
        func flagdeck(_ args: [String]) throws {
            let r = try ProcessRunner.run(Flagdeck.binary, args + ["--db", db], env: aws.environment,
                                          removing: ["FLAGDECK_DB", "AWS_PROFILE", "AWS_SESSION_TOKEN"])
            guard r.status == 0 else { throw TerminalTestError("`flagdeck \(args.joined(separator: " "))` exited \(r.status): \(r.stderr)") }
        }
        try flagdeck(["init"])
        try flagdeck(["source", "add", "jobs/prod", "dynamodb://@us-east-1/jobs?key=job_id&attribute=\(Self.attribute)&flag=feature",
                      "--reason", "bind the jobs table"])

        let shellEnv = aws.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let d = try DashboardDriver(db: db, dir: dir, prefix: "env -u AWS_PROFILE \(shellEnv)")
        defer { d.close() }
        try d.waitForGrid()
        try d.expectCell(flag: "feature", env: "jobs/prod", shows: "12/40")

        // An end user turns their job on: the dashboard's own sync picks it up, no key pressed.
        try Self.set(aws, Self.job(30), true)
        try d.expectCell(flag: "feature", env: "jobs/prod", shows: "13/40")

        try d.openKillDialog("feature", env: "jobs/prod")
        try d.type("incident 4411")
        try d.press(.enter)
        let done = try d.expect("the kill to finish") { d.status($0).contains("killed feature in jobs/prod") }
        #expect(d.status(done).contains("audit seq"), "\(d.status(done))")
        try d.expectCell(flag: "feature", env: "jobs/prod", shows: "✖KILL")

        // Turned back on while killed: the background sync turns it off again and says so.
        try Self.set(aws, Self.job(3), true)
        let held = try d.expect("the held kill on the status line", timeout: 15) {
            d.status($0).contains("kill held: turned off 1 job of feature in jobs/prod")
        }
        #expect(d.status(held).contains("turned back on outside flagdeck"))
        let item = try aws.object(["dynamodb", "get-item", "--table-name", "jobs", "--consistent-read",
                                   "--key", "{\"job_id\": {\"S\": \"\(Self.job(3))\"}}"])
        #expect(((item["Item"] as? [String: Any])?[Self.attribute] as? [String: Any])?["BOOL"] as? Bool == false, "\(item)")
        try d.quit()
    }

    static func job(_ i: Int) -> String { String(format: "job-%05d", i) }

    static func set(_ aws: AWSCLI, _ job: String, _ on: Bool) throws {
        try aws.json(["dynamodb", "update-item", "--table-name", "jobs", "--key", "{\"job_id\": {\"S\": \"\(job)\"}}",
                      "--update-expression", "SET #a = :v", "--expression-attribute-names", "{\"#a\": \"\(attribute)\"}",
                      "--expression-attribute-values", "{\":v\": {\"BOOL\": \(on)}}"])
    }
}
