import Foundation

/// The process environment and home directory the configuration is read from. A value,
/// not `ProcessInfo` directly, so tests (and a dashboard holding clients for several
/// accounts) can resolve each client from its own environment without `setenv`, which is
/// not thread-safe.
public struct AWSEnvironment: Sendable, Hashable {
    public var variables: [String: String]
    public var homeDirectory: String

    public init(variables: [String: String], homeDirectory: String? = nil) {
        self.variables = variables
        self.homeDirectory = homeDirectory ?? variables["HOME"] ?? NSHomeDirectory()
    }

    /// This process's environment, read now.
    public static var process: AWSEnvironment { AWSEnvironment(variables: ProcessInfo.processInfo.environment) }

    /// A non-empty variable, else nil (an empty `AWS_PROFILE=` means unset, as in the SDKs).
    public subscript(name: String) -> String? {
        guard let v = variables[name], !v.isEmpty else { return nil }
        return v
    }

    /// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
    public var credentialsFilePath: String {
        expand(self["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials")
    }

    /// `AWS_CONFIG_FILE`, else `~/.aws/config`.
    public var configFilePath: String { expand(self["AWS_CONFIG_FILE"] ?? "~/.aws/config") }

    func expand(_ path: String) -> String {
        if path == "~" { return homeDirectory }
        if path.hasPrefix("~/") { return homeDirectory + String(path.dropFirst(1)) }
        return path
    }
}
