/// The flagdeck environment an AppConfig environment is bound to by `aws discover --bind`.
/// Predictable from names the operator already knows, the same on every run:
///
/// - **Account** = the AWS profile name. When the region is not the profile's own (its
///   `region` setting, or `AWS_REGION`), `.REGION` is added: `payments-prod.us-east-1`.
/// - **Environment** = the AppConfig environment's name: `payments-prod/prod`. When the
///   account (profile and region) holds flags in more than one application, every
///   environment name is qualified by its application: `payments-prod/checkout.prod`,
///   `payments-prod/search.prod`.
/// - Every flag profile of one application deployed to one AppConfig environment binds to
///   that one flagdeck environment (a flag key found in two of them is refused at binding).
/// - Names keep `A–Z a–z 0–9 _ . -`; any other run of characters becomes one `-`. Two
///   environments whose names still collide get their AppConfig environment id appended.
///
/// Re-running binds only sources not bound yet (matched by URI), so a name chosen once is
/// never changed by a later run, even if the account gains a second application.
public enum AppConfigNaming {
    /// One AppConfig environment to name.
    public struct Place: Sendable, Hashable {
        public var profile: String
        public var region: String
        /// The region the profile uses when none is given; nil when it has none.
        public var homeRegion: String?
        public var applicationId: String
        public var application: String
        public var environmentId: String
        public var environment: String

        public init(profile: String, region: String, homeRegion: String?, applicationId: String, application: String,
                    environmentId: String, environment: String) {
            self.profile = profile
            self.region = region
            self.homeRegion = homeRegion
            self.applicationId = applicationId
            self.application = application
            self.environmentId = environmentId
            self.environment = environment
        }
    }

    /// Names for every place found in one run. Places of one account (profile, region) are
    /// qualified together, so the rule sees the whole account.
    public static func names(_ places: [Place]) -> [Place: EnvironmentID] {
        var out: [Place: EnvironmentID] = [:]
        let byAccount = Dictionary(grouping: places) { AccountKey(profile: $0.profile, region: $0.region) }
        for (_, group) in byAccount {
            let qualify = Set(group.map(\.applicationId)).count > 1
            var proposed: [Place: (String, String)] = [:]
            for p in group {
                let account = self.account(profile: p.profile, region: p.region, homeRegion: p.homeRegion)
                let name = qualify ? component(p.application) + "." + component(p.environment) : component(p.environment)
                proposed[p] = (account, name)
            }
            // Collisions after cleaning: the same name for different AppConfig environments.
            let counts = Dictionary(grouping: proposed.keys) { proposed[$0]!.1 }
                .mapValues { Set($0.map { "\($0.applicationId)/\($0.environmentId)" }).count }
            for (p, (account, name)) in proposed {
                let final = counts[name, default: 1] > 1 ? clip(name, 100 - p.environmentId.count - 1) + "-" + component(p.environmentId) : name
                out[p] = EnvironmentID(account: clip(account, 100), name: clip(final, 100))
            }
        }
        return out
    }

    /// The account component: the profile, plus the region when it is not the profile's own.
    public static func account(profile: String, region: String, homeRegion: String?) -> String {
        component(profile) + (homeRegion == region ? "" : "." + component(region))
    }

    /// A name made safe for an environment component: allowed bytes kept, any other run of
    /// characters one `-`, no leading or trailing `-`, never empty, `.`/`..` avoided.
    public static func component(_ s: String) -> String {
        var out = ""
        var dash = false
        for b in s.utf8 {
            let ok = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2E || b == 0x2D
            if ok {
                out.unicodeScalars.append(Unicode.Scalar(b))
                dash = false
            } else if !dash {
                out += "-"
                dash = true
            }
        }
        while out.hasPrefix("-") { out.removeFirst() }
        while out.hasSuffix("-") { out.removeLast() }
        if out.isEmpty || out == "." || out == ".." { out = "env" + (out.isEmpty ? "" : "-dot") }
        return out
    }

    private static func clip(_ s: String, _ n: Int) -> String { String(s.utf8.prefix(max(1, n))) ?? s }

    private struct AccountKey: Hashable {
        var profile: String
        var region: String
    }
}
