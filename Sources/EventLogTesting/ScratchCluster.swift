import Dispatch
public import Foundation
public import Postgres

/// A PostgreSQL cluster of a test's own (under a temporary folder, on its own port), started and
/// stopped with `scripts/db`: for tests that kill the server, or restore into another cluster.
public struct ScratchCluster: Sendable {
    public let home: URL
    public let port: Int

    static var script: String {
        TestDatabase.schemaDirectory.deletingLastPathComponent().appendingPathComponent("scripts/db").path
    }

    /// Creates and starts a new cluster.
    public static func start(_ name: String) throws -> ScratchCluster {
        let cluster = ScratchCluster(
            home: URL(fileURLWithPath: "/tmp/muster-\(name)-\(UUID().uuidString.prefix(8).lowercased())"), port: Int.random(in: 55_100...55_900))
        try cluster.run("start")
        return cluster
    }

    /// The administrative database of this cluster.
    public var configuration: PostgresConfiguration {
        PostgresConfiguration(
            conninfo: "postgresql://postgres@/postgres?host=\(home.path)/run&port=\(port)", options: "-c muster.agency=\(TestDatabase.defaultAgency)")
    }

    public func database(_ name: String) -> PostgresConfiguration { configuration.database(name) }

    /// A URL for a database of this cluster (for `muster --database-url`).
    public func url(_ database: String) -> String { "postgresql://postgres@/\(database)?host=\(home.path)/run&port=\(port)" }

    /// `scripts/db start|stop|crash` (or `replica start --sync` …) for this cluster.
    public func run(_ arguments: String...) throws {
        try run(arguments)
    }

    func run(_ arguments: [String]) throws {
        let action = arguments.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.script] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["MUSTER_PG_HOME"] = home.path
        environment["MUSTER_PG_PORT"] = String(port)
        environment.removeValue(forKey: "MUSTER_DATABASE_URL")
        environment.removeValue(forKey: "MUSTER_REPLICA_PORT")
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PostgresError(code: .connectionFailed, message: "scripts/db \(action) failed for \(home.path): \(text)")
        }
    }

    /// `run` off Swift's cooperative threads (it waits for `pg_ctl`).
    public func perform(_ arguments: String...) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async { continuation.resume(with: Result { try run(arguments) }) }
        }
    }

    /// Its hot standby (`scripts/db replica start`), on the next port, same socket folder.
    public var replicaConfiguration: PostgresConfiguration {
        PostgresConfiguration(
            conninfo: "postgresql://postgres@/postgres?host=\(home.path)/run&port=\(port + 1)",
            options: "-c muster.agency=\(TestDatabase.defaultAgency)")
    }

    /// A URL for a database of its hot standby.
    public func replicaURL(_ database: String) -> String { "postgresql://postgres@/\(database)?host=\(home.path)/run&port=\(port + 1)" }

    /// Stops the cluster (and its standby, if it has one) and removes its files.
    public func remove() {
        if FileManager.default.fileExists(atPath: home.appendingPathComponent("replica").path) { try? run("replica", "stop") }
        try? run("stop")
        try? FileManager.default.removeItem(at: home)
    }
}
