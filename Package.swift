// swift-tools-version:6.0
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
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
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
        .target(
            name: "TrainingProjections", dependencies: ["EventLog", "EventLogPostgres", "Postgres", "TrainingDomain"],
            swiftSettings: swiftSettings),
        .target(
            name: "TrainingServices", dependencies: ["EventLog", "EventLogPostgres", "TrainingDomain", "TrainingProjections"],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "TrainingCLI",
            dependencies: ["TrainingServices", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "MusterBench",
            dependencies: ["Postgres", "EventLog", "EventLogPostgres", "TrainingDomain", "TrainingProjections", "TrainingServices"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "EventLogTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "CompactJSONTests", dependencies: ["CompactJSON"], swiftSettings: swiftSettings),
        .testTarget(name: "TrainingDomainTests", dependencies: ["TrainingDomain", "CompactJSON"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TrainingProjectionsTests",
            dependencies: ["TrainingProjections", "TrainingServices", "TrainingDomain", "EventLog", "EventLogPostgres", "EventLogTesting", "Postgres"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrainingServicesTests",
            dependencies: ["TrainingServices", "TrainingDomain", "EventLog", "EventLogPostgres", "EventLogTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "EventLogTests", dependencies: ["EventLog", "EventLogTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "EventLogPostgresTests",
            dependencies: ["EventLog", "EventLogPostgres", "EventLogTesting", "Postgres"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrainingCLITests",
            dependencies: ["TrainingCLI", "EventLogTesting", "Postgres"],
            swiftSettings: swiftSettings
        ),
    ]
)
