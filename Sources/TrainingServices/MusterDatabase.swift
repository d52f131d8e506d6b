import EventLog
public import TrainingDomain
public import TrainingProjections
public import EventLogPostgres
public import Foundation
import Postgres

/// The one place the executables get a database from: configuration, migrations, the event
/// store and the audit. The CLI and server never touch `Postgres` directly.
public struct MusterDatabase: Sendable {
    let configuration: PostgresConfiguration

    /// - Parameter url: a libpq URL or conninfo; `nil` means `MUSTER_DATABASE_URL`, else libpq's
    ///   `PG*` variables.
    public init(url: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let url, !url.isEmpty {
            configuration = PostgresConfiguration(conninfo: url)
        } else {
            configuration = PostgresConfiguration.fromEnvironment(environment)
        }
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

    public func openStore() async throws -> PostgresEventStore {
        try await PostgresEventStore.connect(configuration)
    }

    public func verifyAudit() async throws -> Audit.Report {
        try await withClient { try await Audit(client: $0).verify() }
    }

    public func seal() async throws -> Audit.SealSummary {
        try await withClient { try await Audit(client: $0).seal() }
    }

    func withClient<T: Sendable>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        let client: PostgresClient
        do {
            client = try await PostgresClient.connect(configuration)
        } catch let error as PostgresError {
            throw error.eventLogError()
        }
        do {
            let value = try await body(client)
            await client.close()
            return value
        } catch {
            await client.close()
            throw error
        }
    }
}

/// The services one command needs, on one store.
public struct Services: Sendable {
    public let store: PostgresEventStore
    public let training: TrainingService
    public let users: UserDirectory
    public let replay: Replay

    /// Today, by the clock the services use.
    public var today: Day { EntryMapping.day(Date()) }

    /// Resolves the acting user: `name`, else `MUSTER_USER`.
    public func actor(_ name: String?, environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> Actor {
        guard let name = name ?? environment["MUSTER_USER"], !name.isEmpty else {
            throw DomainError(.notAuthorized, "say who is acting: --as NAME or MUSTER_USER (add users with `muster user add`)")
        }
        return try await users.resolve(OfficerID(name))
    }

    public func close() async { await store.close() }
}

extension MusterDatabase {
    /// Opens the store and the services over it for `agency` (default `MUSTER_AGENCY`, else `pasadena`).
    public func services(agency: String? = nil) async throws -> Services {
        let store = try await openStore()
        let agency = AgencyID(agency ?? ProcessInfo.processInfo.environment["MUSTER_AGENCY"] ?? "pasadena")
        return Services(
            store: store, training: TrainingService(store: store, agency: agency), users: UserDirectory(store: store, agency: agency),
            replay: Replay(store: store))
    }
}

extension MusterDatabase {
    /// The projection runner, on its own connection.
    public func projectionRunner() async throws -> ProjectionRunner {
        try await ProjectionRunner.connect(configuration)
    }

    /// Command staff's questions, answered from the read models.
    public func readModels() async throws -> ReadModelQueries {
        try await withClientKeptOpen { ReadModelQueries(client: $0) }
    }

    func withClientKeptOpen<T>(_ make: (PostgresClient) -> T) async throws -> T {
        do {
            return make(try await PostgresClient.connect(configuration))
        } catch let error as PostgresError {
            throw error.eventLogError()
        }
    }
}
