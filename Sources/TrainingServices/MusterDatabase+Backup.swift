import EventLog
import EventLogPostgres
import Foundation
import Postgres

/// Backups with PostgreSQL's own tools (`pg_dump`, `pg_restore` from Debian's
/// postgresql-client), and restores that read exactly as before: the first connection after a
/// restore into another cluster starts a new transaction-id epoch (`muster.ensure_log_epoch()`).
extension MusterDatabase {
    public struct BackupSummary: Sendable, Codable {
        public var file: String
        public var bytes: Int
    }

    public struct RestoreSummary: Sendable, Codable {
        public var events: Int
        /// The log's transaction-id epoch after the restore (greater than 1 when the database
        /// came from another cluster).
        public var epoch: Int
    }

    /// Writes the whole database to `path` in pg_dump's custom format.
    public func backup(to path: String) async throws -> BackupSummary {
        try await withClient { client in try await client.withConnection { try PostgresEventStore.prepareLog(on: $0, configuration: configuration) } }
        try Self.run("pg_dump", ["--format=custom", "--no-owner", "--file=\(path)", "--dbname=\(configuration.connectionString)"])
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return BackupSummary(file: path, bytes: size)
    }

    /// Restores a backup into this (empty) database, then makes it read as it did.
    ///
    /// - Throws: when the database already holds a Muster log (a restore never merges).
    public func restore(from path: String) async throws -> RestoreSummary {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw EventLogError(code: .migrationFailed, message: "cannot read the backup \(path); give the file `muster db backup` wrote")
        }
        try await withClient { client in
            let (hasLog, _) = try await client.withConnection {
                try $0.query("SELECT to_regclass('muster.events') IS NOT NULL, 1").decodeRow(0, as: Bool.self, Int.self)
            }
            guard !hasLog else {
                throw EventLogError(
                    code: .migrationFailed,
                    message: "\(displayName) already holds a Muster log; restore into an empty database (createdb a new one), never over a log")
            }
            // The roles the dump grants to live in the cluster, not the database.
            try await client.withConnection { try $0.simpleQuery(Self.rolesSQL) }
        }
        try Self.run("pg_restore", ["--exit-on-error", "--no-owner", "--dbname=\(configuration.connectionString)", path])
        return try await withClient { client in
            try await client.withConnection { connection in
                try PostgresEventStore.prepareLog(on: connection, configuration: configuration)
                let (events, epoch) = try connection.query(
                    "SELECT (SELECT count(*) FROM muster.events), (SELECT max(epoch) FROM muster.log_epochs)"
                ).decodeRow(0, as: Int.self, Int.self)
                return RestoreSummary(events: events, epoch: epoch)
            }
        }
    }

    static let rolesSQL = """
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'muster_app') THEN CREATE ROLE muster_app NOLOGIN; END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'muster_reader') THEN CREATE ROLE muster_reader NOLOGIN; END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'muster_state') THEN CREATE ROLE muster_state NOLOGIN; END IF;
        END
        $$
        """

    /// Runs one of PostgreSQL's client tools, reporting its first error line.
    static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw EventLogError(code: .migrationFailed, message: "cannot run \(tool); install postgresql-client (scripts/db start does)")
        }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let line =
                text.split(separator: "\n").first { $0.contains("error") } ?? text.split(separator: "\n").first ?? "exit \(process.terminationStatus)"
            throw EventLogError(code: .migrationFailed, message: "\(tool) failed: \(line)")
        }
    }
}
