import FlagDeckCore
/// Word lists for generated inventories, modelled on the demo's sample data so that
/// generated keys, owners and reasons look like the demo (same areas, similar lengths).
enum GeneratorVocabulary {
    static let areas = ["checkout", "payments", "ledger", "search", "identity", "notifications", "platform",
                        "mobile", "growth", "risk", "data", "ops", "billing", "catalog", "shipping", "support"]
    static let words = ["address", "autocomplete", "one-page", "flow", "3ds2", "frictionless", "double-entry",
                        "typo", "tolerance", "passkeys", "login", "digest", "emails", "http2", "upstreams",
                        "dark-mode", "apple-pay", "web", "saved-cards", "events", "schema", "tls13", "referral",
                        "banner", "async", "settlement", "velocity", "checks", "session", "rotation", "push",
                        "batching", "idempotency", "keys", "express", "shipping", "eta", "pix", "synonyms",
                        "grpc", "keepalive", "biometric", "unlock", "sepa", "instant", "split", "multi-currency",
                        "wallets", "vector", "recall", "risk-based", "mfa", "offline", "cart", "bnpl",
                        "network-tokens", "cgroup", "runners", "ltr-model", "sms", "fallback", "gift-wrap",
                        "image", "crypto", "receipts", "export", "holiday", "theme", "query", "rewrite",
                        "same-day", "dynamic", "pricing", "smart", "retries", "coupon", "stacking",
                        "personalised", "ranking", "realtime", "balances", "inbox", "card-updater",
                        "validation", "device", "binding", "federated", "results", "tax-engine", "partitioned",
                        "journal", "routing", "optimizer", "pooler", "read-only", "degrade", "backpressure",
                        "verbose", "logs", "cdn", "failover", "batch-window", "rate-limit", "cache", "bypass"]
    static let suffixes = ["", "", "", "", "-v2", "-v3", "-beta", "-eu", "-us"]
    static let teams = ["payments-core", "checkout-web", "risk-fraud", "ledger", "platform-infra", "sre", "search",
                        "growth", "mobile", "identity", "notifications", "data-platform", "security"]
    static let tags = ["web", "mobile", "eu", "us", "migration", "performance", "security", "ml", "conversion",
                       "critical", "legacy", "api", "ui", "compliance", "cost"]
    static let accounts = ["sandbox", "platform-prod", "payments-prod", "identity-prod", "data-prod", "mobile-nonprod",
                           "search-prod", "growth-nonprod", "risk-prod", "edge-prod"]
    static let prodEnvs = ["canary", "prod", "prod-eu", "prod-us", "prod-ap", "dr"]
    static let nonprodEnvs = ["dev", "qa", "staging", "perf"]
    /// Operators and their fixed hosts: the generated log never depends on who runs it.
    static let operators: [(String, String)] = [
        ("alice", "alice-mbp"), ("bob", "bastion-eu-1"), ("carol", "carol-thinkpad"), ("dave", "dave-mbp"),
        ("erin", "erin-mbp"), ("frank", "bastion-us-2"), ("grace", "grace-desktop"), ("heidi", "heidi-mbp"),
        ("deploy-bot", "ci-runner-07"),
    ]
    static let rolloutReasons = ["canary cohort: 5%", "metrics green at 5% for 48h", "error rate flat at 25%",
                                 "full rollout after review", "25% clean for a week; next step", "continue rollout"]
    static let revertReasons = ["revert: p99 latency up", "revert: error rate doubled", "revert: support tickets spiking",
                                "revert: rounding differences", "revert: replication lag"]
    static let killReasons = ["INC: error rate 12% after deploy", "INC: upstream outage", "INC: data corruption risk",
                              "INC: crash loop after release", "INC: third-party API returning garbage",
                              "security: abuse wave", "legal: stop until review"]
    static let unkillReasons = ["fix deployed and verified", "upstream recovered", "incident resolved", "hotfix shipped"]
    static let toggleReasons = ["enable after sign-off", "switch off after incident review", "planned maintenance",
                                "experiment concluded", "back on after fix", "ops toggle"]
    /// Rules/default pairs that `state.set` events cycle through (index 0 is a new cell's).
    static let ruleSets: [(rules: String, defaultValue: String)] = [
        ("[]", "false"),
        (#"[{"name":"internal staff","when_match":true,"conditions":[{"action":"ENDSWITH","key":"email","value":"@flagdeck-demo.example"}]}]"#, "false"),
        (#"[{"name":"enterprise tier","when_match":true,"conditions":[{"action":"EQUALS","key":"tier","value":"enterprise"}]}]"#, "false"),
        (#"[{"name":"supported regions","when_match":true,"conditions":[{"action":"IN","key":"region","value":["EU","UK"]}]}]"#, "false"),
        (#"[{"name":"bucket","when_match":true,"conditions":[{"action":"MODULO_RANGE","key":"user_id","value":{"BASE":100,"START":0,"END":49}}]}]"#, "false"),
    ]
}
