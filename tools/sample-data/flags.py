# The demo inventory: one flag(...) per flag, with its scenario (see make.py).
def eq(name, key, value, match=True): return {name: {"when_match": match, "conditions": [{"action": "EQUALS", "key": key, "value": value}]}}
def rules(*parts):
    out = {}
    for p in parts: out.update(p)
    return out
def tenants(ids, name="allow-listed tenants"): return {name: {"when_match": True, "conditions": [{"action": "IN", "key": "tenant_id", "value": ids}]}}
def staff(): return {"internal staff": {"when_match": True, "conditions": [{"action": "ENDSWITH", "key": "email", "value": "@flagdeck-demo.example"}]}}
def modulo(lo, hi, match=True, name="bucket"): return {name: {"when_match": match, "conditions": [{"action": "MODULO_RANGE", "key": "user_id", "value": {"BASE": 100, "START": lo, "END": hi}}]}}
def nightly(tz="Europe/Berlin"): return {"nightly batch window": {"when_match": True, "conditions": [{"action": "SCHEDULE_BETWEEN_TIME_RANGE", "key": "CURRENT_TIME", "value": {"START": "22:00", "END": "05:30", "TIMEZONE": tz}}]}}
def weekdays(): return {"weekdays only": {"when_match": True, "conditions": [{"action": "SCHEDULE_BETWEEN_DAYS_OF_WEEK", "key": "CURRENT_DAY_OF_WEEK", "value": {"DAYS": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"], "TIMEZONE": "America/New_York"}}]}}
def region(vals, name="supported regions"): return {name: {"when_match": True, "conditions": [{"action": "IN", "key": "region", "value": vals}]}}
def sandbox_staff_prod(prod_rules):
    return lambda env: staff() if env.startswith("sandbox/") else prod_rules

# ---- release flags: 100% everywhere for months (retire candidates)
flag("checkout.address-autocomplete", "release", "checkout-web", "Suggest addresses while the shopper types, backed by the places API.", ["checkout","web"], "retire", 290, p={"done":190}, expires="-120d")
flag("checkout.one-page-flow", "release", "checkout-web", "Single-page checkout replacing the three-step wizard.", ["checkout","web","conversion"], "retire", 260, p={"done":150})
flag("payments.3ds2-frictionless", "release", "payments-core", "Send 3-D Secure 2 frictionless data so low-risk cards skip the challenge.", ["payments","sca","eu"], "retire", 240, p={"done":170}, config=sandbox_staff_prod(region(["EU","UK"])))
flag("ledger.double-entry-v2", "release", "ledger", "Post every movement through the v2 double-entry journal.", ["ledger","migration"], "retire", 330, p={"done":240}, expires="-200d")
flag("search.typo-tolerance", "release", "search", "Fuzzy matching for product search (edit distance 1-2).", ["search"], "retire", 200, p={"done":120})
flag("identity.passkeys-login", "release", "identity", "Offer passkey sign-in next to password login.", ["auth","web","mobile"], "retire", 180, p={"done":95}, expires="+20d")
flag("notifications.digest-emails", "release", "notifications", "Batch low-priority notifications into a daily digest.", ["email"], "retire", 220, p={"done":130})
flag("platform.http2-upstreams", "release", "platform-infra", "Speak HTTP/2 to upstream services from the edge proxy.", ["edge","performance"], "retire", 310, p={"done":260})
flag("mobile.dark-mode", "release", "mobile", "Dark theme in the iOS and Android apps.", ["mobile","ui"], "retire", 205, p={"done":160})
flag("payments.apple-pay-web", "release", "payments-core", "Apple Pay button on the web checkout.", ["payments","wallets","web"], "retire", 175, p={"done":88})
flag("checkout.saved-cards-v2", "release", "checkout-web", "Redesigned saved-card picker with card art.", ["checkout","ui"], "retire", 150, p={"done":70}, expires="-30d")
flag("data.events-v3-schema", "release", "data-platform", "Emit analytics events in the v3 schema (protobuf).", ["data","migration"], "retire", 280, p={"done":200})
flag("platform.tls13-only", "release", "platform-infra", "Refuse TLS 1.2 handshakes at the edge.", ["edge","security"], "retire", 140, p={"done":60})
flag("search.autocomplete-v2", "release", "search-legacy", "Second-generation autocomplete service.", ["search"], "retire", 250, p={"done":180})
flag("growth.referral-banner", "release", "growth", "Referral programme banner on the order confirmation page.", ["growth","web"], "retire", 120, p={"done":45}, expires="-5d")
flag("ledger.async-settlement", "release", "ledger", "Settle card batches asynchronously from the ledger worker.", ["ledger","performance"], "retire", 210, p={"done":100})
flag("risk.velocity-checks-v2", "release", "risk-fraud", "Second-generation card velocity checks.", ["risk"], "retire", 160, p={"done":80})
flag("identity.session-rotation", "release", "identity", "Rotate session ids on privilege change.", ["auth","security"], "retire", 300, p={"done":210})
flag("notifications.push-batching", "release", "notifications", "Batch push notifications per device per minute.", ["mobile","push"], "retire", 110, p={"done":40})
flag("payments.idempotency-keys-v2", "release", "payments-core", "Idempotency keys scoped per merchant.", ["payments","api"], "retire", 270, p={"done":190})
# ---- rolled out recently (100% everywhere, but within the window)
flag("checkout.express-shipping-eta", "release", "checkout-web", "Show an ETA next to express shipping.", ["checkout","shipping"], "rolled", 35, p={"done":9})
flag("payments.pix-brazil", "release", "payments-core", "Accept Pix payments for BR merchants.", ["payments","latam"], "rolled", 48, p={"done":14}, config=sandbox_staff_prod(region(["BR"])))
flag("search.synonyms-de", "release", "search", "German synonym dictionary for search.", ["search","i18n"], "rolled", 30, p={"done":3})
flag("platform.grpc-keepalive", "release", "platform-infra", "Enable gRPC keepalive pings between services.", ["grpc"], "rolled", 26, p={"done":6})
flag("mobile.biometric-unlock", "release", "mobile", "Face ID / fingerprint to unlock the app.", ["mobile","auth"], "rolled", 44, p={"done":20})
# ---- stuck half rolled out (environments disagree for weeks)
flag("payments.sepa-instant", "release", "payments-core", "SEPA Instant Credit Transfer payouts.", ["payments","eu","payouts"], "stuck", 160, p={"pct":25,"since":95}, expires="-40d")
flag("checkout.split-payments", "release", "checkout-web", "Pay one order with two cards.", ["checkout"], "stuck", 130, p={"pct":50,"since":70})
flag("ledger.multi-currency-wallets", "release", "ledger", "Hold balances in several currencies per merchant.", ["ledger","fx"], "stuck", 180, p={"pct":5,"since":120})
flag("search.vector-recall", "release", "search", "Vector recall stage before BM25 ranking.", ["search","ml"], "stuck", 90, p={"pct":25,"since":50})
flag("identity.risk-based-mfa", "release", "identity", "Ask for MFA only on risky sign-ins.", ["auth","risk"], "stuck", 100, p={"pct":50,"since":40})
flag("platform.envoy-migration", "release", "edge-team", "Route traffic through Envoy instead of nginx.", ["edge","migration"], "stuck", 210, p={"pct":25,"since":150}, expires="-60d")
flag("mobile.offline-cart", "release", "mobile", "Keep the cart usable without network.", ["mobile"], "stuck", 75, p={"pct":50,"since":33})
# ---- rollouts in progress, with steps in the last hours
flag("checkout.bnpl-klarna", "release", "checkout-web", "Buy-now-pay-later via Klarna at checkout.", ["checkout","bnpl","eu"], "rolling", 21, p={"last":0.125,"step":["payments-prod/canary","payments-prod/prod-eu"]}, expires="+60d", config=sandbox_staff_prod(region(["DE","AT","NL","SE"])))
flag("payments.network-tokens", "release", "payments-core", "Use card network tokens instead of PANs for recurring charges.", ["payments","pci"], "rolling", 18, p={"last":0.04,"step":["payments-prod/prod-us"]}, expires="+45d")
flag("platform.cgroup-v2-runners", "release", "platform-infra", "Schedule jobs on cgroup v2 runners.", ["ci","infra"], "rolling", 12, p={"last":0.3,"step":["platform-prod/canary","platform-prod/prod"]})
flag("search.ltr-model-7", "release", "search", "Learning-to-rank model v7.", ["search","ml"], "rolling", 16, p={"last":2.5,"step":["payments-prod/prod-eu"]})
flag("notifications.sms-fallback", "release", "notifications", "Fall back to SMS when push delivery fails twice.", ["sms","push"], "rolling", 9, p={"last":0.02,"step":["platform-prod/prod"]}, depends_on=None)
# ---- dead: off everywhere for months
flag("checkout.gift-wrap", "release", "checkout-web", "Gift-wrap option per line item.", ["checkout"], "dead_off", 300, p={"off":210,"why":"product dropped gift wrap"}, expires="-180d")
flag("search.image-search", "experiment", "search", "Search by photo (beta).", ["search","ml"], "dead_off", 260, p={"off":190,"why":"experiment concluded: no lift, high cost"})
flag("growth.spin-the-wheel", "experiment", "growth", "Spin-the-wheel discount popup.", ["growth","promo"], "dead_off", 230, p={"off":170,"why":"experiment concluded: hurt NPS"})
flag("mobile.ar-preview", "release", None, "AR product preview in the app.", ["mobile","ar"], "dead_off", 280, p={"off":200,"why":"vendor SDK discontinued"})
flag("payments.crypto-checkout", "release", "payments-core", "Pay with stablecoins via partner.", ["payments","crypto"], "dead_off", 320, p={"off":250,"why":"legal: partner licence withdrawn"})
flag("notifications.whatsapp-receipts", "experiment", "notifications", "Receipts over WhatsApp.", ["messaging"], "dead_off", 190, p={"off":110,"why":"experiment concluded: low opt-in"})
flag("identity.social-login-x", "release", None, "Sign in with X.", ["auth","social"], "dead_never", 240)
flag("ledger.legacy-export-csv", "release", "ledger", "Old nightly CSV export for finance.", ["ledger","legacy"], "dead_never", 350)
flag("growth.holiday-theme-2025", "release", "growth", "Holiday theme for the 2025 season.", ["growth","seasonal"], "dead_never", 330, expires="-300d")
flag("search.query-rewrite-llm", "experiment", "search", "Rewrite queries with an LLM before retrieval.", ["search","ml"], "dead_never", 150, expires="-90d")
flag("payments.ach-same-day", "release", "payments-core", "Same-day ACH payouts.", ["payments","us","payouts"], "dead_zero", 220, p={"off":150,"why":"NACHA cut-off misses; 0% until redesign"})
flag("checkout.dynamic-pricing", "experiment", "growth", "Dynamic shipping fees by basket value.", ["checkout","pricing"], "dead_zero", 200, p={"off":130,"why":"pricing review board asked to stop"})
flag("platform.http3-edge", "release", "platform-infra", "QUIC / HTTP/3 at the edge.", ["edge","performance"], "dead_killed", 260, p={"off":175,"why":"kernel UDP drops under load; kill until new NICs"})
flag("risk.ml-score-v3", "release", "risk-fraud", "Fraud score model v3.", ["risk","ml"], "dead_killed", 210, p={"off":120,"why":"false declines up 4x; model withdrawn"})
# ---- long kills (> 7 days) and recent kills
flag("payments.smart-retries", "release", "payments-core", "Retry soft declines at the issuer's preferred time.", ["payments","recovery"], "long_kill", 140, p={"kill":19,"env":"payments-prod/prod-us","why":"INC-4412: retries hitting issuer rate limits"})
flag("checkout.coupon-stacking", "release", "checkout-web", "Allow two coupons on one order.", ["checkout","promo"], "long_kill", 90, p={"kill":11,"env":"payments-prod/prod-eu","why":"INC-4470: negative totals on stacked coupons"})
flag("search.personalised-ranking", "experiment", "search", "Personalised ranking from browsing history.", ["search","ml","privacy"], "long_kill", 120, p={"kill":33,"env":"payments-prod/prod-eu","why":"DPO: consent check missing for EU users"})
flag("ledger.realtime-balances", "release", "ledger", "Compute balances on read instead of nightly.", ["ledger","performance"], "recent_kill", 60, p={"kill":2.5,"env":"payments-prod/prod-us","why":"INC-4519: p99 balance read 4s; killing while we investigate"})
flag("notifications.in-app-inbox", "release", "notifications", "In-app notification inbox.", ["mobile","ui"], "recent_kill", 40, p={"kill":0.75,"env":"platform-prod/prod","why":"crash loop in inbox service after deploy 2026.47.3"})
# ---- killed and restored (kills with reasons and unkills)
flag("payments.card-updater", "release", "payments-core", "Refresh expired cards through the network account updater.", ["payments","recovery"], "kill_unkill", 200, p={"kill":150,"env":"payments-prod/prod-eu","why":"INC-4107: updater returning stale PANs","fix":"issuer fixed their feed; verified on 200 cards","hours":6})
flag("checkout.address-validation", "release", "checkout-web", "Validate addresses against the postal API.", ["checkout","shipping"], "kill_unkill", 170, p={"kill":60,"env":"payments-prod/prod-us","why":"USPS API outage: every US checkout blocked","fix":"USPS API back","hours":2})
flag("identity.device-binding", "release", "identity", "Bind refresh tokens to device keys.", ["auth","security"], "kill_unkill", 100, p={"kill":8,"env":"platform-prod/prod","why":"Android 15 keystore bug logs users out","fix":"workaround shipped in app 8.4.1","hours":30})
flag("search.federated-results", "release", "search", "Merge marketplace results into search.", ["search"], "kill_unkill", 80, p={"kill":1,"env":"payments-prod/prod-eu","why":"marketplace index lagging 2h","fix":"index caught up","hours":4})
# ---- reverts
flag("checkout.new-tax-engine", "release", "checkout-web", "Compute tax with the new engine.", ["checkout","tax"], "revert", 150, p={"why":"rounding differences on CA orders","finish":100})
flag("ledger.partitioned-journal", "release", "ledger", "Partition the journal table by month.", ["ledger","database"], "revert", 120, p={"why":"replication lag during backfill","finish":60})
flag("payments.routing-optimizer", "release", "payments-core", "Route card traffic to the cheapest acquirer.", ["payments","routing"], "revert", 70, p={"why":"auth rate dropped 1.2pp at acquirer B","finish":None})
flag("platform.connection-pooler", "release", "platform-infra", "PgBouncer in transaction mode for API pods.", ["database"], "revert", 55, p={"why":"prepared statements broke in reporting","finish":30})
# ---- operational toggles
flag("ops.read-only-mode", "operational", "sre", "Put the API in read-only mode during migrations.", ["ops","database"], "ops_toggle", 340, p={"toggles":[(200,"payments-prod/prod-eu",2,"planned DB failover window"),(45,"payments-prod/prod-us",1,"storage migration")]})
flag("ops.degrade-recommendations", "operational", "sre", "Serve static recommendations instead of the ML service.", ["ops","ml"], "ops_toggle", 300, p={"toggles":[(90,"platform-prod/prod",5,"recommender OOM"),(0.2,"platform-prod/prod",1,"recommender latency spike")]})
flag("ops.queue-backpressure", "operational", "platform-infra", "Shed load at ingest when queue depth > 1M.", ["ops","queue"], "ops_toggle", 150, p={"toggles":[(30,"platform-prod/prod",3,"backpressure tripping at 40% depth")]})
flag("ops.verbose-payment-logs", "operational", "payments-core", "Log full (masked) payment payloads for debugging.", ["ops","logging"], "ops_toggle", 25)
flag("ops.cdn-failover", "operational", None, "Serve static assets from the secondary CDN.", ["ops","cdn"], "ops_toggle", 260, p={"toggles":[(130,"payments-prod/prod-us",6,"primary CDN outage us-east")]})
flag("ops.batch-window-night", "operational", "ledger", "Run settlement batches only in the nightly window.", ["ops","ledger"], "ops_toggle", 95, config=nightly())
flag("ops.rate-limit-strict", "operational", "security", "Halve API rate limits during abuse.", ["ops","security"], "ops_toggle", 60, p={"toggles":[(12,"platform-prod/prod",8,"credential stuffing wave")]})
flag("ops.search-cache-bypass", "operational", "search", "Bypass the search cache (debugging stale results).", ["ops","search"], "ops_toggle", 5)
flag("ops.disable-webhooks-retry", "operational", "platform-infra", "Stop retrying failed webhooks.", ["ops","webhooks"], "dead_off", 200, p={"off":140,"why":"retry storm fixed upstream"})
flag("ops.maintenance-banner", "operational", "sre", "Show the maintenance banner.", ["ops","web"], "ops_toggle", 0.4)
# ---- kill-switches (on; killed when things burn)
flag("kill.payouts", "kill-switch", "payments-core", "Master switch for all merchant payouts.", ["payments","payouts","critical"], "on", 360, p={"kills":[(220,"payments-prod/prod-eu",1.5,"bank file rejected; stop payouts","bank accepted corrected file")]})
flag("kill.card-authorizations", "kill-switch", "payments-core", "Stop sending authorizations to acquirers.", ["payments","critical"], "on", 360)
flag("kill.signup", "kill-switch", "identity", "Disable new account sign-ups.", ["auth","abuse"], "on", 300, p={"kills":[(64,"platform-prod/prod",10,"bot sign-up wave","captcha v3 deployed")]})
flag("kill.marketplace-sync", "kill-switch", "search", "Stop syncing marketplace listings.", ["search","marketplace"], "on", 200, p={"kills":[(15,"payments-prod/prod-us",None,"vendor feed sending malformed prices; stop until contract fixed","")]})
flag("kill.email-sending", "kill-switch", "notifications", "Stop all outbound email.", ["email","critical"], "on", 280, p={"kills":[(100,"payments-prod/prod-eu",0.5,"SES sending limits reached","limit raised")]})
flag("kill.partner-api", "kill-switch", None, "Turn off the partner API.", ["api","partners"], "on", 250)
flag("kill.legacy-checkout", "kill-switch", "checkout-web", "Disable the legacy checkout fallback.", ["checkout","legacy"], "on", 180)
flag("kill.fx-quotes", "kill-switch", "ledger", "Stop serving FX quotes.", ["ledger","fx"], "on", 150, p={"kills":[(4,"payments-prod/prod-eu",None,"FX provider returning stale rates since 03:10; quotes off","")]})
flag("kill.ml-inference", "kill-switch", "data-platform", "Disable all online ML inference.", ["ml","critical"], "on", 130)
flag("kill.exports", "kill-switch", "data-platform", "Stop customer data exports.", ["data","privacy"], "dead_killed", 240, p={"off":100,"why":"exports replaced by the data API; keep off"})
flag("kill.push", "kill-switch", "mobile", "Stop all push notifications.", ["mobile","push"], "on", 210, p={"kills":[(0.1,"platform-prod/prod",None,"APNs certificate expired; push failing","")]})
# ---- permissions (rules decide who)
flag("perm.invoice-export-csv", "permission", "ledger", "CSV invoice export for enterprise merchants.", ["billing","enterprise"], "on", 300, config=eq("enterprise tier", "tier", "enterprise"))
flag("perm.multi-user-accounts", "permission", "identity", "Team accounts with roles.", ["auth","enterprise"], "on", 250, config=rules(eq("enterprise tier", "tier", "enterprise"), eq("business tier", "tier", "business")))
flag("perm.beta-dashboard", "permission", "growth", "New merchant dashboard for beta merchants.", ["dashboard","beta"], "on", 140, config=lambda env: rules(staff(), tenants(["t-1001","t-1002","t-2044"])) if not env.startswith("sandbox/") else staff())
flag("perm.api-v3-access", "permission", "platform-infra", "Access to the v3 public API.", ["api"], "on", 100, config=tenants(["t-1001","t-3310","t-4120","t-5002"], "early access partners"))
flag("perm.support-impersonation", "permission", "security", "Support staff may view a merchant's dashboard.", ["support","security"], "on", 330, config=rules({"support role": {"when_match": True, "conditions": [{"action": "EQUALS", "key": "role", "value": "support"}, {"action": "KEY_IN_VALUE", "key": "team", "value": ["tier2", "tier3"]}]}}))
flag("perm.payout-schedule-daily", "permission", "payments-core", "Daily payout schedule for vetted merchants.", ["payments","payouts"], "on", 270, config=rules({"vetted merchants": {"when_match": True, "conditions": [{"action": "KEY_GREATER_THAN_OR_EQUAL_VALUE", "key": "risk_tier", "value": 3}, {"action": "EQUALS", "key": "kyc_complete", "value": True}]}}))
flag("perm.raw-data-access", "permission", None, "Raw event access in the warehouse.", ["data","privacy"], "on", 210, config=eq("data team", "team", "data"))
flag("perm.early-payouts-us", "permission", "payments-core", "Early payouts for US merchants on weekdays.", ["payments","us"], "on", 90, config=lambda env: rules(weekdays()) if env.endswith("prod-us") or env.startswith("sandbox/") else None)
# ---- experiments (50/50 splits, variants)
flag("exp.checkout-button-copy", "experiment", "growth", "Button copy: 'Pay now' vs 'Complete order'.", ["growth","copy"], "experiment", 55, json_default={"label": "Pay now"}, variants=[{"name":"control","value":{"label":"Pay now"},"weight":50},{"name":"complete","value":{"label":"Complete order"},"weight":50}], config=rules(modulo(50, 99, {"label": "Complete order"}, "treatment bucket")))
flag("exp.payment-methods-order", "experiment", "checkout-web", "Order of payment methods on checkout.", ["checkout","conversion"], "experiment", 70, json_default={"order": ["card","paypal","sepa"]}, variants=[{"name":"control","value":{"order":["card","paypal","sepa"]},"weight":34},{"name":"wallets-first","value":{"order":["apple_pay","google_pay","card"]},"weight":33},{"name":"local-first","value":{"order":["sepa","card","paypal"]},"weight":33}], config=rules(modulo(0, 32, {"order": ["apple_pay","google_pay","card"]}, "wallets-first"), modulo(33, 65, {"order": ["sepa","card","paypal"]}, "local-first")), overrides=[{"env":"payments-prod/prod-eu","key":"user_id","equals":"u-88213","serve":{"order":["apple_pay","google_pay","card"]},"expires":"+14d","note":"QA account pinned to wallets-first"}])
flag("exp.search-results-per-page", "experiment", "search", "24 vs 48 results per page.", ["search"], "experiment", 80, json_default={"per_page": 24}, variants=[{"name":"24","value":{"per_page":24},"weight":50},{"name":"48","value":{"per_page":48},"weight":50}], config=rules(modulo(50, 99, {"per_page": 48})))
flag("exp.free-shipping-threshold", "experiment", "growth", "Free shipping at 49 vs 59.", ["growth","pricing"], "experiment", 110, json_default={"threshold": 59}, variants=[{"name":"59","value":{"threshold":59},"weight":50},{"name":"49","value":{"threshold":49},"weight":50}], p={"concluded":50,"result":"49 won (+2.1% AOV); shipping 49 in code"})
flag("exp.onboarding-checklist", "experiment", "growth", "Onboarding checklist for new merchants.", ["growth","onboarding"], "experiment", 65)
flag("exp.pricing-page-annual-toggle", "experiment", None, "Annual/monthly toggle default on pricing page.", ["growth","pricing"], "experiment", 150, json_default={"default_period": "monthly"}, variants=[{"name":"monthly","value":{"default_period":"monthly"},"weight":50},{"name":"annual","value":{"default_period":"annual"},"weight":50}])
flag("exp.push-send-time", "experiment", "notifications", "Send push at local 9am vs 6pm.", ["push","timing"], "experiment", 45, json_default={"hour": 9}, variants=[{"name":"morning","value":{"hour":9},"weight":50},{"name":"evening","value":{"hour":18},"weight":50}])
flag("exp.mobile-tabbar-v2", "experiment", "mobile", "Four-tab vs five-tab app navigation.", ["mobile","ui"], "experiment", 95, p={"concluded":30,"result":"no significant difference; keeping four tabs"})
flag("exp.risk-threshold-0-82", "experiment", "risk-fraud", "Fraud decline threshold 0.82 vs 0.85.", ["risk","ml"], "experiment", 38)
flag("exp.smart-search-suggestions", "experiment", "search", "Suggestions from query logs.", ["search"], "experiment", 140, p={"concluded":75,"result":"+0.4% CTR; shipping"})
# ---- brand new (created in the last hours)
flag("checkout.paypal-vault", "release", "checkout-web", "Vault PayPal accounts for one-click reorder.", ["checkout","wallets"], "fresh", 0.2, expires="+90d")
flag("platform.arm64-builders", "release", "platform-infra", "Build images on arm64 runners.", ["ci"], "fresh", 0.3, p={"qa":1})
flag("identity.magic-links", "release", "identity", "Passwordless email magic links.", ["auth"], "fresh", 0.08, expires="+60d")
# ---- more release flags rounding out the inventory
flag("payments.wero-wallet", "release", "payments-core", "Accept the Wero wallet in EU markets.", ["payments","wallets","eu"], "rolling", 10, p={"last":0.5,"step":["payments-prod/prod-eu"]}, expires="+75d")
flag("ledger.fee-recalc-job", "release", "ledger", "Recalculate fees nightly instead of on capture.", ["ledger"], "stuck", 85, p={"pct":25,"since":36})
flag("checkout.guest-checkout-email", "release", "checkout-web", "Ask guests for email before address.", ["checkout","conversion"], "retire", 190, p={"done":110})
flag("search.zero-results-fallback", "release", "search", "Show popular items when a search returns nothing.", ["search","conversion"], "retire", 170, p={"done":100}, expires="-45d")
flag("mobile.widgets-ios", "release", "mobile", "Home-screen widgets on iOS.", ["mobile","ios"], "rolled", 40, p={"done":12})
flag("notifications.quiet-hours", "release", "notifications", "Respect per-user quiet hours for push.", ["push"], "retire", 160, p={"done":55})
flag("identity.password-breach-check", "release", "security", "Reject passwords found in breach corpora.", ["auth","security"], "retire", 230, p={"done":140})
flag("data.cdc-to-lake", "release", "data-platform", "Stream CDC into the lake instead of nightly dumps.", ["data"], "stuck", 140, p={"pct":50,"since":60})
flag("platform.autoscaler-v2", "release", "platform-infra", "Predictive autoscaler.", ["infra","cost"], "revert", 65, p={"why":"scale-down too aggressive at 02:00 UTC","finish":25})
flag("risk.3ds-exemptions-tra", "release", "risk-fraud", "Request TRA exemptions for low-risk EU payments.", ["risk","sca","eu"], "retire", 125, p={"done":50}, config=sandbox_staff_prod(region(["EU"])))
flag("payments.partial-captures", "release", "payments-core", "Capture less than the authorised amount.", ["payments"], "retire", 185, p={"done":120})
flag("checkout.upsell-warranty", "release", None, "Offer extended warranty at checkout.", ["checkout","upsell"], "dead_off", 170, p={"off":120,"why":"partner contract ended"})
flag("data.pii-tokenization", "release", "security", "Tokenise PII columns at ingest.", ["data","privacy"], "rolling", 30, p={"last":5,"step":["platform-prod/prod"]}, expires="+30d")
flag("search.spellcheck-v3", "release", "search", "Spellcheck model v3.", ["search","ml"], "kill_unkill", 100, p={"kill":45,"env":"platform-prod/prod","why":"spellcheck rewriting SKUs","fix":"SKU pattern excluded","hours":20})
flag("ledger.interest-accrual", "release", "ledger", "Daily interest accrual on balances.", ["ledger","treasury"], "rolled", 50, p={"done":18}, depends_on=None)
flag("growth.nps-survey", "release", "growth", "In-app NPS survey after the 5th order.", ["growth","survey"], "retire", 145, p={"done":90})
flag("mobile.app-review-prompt", "release", "mobile", "Ask for an app-store review after a good order.", ["mobile","growth"], "retire", 135, p={"done":85})
flag("notifications.email-templates-v2", "release", "notifications", "MJML-based email templates.", ["email","ui"], "stuck", 110, p={"pct":50,"since":45})
flag("platform.ipv6-dualstack", "release", "platform-infra", "Dual-stack IPv6 on public load balancers.", ["network"], "retire", 240, p={"done":150})
flag("payments.surcharging-us", "release", "payments-core", "Card surcharging where US law allows.", ["payments","us","compliance"], "dead_never", 120, expires="-10d")
flag("risk.device-fingerprint-v2", "release", "risk-fraud", "Second-generation device fingerprinting.", ["risk"], "rolled", 42, p={"done":22})
flag("identity.sso-saml", "release", "identity", "SAML single sign-on for enterprise.", ["auth","enterprise"], "retire", 260, p={"done":170})
flag("checkout.order-notes", "release", "checkout-web", "Free-text notes on orders.", ["checkout"], "retire", 100, p={"done":36})
flag("search.query-understanding", "release", "search", "Entity extraction on queries.", ["search","ml"], "dead_zero", 180, p={"off":80,"why":"latency budget exceeded"})
flag("data.warehouse-dual-write", "release", "data-platform", "Write to old and new warehouse.", ["data","migration"], "retire", 200, p={"done":130}, expires="-70d")

# Dependencies (set after the list so keys exist earlier in history than their dependents)
DEPS = {
  "checkout.one-page-flow": ["checkout.address-autocomplete"],
  "checkout.split-payments": ["checkout.saved-cards-v2"],
  "checkout.bnpl-klarna": ["checkout.one-page-flow"],
  "payments.network-tokens": ["payments.idempotency-keys-v2"],
  "payments.smart-retries": ["payments.card-updater"],
  "ledger.realtime-balances": ["ledger.double-entry-v2"],
  "ledger.multi-currency-wallets": ["ledger.double-entry-v2", "ledger.async-settlement"],
  "ledger.interest-accrual": ["ledger.multi-currency-wallets"],
  "search.ltr-model-7": ["search.vector-recall"],
  "search.personalised-ranking": ["search.typo-tolerance"],
  "identity.risk-based-mfa": ["identity.session-rotation"],
  "notifications.sms-fallback": ["notifications.push-batching"],
  "mobile.offline-cart": ["mobile.dark-mode"],
  "exp.payment-methods-order": ["checkout.one-page-flow"],
  "data.cdc-to-lake": ["data.events-v3-schema"],
  "data.pii-tokenization": ["data.cdc-to-lake"],
  "platform.arm64-builders": ["platform.cgroup-v2-runners"],
}
byk = {f["key"]: f for f in FLAGS}
for k, ds in DEPS.items():
    for d in ds: assert byk[d]["created"] > byk[k]["created"], (k, d)
    byk[k]["deps"] = ds

# features_config.json (seed 003 format) carries a few flags' metadata
FC = {
  "mobile.dark-mode": {"regions": ["US", "DE", "RO"], "percentage_rollout": 100, "environments": ["dev", "qa", "staging", "prod"]},
  "mobile.biometric-unlock": {"percentage_rollout": 100, "environments": ["dev", "qa", "staging", "prod"], "account_types": ["premium", "enterprise", "standard"]},
  "mobile.offline-cart": {"percentage_rollout": 50, "environments": ["dev", "qa", "staging", "prod"], "beta_program": True},
  "mobile.widgets-ios": {"percentage_rollout": 100, "environments": ["dev", "qa", "staging", "prod"], "activation_date": "2026-10-01T00:00:00"},
  "mobile.app-review-prompt": {"users": [1001, 1002], "percentage_rollout": 100, "environments": ["dev", "qa", "staging", "prod"]},
}

# Extra history: metadata edits (owners leaving, expiry moved)
EXTRA = [
  (150, "carol", "edit", {"flag": "search.autocomplete-v2", "owner": None, "reason": "search-legacy team disbanded; owner to be found"}),
  (90, "carol", "edit", {"flag": "platform.envoy-migration", "owner": None, "reason": "owner left the company"}),
  (61, "alice", "edit", {"flag": "payments.sepa-instant", "tags": ["payments", "eu", "payouts", "blocked"], "reason": "blocked on bank partner certification"}),
  (20, "dave", "edit", {"flag": "exp.checkout-button-copy", "description": "Button copy: 'Pay now' vs 'Complete order' (re-run with new copy deck).", "reason": "experiment re-run"}),
  (0.05, "alice", "edit", {"flag": "checkout.bnpl-klarna", "expires": "+90d", "reason": "rollout extended to SE and NO"}),
]
for fl in FLAGS: fl.setdefault("by", None)
