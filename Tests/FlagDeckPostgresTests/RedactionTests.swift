import Testing
@testable import FlagDeckPostgres

@Suite("Password redaction")
struct RedactionTests {
    @Test(arguments: [
        ("postgresql://alice:hunter2@db.example:5432/flagdeck", "postgresql://alice:***@db.example:5432/flagdeck"),
        ("postgres://alice:p%40ss@h/d?sslmode=require", "postgres://alice:***@h/d?sslmode=require"),
        ("postgresql://alice@h/d?password=hunter2&sslmode=require", "postgresql://alice@h/d?password=***&sslmode=require"),
        ("host=h user=alice password=hunter2 dbname=d", "host=h user=alice password=*** dbname=d"),
        ("host=h password = 'a b\\'c' dbname=d", "host=h password = *** dbname=d"),
        ("postgresql://alice@h/d", "postgresql://alice@h/d"),
        ("host=h user=alice dbname=d", "host=h user=alice dbname=d"),
    ])
    func structuralRedaction(_ input: String, _ expected: String) {
        #expect(Redactor(target: input, environment: [:]).redact(input) == expected)
    }

    @Test func knownSecretsAreRemovedFromAnyMessage() {
        let r = Redactor(target: "postgresql://alice:p%40ss@h/d", environment: ["PGPASSWORD": "envsecret"])
        let m = r.redact("invalid percent-encoded token: \"p%40ss\"; also p@ss and envsecret")
        #expect(!m.contains("p%40ss") && !m.contains("p@ss") && !m.contains("envsecret"), "\(m)")
    }

    @Test func passwordKeyInsideAnotherWordIsLeftAlone() {
        let r = Redactor(target: "host=h", environment: [:])
        #expect(r.redact("mypassword=x") == "mypassword=x")
    }
}
