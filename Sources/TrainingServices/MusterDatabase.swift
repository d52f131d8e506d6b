public import EventLog
public import EventLogPostgres
public import Foundation
import Postgres
public import TrainingDomain
public import TrainingProjections
public import TrainingRecords

/// The one place the executables get a database from: configuration, migrations, the event
/// store, the services, the read models and the audit. The CLI and server never touch
/// `Postgres` directly, and everything opened here is closed by the helper that opened it, on
/// every path.
public struct MusterDatabase: Sendable {
    let configuration: PostgresConfiguration
    /// The hot standby reads go to, if any (see `MusterDatabase+Replica.swift`).
    let readConfiguration: PostgresConfiguration?
    /// When reads leave the replica for the primary, and where that is logged.
    public var replicaPolicy = ReplicaPolicy()
    /// The clock every service opened here uses.
    public let clock: WallClock
    /// The agency every service opened here acts for (see ``sessionConfiguration``).
    public private(set) var agency: AgencyID

    /// - Parameters:
    ///   - url: a libpq URL or conninfo; `nil` means `MUSTER_DATABASE_URL`, else libpq's `PG*`
    ///     variables.
    ///   - readURL: a hot standby of that server for reads; `nil` means `MUSTER_READ_URL`, and
    ///     none when that is unset or empty.
    ///   - agency: the agency the services act for; `nil` means `MUSTER_AGENCY`, else `pasadena`.
    public init(
        url: String? = nil, readURL: String? = nil, clock: WallClock = .system, agency: AgencyID? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.agency = agency ?? AgencyID(environment["MUSTER_AGENCY"].flatMap { $0.isEmpty ? nil : $0 } ?? "pasadena")
        if let url, !url.isEmpty {
            configuration = PostgresConfiguration(conninfo: url)
        } else {
            configuration = PostgresConfiguration.fromEnvironment(environment)
        }
        readConfiguration = Self.replicaConfiguration(readURL ?? environment["MUSTER_READ_URL"])
        self.clock = clock
    }

    /// The same database, its services acting for `agency`.
    public func acting(for agency: AgencyID) -> MusterDatabase {
        var copy = self
        copy.agency = agency
        return copy
    }

    /// Where the database is, with any password hidden.
    public var displayName: String { configuration.description }

    public func migrator(schemaDirectory: String?) throws -> Migrator {
        let directory = schemaDirectory.map { URL(fileURLWithPath: $0) } ?? Migrator.locateSchemaDirectory()
        guard let directory else {
            throw EventLogError(
                code: .migrationFailed,
                message: "cannot find the schema/ folder; run from the project folder, pass --schema DIR or set MUSTER_SCHEMA_DIR")
        }
        return try Migrator(directory: directory)
    }

    public func migrate(schemaDirectory: String? = nil) async throws -> Migrator.Report {
        let migrator = try migrator(schemaDirectory: schemaDirectory)
        return try await withClient { try await migrator.migrate($0) }
    }

    public func migrationStatus(schemaDirectory: String? = nil) async throws -> [Migrator.Status] {
        let migrator = try migrator(schemaDirectory: schemaDirectory)
        return try await withClient { try await migrator.status($0) }
    }

    public func verifyAudit(verifyingKey: SealVerifyingKey? = nil, expectedSeal: [UInt8]? = nil) async throws -> Audit.Report {
        try await withClient { try await Audit(client: $0).verify(verifyingKey: verifyingKey, expectedSeal: expectedSeal) }
    }

    /// Writes the verifiable export (`docs/HASH-CHAIN.md`) to `path`. Returns the number of events.
    public func exportAudit(to path: String) async throws -> Int {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw EventLogError(code: .storageUnavailable, message: "cannot write \(path); check the folder and its permissions")
        }
        defer { try? handle.close() }
        let output = UncheckedHandle(handle)
        return try await withClient { try await Audit(client: $0).export { line in output.handle.write(Data((line + "\n").utf8)) } }
    }

    public func seal(signingKey: SealSigningKey? = nil) async throws -> Audit.SealSummary {
        try await withClient { try await Audit(client: $0).seal(signingKey: signingKey) }
    }

    /// The newest seal, if any.
    public func latestSeal() async throws -> Audit.LatestSeal? {
        try await withClient { try await Audit(client: $0).latestSeal() }
    }

    // MARK: - Scoped access

    /// Opens a resource, runs `body` with it and closes it, whatever happens: the one place
    /// everything opened here is closed.
    func using<Resource, T: Sendable>(
        _ open: () async throws -> Resource, close: (Resource) async -> Void, _ body: (Resource) async throws -> T
    ) async throws -> T {
        let resource = try await open()
        do {
            let value = try await body(resource)
            await close(resource)
            return value
        } catch {
            await close(resource)
            throw error
        }
    }

    /// Runs `body` with a connection of the system's own (migrations, audits, seals, the
    /// projector, rebuilds, backups): the login's own privileges, no agency.
    func withClient<T: Sendable>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        try await using({ try await PostgresClient.connectForEventLog(configuration) }, close: { await $0.close() }, body)
    }

    /// Runs `body` with a connection acting for ``agency`` (``sessionConfiguration``).
    func withSessionClient<T: Sendable>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        let session = try sessionConfiguration()
        return try await using({ try await PostgresClient.connectForEventLog(session) }, close: { await $0.close() }, body)
    }

    /// Runs `body` with the event store, acting for ``agency``.
    public func withStore<T: Sendable>(_ body: (PostgresEventStore) async throws -> T) async throws -> T {
        let session = try sessionConfiguration()
        return try await using({ try await PostgresEventStore.connect(session) }, close: { await $0.close() }, body)
    }

    /// Runs `body` with the whole log's event store (the projector's).
    func withSystemStore<T: Sendable>(_ body: (PostgresEventStore) async throws -> T) async throws -> T {
        try await using({ try await PostgresEventStore.connect(configuration) }, close: { await $0.close() }, body)
    }

    /// Runs `body` with the services, acting for `agency` (default: ``agency``).
    public func withServices<T: Sendable>(agency: String? = nil, _ body: (Services) async throws -> T) async throws -> T {
        let database = agency.map { acting(for: AgencyID($0)) } ?? self
        return try await database.withStore { store in
            try await body(
                Services(
                    store: store, training: TrainingService(store: store, agency: database.agency, clock: clock), replay: Replay(store: store)))
        }
    }

    /// Runs `body` with command staff's questions, answered from the read models (on the
    /// replica when there is one fit to answer; see ``withReadModels(consistency:_:)``).
    public func withReadModels<T: Sendable>(_ body: (ReadModelQueries) async throws -> T) async throws -> T {
        try await withReadModels(consistency: nil, body)
    }

    /// Runs `body` with the projection runner on its own connection.
    public func withProjectionRunner<T: Sendable>(_ body: (ProjectionRunner) async throws -> T) async throws -> T {
        try await withClient { try await body(ProjectionRunner(client: $0, clock: clock)) }
    }

    /// Applies new events to the read models until cancelled: caught up first, then woken by
    /// each NOTIFY (polling as a fallback), on the primary. `applied` hears each batch's count.
    public func followProjections(batch: Int = 1000, caughtUp: () -> Void = {}, applied: (Int) -> Void = { _ in }) async throws {
        try await withProjectionRunner { runner in
            let first = try await runner.runUntilCaughtUp(batch: batch)
            if first > 0 { applied(first) }
            caughtUp()
            // Woken from the runner's own checkpoint (read on the primary): a restart reads nothing twice.
            let checkpoint = try await withClient { try await ReadModelQueries(client: $0).checkpoint() }
            try await withSystemStore { store in
                for try await _ in store.subscribe(after: checkpoint) {
                    let count = try await runner.runUntilCaughtUp(batch: batch)
                    if count > 0 { applied(count) }
                }
            }
        }
    }
}

/// The services one command needs, on one store.
public struct Services: Sendable {
    public let store: PostgresEventStore
    public let training: TrainingService
    public let replay: Replay

    /// Today, by the clock the services use.
    public var today: Day { training.clock.today }

    /// Resolves the acting user: `name`, else `MUSTER_USER`.
    public func actor(_ name: String?, environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> Actor {
        guard let name = name ?? environment["MUSTER_USER"], !name.isEmpty else {
            throw DomainError(.notAuthorized, "say who is acting: --as NAME or MUSTER_USER (add users with `muster user add`)")
        }
        return try await training.resolve(OfficerID(name))
    }
}

/// A file handle written from the connection's thread while the caller waits.
final class UncheckedHandle: @unchecked Sendable {
    let handle: FileHandle
    init(_ handle: FileHandle) { self.handle = handle }
}
