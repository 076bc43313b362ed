import FlagDeckAWS
import FlagDeckCore
import Foundation

// `flagdeck-ddb-kill-helper URI JOURNAL [CONCURRENCY [BATCH]]`: runs the DynamoDB kill
// engine in a process of its own, so a test can SIGKILL it halfway. The AWS settings
// (endpoint, keys, region) come from the environment, as for any AWS tool. The plan is
// journalled to JOURNAL (written whole, then renamed: a reader never sees half a
// plan), and one line `journal SETTLED APPLIED` goes to stdout after each write.
// If JOURNAL exists the run resumes it instead of scanning.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("flagdeck-ddb-kill-helper: \(message)\n".utf8))
    exit(1)
}

let args = CommandLine.arguments.dropFirst().map { $0 }
guard args.count >= 2 else { fail("usage: flagdeck-ddb-kill-helper URI JOURNAL [CONCURRENCY [BATCH]]") }
let journalPath = args[1]
let concurrency = args.count > 2 ? Int(args[2]) ?? 16 : 16
let batch = args.count > 3 ? Int(args[3]) : nil

do {
    guard case .dynamoDB(let location) = try SourceURI(parsing: args[0]) else { fail("not a dynamodb:// URI: \(args[0])") }
    let source = try DynamoDBJobsSource.open(location)
    let plan: DynamoDBBulkPlan
    if let text = try? String(contentsOfFile: journalPath, encoding: .utf8) {
        plan = try DynamoDBBulkPlan(json: text)
    } else {
        plan = DynamoDBBulkPlan.kill(try source.scan(), uri: source.uri, batchSize: batch)
    }
    let engine = DynamoDBBulkEngine(source: source, concurrency: concurrency)
    let done = try engine.run(plan, journal: { p in
        let tmp = journalPath + ".tmp"
        try Data(p.json.utf8).write(to: URL(fileURLWithPath: tmp))
        guard rename(tmp, journalPath) == 0 else { throw POSIXError(.EIO) }
        FileHandle.standardOutput.write(Data("journal \(p.settledCount) \(p.applied.count)\n".utf8))
    })
    print("done \(done.isComplete ? "complete" : "interrupted") applied \(done.applied.count) skipped \(done.skipped.count)")
} catch {
    fail("\(error)")
}
