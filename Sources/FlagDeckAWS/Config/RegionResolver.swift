/// Where a region came from, for messages and tests.
public enum RegionSource: Sendable, Hashable {
    case explicit
    case environment(String)
    case profile(file: String)
}

/// The region, as the SDKs resolve it: explicit, else `AWS_REGION`, else
/// `AWS_DEFAULT_REGION`, else the profile's `region`. No default: calling the wrong
/// region is worse than failing with a message naming the profile.
public enum RegionResolver {
    public static func resolve(explicit: String?, environment: AWSEnvironment, profileName: String,
                               profile: AWSProfile?) throws -> (region: String, source: RegionSource) {
        if let explicit, !explicit.isEmpty { return (explicit, .explicit) }
        for name in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let r = environment[name] { return (r, .environment(name)) }
        }
        if let p = profile, let r = p.string("region") { return (r, .profile(file: p.source(of: "region"))) }
        throw AWSError.missingRegion(profile: profileName)
    }
}
