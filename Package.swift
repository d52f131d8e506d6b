// swift-tools-version:6.2
// 6.2 is the minimum: hummingbird, hummingbird-auth, swift-prometheus and swift-service-lifecycle declare it.
import PackageDescription

/// Settings every Muster target shares: Swift 6 mode plus the three upcoming features
/// STYLE.md asks for. `InternalImportsByDefault` is what keeps libpq's C types out of
/// every public signature.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Muster",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "muster", targets: ["TrainingCLI"]),
        .executable(name: "muster-bench", targets: ["MusterBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Keep 3.x: hummingbird-auth allows up to 6.0, and 4.x breaks the build.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // The HTTP API (muster serve): server, bcrypt/TOTP, metrics, logs, graceful shutdown.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // RFC 4180 CSV for ratings files and paper backfills.
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        // Server-rendered HTML pages (the web app): logic-less templates that escape by default.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(name: "Postgres", dependencies: ["CLibPQ"], swiftSettings: swiftSettings),
        .target(
            name: "EventLog",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(name: "EventLogPostgres", dependencies: ["EventLog", "Postgres"], swiftSettings: swiftSettings),
        .target(name: "EventLogTesting", dependencies: ["EventLog", "EventLogPostgres", "Postgres"], swiftSettings: swiftSettings),
        .target(name: "CompactJSON", swiftSettings: swiftSettings),
        .target(name: "TrainingDomain", dependencies: ["CompactJSON"], swiftSettings: swiftSettings),
        // Domain entries <-> stored events and stream naming: the one place the write side and
        // the read side share.
        .target(name: "TrainingRecords", dependencies: ["EventLog", "TrainingDomain"], swiftSettings: swiftSettings),
        .target(
            name: "TrainingProjections",
            dependencies: ["EventLog", "EventLogPostgres", "Postgres", "TrainingDomain", "TrainingRecords"],
            swiftSettings: swiftSettings),
        .target(
            name: "TrainingServices",
            dependencies: [
                "EventLog", "EventLogPostgres", "Postgres", "TrainingDomain", "TrainingRecords", "TrainingProjections",
                .product(name: "SwiftCSV", package: "SwiftCSV"),
                // Accounts: bcrypt and TOTP, run on NIO's blocking pool, never on the cooperative threads.
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings),
        // The HTTP layer of `muster serve`: authenticates, maps errors, renders JSON. No rules, no SQL.
        .target(
            name: "TrainingServer",
            dependencies: [
                "TrainingServices", "TrainingDomain", "TrainingRecords", "TrainingProjections", "EventLog", "EventLogPostgres", "CompactJSON",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"), .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("openapi.json"), .copy("Web/Templates"), .copy("Web/Static")],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "TrainingCLI",
            dependencies: [
                "TrainingServices", "TrainingDomain", "TrainingRecords", "TrainingProjections", "EventLog", "EventLogPostgres", "CompactJSON",
                "TrainingServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "SwiftCSV", package: "SwiftCSV"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "MusterBench",
            dependencies: [
                "Postgres", "EventLog", "EventLogPostgres", "TrainingDomain", "TrainingRecords", "TrainingProjections", "TrainingServices",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "EventLogTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "CompactJSONTests", dependencies: ["CompactJSON", "TrainingDomain"], swiftSettings: swiftSettings),
        .testTarget(name: "TrainingDomainTests", dependencies: ["TrainingDomain", "CompactJSON"], swiftSettings: swiftSettings),
        .testTarget(name: "TrainingRecordsTests", dependencies: ["TrainingRecords", "TrainingDomain", "EventLog"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TrainingProjectionsTests",
            dependencies: [
                "TrainingProjections", "TrainingServices", "TrainingDomain", "TrainingRecords", "EventLog", "EventLogPostgres", "EventLogTesting",
                "Postgres",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrainingServicesTests",
            dependencies: [
                "TrainingServices", "TrainingDomain", "TrainingRecords", "TrainingProjections", "EventLog", "EventLogPostgres", "EventLogTesting",
                "Postgres",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "EventLogTests", dependencies: ["EventLog", "EventLogTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "EventLogPostgresTests",
            dependencies: ["EventLog", "EventLogPostgres", "EventLogTesting", "Postgres"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrainingServerTests",
            dependencies: [
                "TrainingServer", "TrainingServices", "TrainingDomain", "TrainingRecords", "TrainingProjections", "EventLog", "EventLogPostgres",
                "EventLogTesting", "Postgres", .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrainingCLITests",
            dependencies: ["TrainingCLI", "EventLogTesting", "EventLogPostgres", "EventLog", "Postgres"],
            swiftSettings: swiftSettings
        ),
    ]
)
