import EventLog
import EventLogPostgres
import EventLogTesting
import Foundation
import Postgres
import Testing

/// The database decides what a client must not, tried as an attacker who holds a login role in
/// `muster_app` would try it, and as a superuser with triggers off.
@Suite struct TrustTests {
    /// A login role granted `muster_app`, as production gives the application, for one test.
    static func withApplicationLogin(_ database: TestDatabase, _ body: (PostgresClient, PostgresConfiguration) async throws -> Void) async throws {
        let role = "app_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let admin = try await PostgresClient.connect(TestDatabase.adminConfiguration)
        try await admin.execute(PostgresQuery(unsafeSQL: "CREATE ROLE \(role) LOGIN IN ROLE muster_app"))
        let login = PostgresConfiguration(conninfo: "user=\(role)", database: database.name, options: "-c muster.agency=pasadena")
        do {
            let client = try await PostgresClient.connect(login)
            try await body(client, login)
            await client.close()
        } catch {
            _ = try? await admin.execute(PostgresQuery(unsafeSQL: "DROP OWNED BY \(role); DROP ROLE IF EXISTS \(role)"))
            await admin.close()
            throw error
        }
        try await database.drop()
        try await admin.execute(PostgresQuery(unsafeSQL: "DROP ROLE IF EXISTS \(role)"))
        await admin.close()
    }

    static let writerInsert = """
        INSERT INTO muster.events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata, occurred_at
        """

    @Test(
        "the application's login cannot choose a hash, backdate, pick a transaction or a position",
        arguments: [
            ("hash, prev_hash", "sha256('forged'), sha256('previous')"), ("recorded_at", "now() - interval '200 days'"),
            ("xact_id", "'999999999999'::xid8"), ("global_position", "1"),
        ])
    func columnsTheDatabaseSets(columns: String, values: String) async throws {
        let database = try await TestDatabase.create()
        try await Self.withApplicationLogin(database) { client, _ in
            let error = await #expect(throws: PostgresError.self) {
                try await client.execute(
                    PostgresQuery(
                        unsafeSQL: """
                            \(Self.writerInsert), \(columns))
                            VALUES ('trainee-x', 1, gen_random_uuid(), 'course.v1', 1, '{}', '{"actor_id":"chief.perez","actor_role":"chief"}',
                                    now() - interval '200 days', \(values))
                            """))
            }
            #expect(error?.sqlState == SQLState.insufficientPrivilege, "\(error?.message ?? "")")
            let count = try await client.rows("SELECT count(*) FROM muster.events") { rows, row in try rows.decode(Int.self, row: row, column: 0) }
            #expect(count == [0])
        }
    }

    @Test("UPDATE, DELETE and TRUNCATE are refused to the application's login")
    func noRewrites() async throws {
        let database = try await TestDatabase.create()
        try await Self.withApplicationLogin(database) { client, _ in
            try await client.execute(
                PostgresQuery(
                    unsafeSQL: """
                        \(Self.writerInsert)) VALUES ('trainee-x', 1, gen_random_uuid(), 'c.v1', 1, '{}', '{"actor_id":"a","actor_role":"fto"}', now())
                        """))
            for statement in ["UPDATE muster.events SET data = '{}'", "DELETE FROM muster.events", "TRUNCATE muster.events"] {
                let error = await #expect(throws: PostgresError.self) { try await client.execute(PostgresQuery(unsafeSQL: statement)) }
                #expect(error?.sqlState == SQLState.insufficientPrivilege, "\(statement): \(error?.message ?? "")")
            }
            let cannotDisable = await #expect(throws: PostgresError.self) {
                try await client.execute("ALTER TABLE muster.events DISABLE TRIGGER events_stamp")
            }
            #expect(cannotDisable?.sqlState == SQLState.insufficientPrivilege)
            let cannotReplicate = await #expect(throws: PostgresError.self) { try await client.execute("SET session_replication_role = replica") }
            #expect(cannotReplicate?.sqlState == SQLState.insufficientPrivilege)
        }
    }

    @Test("whatever a client sends, the database stamps position, transaction, recorded time and chain; the chain verifies")
    func stampedByTheDatabase() async throws {
        try await TestDatabase.with { database in
            let client = try await database.client()
            // A superuser with triggers on: the chosen values are overwritten.
            try await client.execute(
                """
                INSERT INTO muster.events (global_position, stream_id, stream_version, event_id, event_type, schema_version, data, metadata,
                                           occurred_at, recorded_at, xact_id, prev_hash, hash)
                VALUES (424242, 'trainee-x', 1, gen_random_uuid(), 'c.v1', 1, '{"n": 1}', '{"actor_id":"a","actor_role":"fto"}',
                        now() - interval '200 days', now() - interval '200 days', '999999999999'::xid8, sha256('p'), sha256('h'))
                """)
            let (position, backdated, future, format) = try await client.withConnection {
                try $0.query(
                    """
                    SELECT global_position, recorded_at < now() - interval '1 day', xact_id > '999999999'::xid8, hash_format
                    FROM muster.events
                    """
                ).decodeRow(0, as: Int64.self, Bool.self, Bool.self, Int.self)
            }
            #expect(position != 424242)
            #expect(!backdated)
            #expect(!future)
            #expect(format == 3)
            let report = try await Audit(client: client).verify()
            #expect(report.ok, "\(report.findings)")
            // Versions go in order, each after the one before.
            let gap = await #expect(throws: PostgresError.self) {
                try await client.execute(
                    """
                    INSERT INTO muster.events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata, occurred_at)
                    VALUES ('trainee-x', 3, gen_random_uuid(), 'c.v1', 1, '{}', '{"actor_id":"a","actor_role":"fto"}', now())
                    """)
            }
            #expect(gap?.sqlState == "MU002")
            #expect(gap?.message.contains("version 2 is not in the log") == true)
            await client.close()
        }
    }

    @Test("a store connected as the application's login appends through the stamp and reads back")
    func storeAsApplication() async throws {
        let database = try await TestDatabase.create()
        try await Self.withApplicationLogin(database) { _, login in
            let store = try await PostgresEventStore.connect(login)
            let stream = Fixtures.stream()
            _ = try await store.append([Fixtures.event()], to: stream, expectedVersion: .noStream)
            _ = try await store.append(Fixtures.events(3), to: stream, expectedVersion: .exact(1))
            #expect(try await store.readStream(stream).map(\.version) == [1, 2, 3, 4])
            await store.close()
        }
    }
}
