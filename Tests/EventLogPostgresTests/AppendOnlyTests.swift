import EventLog
import EventLogPostgres
import EventLogTesting
import Postgres
import Testing

/// The database itself refuses to change history.
@Suite struct AppendOnlyTests {
    @Test(
        "UPDATE, DELETE and TRUNCATE on the log are refused by the trigger, even for the owner",
        arguments: [
            "UPDATE muster.events SET data = '{}'", "DELETE FROM muster.events", "TRUNCATE muster.events",
            "UPDATE muster.seals SET stream_count = 0", "DELETE FROM muster.seal_heads",
        ])
    func triggerRefuses(statement: String) async throws {
        try await TestDatabase.with { database in
            let store = try await database.store()
            let stream = Fixtures.stream()
            _ = try await store.append(Fixtures.events(2), to: stream, expectedVersion: .noStream)
            _ = try await Audit(client: database.client()).seal()
            let client = try await database.client()
            let error = await #expect(throws: PostgresError.self) { try await client.execute(PostgresQuery(unsafeSQL: statement)) }
            #expect(error?.sqlState == SQLState.appendOnlyViolation)
            #expect(error?.message.contains("append-only") == true)
            #expect(error?.eventLogError().code == .appendOnlyViolation)
            #expect(try await store.readStream(stream).count == 2)
            await client.close()
            await store.close()
        }
    }

    @Test(
        "the application's role may only insert and read; the reporting role only read",
        arguments: [
            ("muster_app", "UPDATE muster.events SET data = '{}'", false), ("muster_app", "DELETE FROM muster.events", false),
            ("muster_app", "TRUNCATE muster.events", false), ("muster_app", "SELECT count(*) FROM muster.events", true),
            ("muster_reader", "SELECT count(*) FROM muster.events", true),
            (
                "muster_reader",
                "INSERT INTO muster.seals (sealed_at, snapshot, stream_count, event_count, heads_digest, prev_seal_hash, seal_hash) VALUES (now(), '1:1:', 0, 0, '', '', '')",
                false
            ),
        ])
    func privileges(role: String, statement: String, allowed: Bool) async throws {
        try await TestDatabase.with { database in
            let client = try await database.client()
            try await client.execute(PostgresQuery(unsafeSQL: "SET ROLE \(role)"))
            if allowed {
                try await client.execute(PostgresQuery(unsafeSQL: statement))
            } else {
                let error = await #expect(throws: PostgresError.self) { try await client.execute(PostgresQuery(unsafeSQL: statement)) }
                #expect(error?.sqlState == SQLState.insufficientPrivilege)
            }
            await client.close()
        }
    }

    @Test("a store connected as the application's role appends and reads, and cannot rewrite")
    func applicationRoleCanAppend() async throws {
        try await TestDatabase.with { database in
            var configuration = database.configuration
            configuration.options = "-c role=muster_app -c muster.agency=pasadena"
            let store = try await PostgresEventStore.connect(configuration)
            let stream = Fixtures.stream()
            _ = try await store.append([Fixtures.event()], to: stream, expectedVersion: .noStream)
            _ = try await store.append(Fixtures.events(3), to: stream, expectedVersion: .exact(1))
            #expect(try await store.readStream(stream).count == 4)
            let client = try await PostgresClient.connect(configuration)
            let error = await #expect(throws: PostgresError.self) { try await client.execute("DELETE FROM muster.events") }
            #expect(error?.sqlState == SQLState.insufficientPrivilege)
            await client.close()
            await store.close()
        }
    }
}
