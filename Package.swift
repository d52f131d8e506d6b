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
        // RFC 4180 CSV for ratings files and paper backfills.
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
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
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "TrainingCLI",
            dependencies: [
                "TrainingServices", "TrainingDomain", "TrainingRecords", "TrainingProjections", "EventLog", "EventLogPostgres", "CompactJSON",
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
            name: "TrainingCLITests",
            dependencies: ["TrainingCLI", "EventLogTesting", "EventLogPostgres", "EventLog", "Postgres"],
            swiftSettings: swiftSettings
        ),
    ]
)
