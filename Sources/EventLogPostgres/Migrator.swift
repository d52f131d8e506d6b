import EventLog
public import Foundation
public import Postgres

/// Applies `schema/NNNN_name.sql` files in order, each in its own transaction, and records
/// them in `public.schema_migrations` with a SHA-256 checksum.
///
/// Forward-only: an event log is never rolled back. Running it twice is a no-op; an applied
/// file that has since been edited is refused, since the database no longer matches it.
public struct Migrator: Sendable {
    public struct Migration: Sendable, Hashable {
        public var version: Int
        public var name: String
        public var sql: String
        public var checksum: String

        public init(version: Int, name: String, sql: String, checksum: String) {
            self.version = version
            self.name = name
            self.sql = sql
            self.checksum = checksum
        }
    }

    public struct Report: Sendable, Codable, Hashable {
        public var applied: [String]
        public var alreadyApplied: [String]
    }

    public struct Status: Sendable, Codable, Hashable {
        public var name: String
        public var appliedAt: Date?
    }

    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations
    }

    /// Reads every `NNNN_name.sql` in `directory`.
    public init(directory: URL) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw EventLogError(
                code: .migrationFailed,
                message: "cannot read the schema folder \(directory.path); pass --schema DIR or set MUSTER_SCHEMA_DIR")
        }
        var migrations: [Migration] = []
        for name in names.sorted() where name.hasSuffix(".sql") {
            guard let version = Int(name.prefix { $0.isNumber }), name.first?.isNumber == true else {
                throw EventLogError(code: .migrationFailed, message: "schema file \(name) must be named NNNN_description.sql")
            }
            guard !migrations.contains(where: { $0.version == version }) else {
                throw EventLogError(code: .migrationFailed, message: "two schema files share number \(version)")
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            migrations.append(
                Migration(version: version, name: name, sql: sql, checksum: HexBytes.encode(EventHash.sha256(Array(sql.utf8)))))
        }
        guard !migrations.isEmpty else {
            throw EventLogError(code: .migrationFailed, message: "no NNNN_*.sql files in \(directory.path)")
        }
        self.init(migrations: migrations)
    }

    /// Finds `schema/`: `MUSTER_SCHEMA_DIR`, then `./schema`, then beside or above the executable.
    public static func locateSchemaDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let explicit = environment["MUSTER_SCHEMA_DIR"] { return URL(fileURLWithPath: explicit) }
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("schema")]
        var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(directory.appendingPathComponent("schema"))
            directory.deleteLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("0001_event_log.sql").path) }
    }

    public func migrate(_ client: PostgresClient) async throws -> Report {
        let migrations = migrations
        return try await withEventLogErrors {
            try await client.withConnection { connection in
                try Self.ensureTable(connection)
                // One migrator at a time, across processes.
                try connection.query("SELECT pg_advisory_lock(hashtext('muster.migrate'))")
                defer { _ = try? connection.query("SELECT pg_advisory_unlock(hashtext('muster.migrate'))") }
                let applied = try Self.applied(connection)
                try Self.checkUnchanged(migrations, applied: applied)
                var report = Report(applied: [], alreadyApplied: [])
                for migration in migrations {
                    if applied[migration.version] != nil {
                        report.alreadyApplied.append(migration.name)
                        continue
                    }
                    do {
                        try connection.transaction { connection in
                            try connection.simpleQuery(migration.sql)
                            try connection.query(
                                """
                                INSERT INTO public.schema_migrations (version, name, checksum)
                                VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                                """)
                        }
                    } catch let error as PostgresError {
                        throw EventLogError(
                            code: .migrationFailed,
                            message: "migration \(migration.name) failed and was rolled back: \(error.message)", cause: error)
                    }
                    report.applied.append(migration.name)
                }
                return report
            }
        }
    }

    /// Each known migration with the time it was applied, if it was.
    public func status(_ client: PostgresClient) async throws -> [Status] {
        let migrations = migrations
        return try await withEventLogErrors {
            try await client.withConnection { connection in
                try Self.ensureTable(connection)
                let applied = try Self.applied(connection)
                try Self.checkUnchanged(migrations, applied: applied)
                return migrations.map { Status(name: $0.name, appliedAt: applied[$0.version]?.appliedAt) }
            }
        }
    }

    static func ensureTable(_ connection: PostgresConnection) throws {
        try connection.simpleQuery(
            """
            CREATE TABLE IF NOT EXISTS public.schema_migrations (
                version    integer     NOT NULL CONSTRAINT schema_migrations_pkey PRIMARY KEY,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
    }

    static func applied(_ connection: PostgresConnection) throws -> [Int: (name: String, checksum: String, appliedAt: Date)] {
        let rows = try connection.query("SELECT version, name, checksum, applied_at FROM public.schema_migrations")
        var applied: [Int: (name: String, checksum: String, appliedAt: Date)] = [:]
        for row in 0..<rows.count {
            applied[try rows.decode(Int.self, row: row, column: 0)] = (
                try rows.decode(String.self, row: row, column: 1),
                try rows.decode(String.self, row: row, column: 2),
                try rows.decode(Date.self, row: row, column: 3)
            )
        }
        return applied
    }

    static func checkUnchanged(_ migrations: [Migration], applied: [Int: (name: String, checksum: String, appliedAt: Date)]) throws {
        for migration in migrations {
            guard let record = applied[migration.version], record.checksum != migration.checksum else { continue }
            throw EventLogError(
                code: .migrationEdited,
                message: "\(migration.name) was edited after it was applied on \(record.appliedAt.formatted(.iso8601)) "
                    + "(checksum \(record.checksum.prefix(12))… is now \(migration.checksum.prefix(12))…). "
                    + "Migrations are forward-only: restore the original file and put the change in a new migration")
        }
        let known = Set(migrations.map(\.version))
        if let unknown = applied.keys.sorted().first(where: { !known.contains($0) }) {
            throw EventLogError(
                code: .migrationFailed,
                message: "the database has migration \(applied[unknown]!.name), which this build does not know; use a newer muster")
        }
    }
}
