import EventLog
public import EventLogPostgres
public import Foundation
public import Postgres

/// A fresh database for one test, cloned from a migrated template so tests run in parallel.
///
/// The server comes from `MUSTER_DATABASE_URL`, else libpq's `PG*` variables (which
/// `scripts/test` sets for the private cluster). With no server, the test fails loudly:
/// a skipped database test is a failure, not a pass.
public struct TestDatabase: Sendable {
    public let name: String
    public let configuration: PostgresConfiguration

    /// The agency a test's own connections act for (the CLI's and server's default too).
    public static let defaultAgency = "pasadena"

    static let templateName = ProcessInfo.processInfo.environment["MUSTER_TEST_TEMPLATE"] ?? "muster_test_template"

    /// The server's administrative connection (database `postgres`).
    public static var adminConfiguration: PostgresConfiguration {
        PostgresConfiguration.fromEnvironment(ProcessInfo.processInfo.environment).database("postgres")
    }

    /// The repository's `schema/` folder, found from this source file.
    public static var schemaDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("schema")
    }

    /// Creates a database (migrated unless `migrated` is false), runs `body`, then drops it.
    public static func with<T: Sendable>(
        migrated: Bool = true, _ body: (TestDatabase) async throws -> T
    ) async throws -> T {
        let database = try await create(migrated: migrated)
        do {
            let value = try await body(database)
            try await database.drop()
            return value
        } catch {
            try? await database.drop()
            throw error
        }
    }

    public static func create(migrated: Bool = true) async throws -> TestDatabase {
        if migrated { try await TemplateGate.shared.ready() }
        let name = "muster_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let admin = try await connectAdmin()
        defer { Task { await admin.close() } }
        let template = migrated ? " TEMPLATE \(templateName)" : ""
        try await createDatabase(admin, sql: "CREATE DATABASE \(name)\(template)")
        var configuration = adminConfiguration.database(String(name))
        // The log stamps every event with the agency its session acts for (schema/0009).
        configuration.options = "-c muster.agency=\(defaultAgency)"
        return TestDatabase(name: String(name), configuration: configuration)
    }

    /// `CREATE DATABASE` from a template fails while anything else copies the same template;
    /// retry a few times.
    static func createDatabase(_ admin: PostgresClient, sql: String) async throws {
        var attempt = 0
        while true {
            do {
                try await admin.execute(PostgresQuery(unsafeSQL: sql))
                return
            } catch let error as PostgresError where error.sqlState == "55006" && attempt < 50 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(20 * attempt))
            }
        }
    }

    public func drop() async throws {
        let admin = try await Self.connectAdmin()
        try await admin.execute(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        await admin.close()
    }

    public func client() async throws -> PostgresClient {
        try await PostgresClient.connect(configuration)
    }

    public func store(pollInterval: Duration = .milliseconds(200)) async throws -> PostgresEventStore {
        try await PostgresEventStore.connect(configuration, pollInterval: pollInterval)
    }

    /// The environment for a child process (e.g. `muster`) working on this database.
    public var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        // The developer's own acting user must not leak into tests.
        environment.removeValue(forKey: "MUSTER_USER")
        environment.removeValue(forKey: "MUSTER_ROLE")
        // Nor the developer's replica: reads go to this test's database.
        environment.removeValue(forKey: "MUSTER_READ_URL")
        environment["PGDATABASE"] = name
        if let url = environment["MUSTER_DATABASE_URL"], !url.isEmpty {
            environment["MUSTER_DATABASE_URL"] = Self.replacingDatabase(in: url, with: name)
        }
        return environment
    }

    static func replacingDatabase(in url: String, with name: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + name
        return components.string ?? url
    }

    static func connectAdmin() async throws -> PostgresClient {
        do {
            return try await PostgresClient.connect(adminConfiguration)
        } catch let error as PostgresError {
            throw PostgresError(
                code: error.code,
                message: "no PostgreSQL for the tests (\(error.message)). Run the tests with scripts/test, "
                    + "or start scripts/db start and eval \"$(scripts/db env)\"")
        }
    }
}

/// Migrates the template database once per test process.
actor TemplateGate {
    static let shared = TemplateGate()
    private var task: Task<Void, any Error>?

    func ready() async throws {
        if task == nil {
            task = Task { try await Self.prepare() }
        }
        try await task!.value
    }

    static func prepare() async throws {
        let admin = try await TestDatabase.connectAdmin()
        let exists = try await admin.rows("SELECT 1 FROM pg_database WHERE datname = \(TestDatabase.templateName)") { _, _ in 1 }
        if exists.isEmpty {
            try await admin.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(TestDatabase.templateName)"))
        }
        await admin.close()
        let client = try await PostgresClient.connect(TestDatabase.adminConfiguration.database(TestDatabase.templateName))
        _ = try await Migrator(directory: TestDatabase.schemaDirectory).migrate(client)
        await client.close()
    }
}
