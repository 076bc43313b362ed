// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "flagdeck",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "FlagDeckCore", targets: ["FlagDeckCore"]),
        .library(name: "FlagDeckTUI", targets: ["FlagDeckTUI"]),
        .library(name: "FlagDeckPostgres", targets: ["FlagDeckPostgres"]),
        .executable(name: "flagdeck", targets: ["flagdeck"]),
        .executable(name: "flagdeck-bench", targets: ["flagdeck-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        .package(url: "https://github.com/attaswift/BigInt", exact: "6.0.1"),
    ],
    targets: [
        .target(
            name: "FlagDeckCore",
            dependencies: [
                "FlagDeckAWS",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "BigInt", package: "BigInt"),
            ]
        ),
        // The demo inventory, the sample-data loader and the deterministic generator: not
        // the product, so not in the core; they write through the core's operations.
        .target(name: "FlagDeckDemo", dependencies: ["FlagDeckCore"]),
        // A small hand-written AWS client (SigV4, credentials chain, STS, AppConfig,
        // AppConfigData, DynamoDB): no Swift AWS SDK is in the mirror. Foundation and
        // swift-crypto only, so FlagDeckCore can depend on it.
        .target(
            name: "FlagDeckAWS",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        // libpq (Debian libpq-dev): team mode's client, see docs/team-mode.md for why not postgres-nio.
        .systemLibrary(name: "CLibpq", path: "Sources/CLibpq"),
        .target(name: "FlagDeckPostgres", dependencies: ["FlagDeckCore", "CLibpq"]),
        .target(
            name: "FlagDeckTUI",
            dependencies: [
                "FlagDeckCore",
                "CNcursesw",
                "FlagDeckPostgres",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .executableTarget(
            name: "flagdeck",
            dependencies: [
                "FlagDeckCore",
                "FlagDeckDemo",
                "FlagDeckTUI",
                "FlagDeckPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "flagdeck-bench",
            dependencies: [
                "FlagDeckCore",
                "FlagDeckDemo",
                "FlagDeckTUI",
                "FlagDeckPostgres",
                // PostgresCluster: the bench starts its own server exactly as the tests do.
                "FlagDeckTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // Shared by the test targets only: repository root, process runner, deadlines,
        // free ports, and the virtualenvs and loopback servers the tests start themselves.
        .target(name: "FlagDeckTestSupport", path: "Tests/FlagDeckTestSupport"),
        .target(name: "FlagDeckAWSTestSupport", dependencies: ["FlagDeckAWS", "FlagDeckCore", "FlagDeckTestSupport"],
                path: "Tests/FlagDeckAWSTestSupport"),
        .testTarget(name: "FlagDeckCoreTests", dependencies: ["FlagDeckCore", "FlagDeckDemo", "FlagDeckTestSupport", "FlagDeckPostgres"],
                    exclude: ["Vectors"]),
        .testTarget(name: "FlagDeckBenchTests", dependencies: ["flagdeck-bench", "FlagDeckCore", "FlagDeckDemo", "FlagDeckPostgres", "FlagDeckTestSupport"]),
        .testTarget(name: "FlagDeckTUITests", dependencies: ["FlagDeckTUI", "FlagDeckCore", "FlagDeckPostgres", "FlagDeckTestSupport", "FlagDeckAWS", "FlagDeckAWSTestSupport"],
                    exclude: ["BadThemes"]),
        .testTarget(name: "FlagDeckAWSTests", dependencies: ["FlagDeckAWS", "FlagDeckTestSupport"],
                    exclude: ["python"]),
        // Per-job flags in DynamoDB against the emulator, with the seed's own reader as the
        // oracle; the helper runs the kill engine in a child process the tests SIGKILL.
        .executableTarget(name: "flagdeck-ddb-kill-helper", dependencies: ["FlagDeckCore", "FlagDeckAWS"],
                          path: "Tests/DynamoDBKillHelper"),
        .testTarget(name: "FlagDeckDynamoDBTests",
                    dependencies: ["FlagDeckCore", "FlagDeckAWS", "FlagDeckTestSupport", "FlagDeckAWSTestSupport", "flagdeck-ddb-kill-helper"]),
        // The AppConfig driver and discovery against ministack, with Powertools' own
        // AppConfigStore as the application.
        .testTarget(name: "FlagDeckAppConfigTests", dependencies: ["FlagDeckCore", "FlagDeckAWS", "FlagDeckTestSupport", "FlagDeckAWSTestSupport"]),
        .testTarget(name: "FlagDeckPostgresTests",
                    dependencies: ["FlagDeckPostgres", "FlagDeckCore", "FlagDeckTestSupport", "flagdeck"]),
        .testTarget(
            name: "FlagDeckCLITests",
            dependencies: ["FlagDeckCore", "FlagDeckAWS", "FlagDeckDemo", "flagdeck", "FlagDeckTestSupport", "FlagDeckAWSTestSupport"]
        ),
        // The real binary in tmux, driven through the dashboard's key tables (FlagDeckTUI).
        .testTarget(
            name: "FlagDeckTerminalTests",
            dependencies: ["flagdeck", "FlagDeckTUI", "FlagDeckCore", "FlagDeckTestSupport"]
        ),
    ]
)
