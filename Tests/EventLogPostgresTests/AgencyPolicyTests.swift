import EventLog
import EventLogPostgres
import EventLogTesting
import Foundation
import Postgres
import Testing

/// Agencies isolated by PostgreSQL (schema/0009_agencies.sql), tried as an attacker would: a
/// login in `muster_app` acting for one agency, for another, for none, choosing the agency
/// column or another agency's stream; and a login in the statewide role trying to write.
@Suite struct AgencyPolicyTests {
    /// Logins created for one test: `role` granted in each, all dropped afterwards.
    final class Logins: @unchecked Sendable {
        let database: TestDatabase
        var roles: [String] = []
        init(_ database: TestDatabase) { self.database = database }

        /// A new login in `group`, connected with `agency` set (none when `nil`).
        func connect(in group: String, agency: String?) async throws -> PostgresClient {
            let role = "login_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            let admin = try await PostgresClient.connect(TestDatabase.adminConfiguration)
            try await admin.execute(PostgresQuery(unsafeSQL: "CREATE ROLE \(role) LOGIN IN ROLE \(group)"))
            await admin.close()
            roles.append(role)
            return try await PostgresClient.connect(
                PostgresConfiguration(conninfo: "user=\(role)", database: database.name, options: agency.map { "-c muster.agency=\($0)" }))
        }

        func dropAll() async throws {
            try await database.drop()
            let admin = try await PostgresClient.connect(TestDatabase.adminConfiguration)
            for role in roles { try await admin.execute(PostgresQuery(unsafeSQL: "DROP ROLE IF EXISTS \(role)")) }
            await admin.close()
        }
    }

    static func insert(_ client: PostgresClient, stream: String, version: Int = 1, type: String = "course.v1", data: String = "{}") async throws {
        try await client.execute(
            """
            INSERT INTO muster.events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata, occurred_at)
            VALUES (\(stream), \(version), \(UUID()), \(type), 1, \(data)::jsonb,
                    '{"actor_id":"sgt.okafor","actor_role":"training_sergeant"}'::jsonb, now())
            """)
    }

    static func count(_ client: PostgresClient, _ sql: PostgresQuery) async throws -> Int {
        try await client.rows(sql) { rows, row in try rows.decode(Int.self, row: row, column: 0) }[0]
    }

    static func agencies(_ client: PostgresClient, _ table: String) async throws -> [String] {
        try await client.rows(PostgresQuery(unsafeSQL: "SELECT DISTINCT agency FROM muster.\(table) ORDER BY 1")) { rows, row in
            try rows.decode(String.self, row: row, column: 0)
        }
    }

    /// Two agencies' events, read-model rows and access-log rows, written as each.
    static func twoAgencies(_ logins: Logins) async throws -> (north: PostgresClient, south: PostgresClient) {
        let north = try await logins.connect(in: "muster_app", agency: "north")
        let south = try await logins.connect(in: "muster_app", agency: "south")
        try await insert(north, stream: "officer-n1")
        try await insert(north, stream: "officer-n1", version: 2)
        try await insert(south, stream: "officer-s1")
        for (client, person) in [(north, "officer-n1"), (south, "officer-s1")] {
            try await client.execute(
                """
                INSERT INTO muster.coursework_currency (person_stream, person_name, course_type, completions, warning_days)
                VALUES (\(person), 'Someone', 'use_of_force', 1, 30)
                """)
            try await client.execute(
                """
                INSERT INTO muster.access_log (reader, reader_role, person, view, address, result, request_id)
                VALUES ('sgt.okafor', 'training_sergeant', \(person), 'history', '127.0.0.1', 'ok', 'r-1')
                """)
        }
        return (north, south)
    }

    @Test("a login of one agency sees only its own events, read-model rows and access log, and the planner uses the agency index")
    func eachSeesItsOwn() async throws {
        let logins = Logins(try await TestDatabase.create())
        let (north, south) = try await Self.twoAgencies(logins)
        for table in ["events", "coursework_currency", "access_log"] {
            #expect(try await Self.agencies(north, table) == ["north"], "\(table)")
            #expect(try await Self.agencies(south, table) == ["south"], "\(table)")
        }
        #expect(try await Self.count(north, "SELECT count(*) FROM muster.events WHERE stream_id = 'officer-s1'") == 0)
        let plan = try await north.rows("EXPLAIN SELECT * FROM muster.events ORDER BY xact_id, global_position LIMIT 100") { rows, row in
            try rows.decode(String.self, row: row, column: 0)
        }.joined(separator: "\n")
        #expect(plan.contains("events_agency_xact_position_idx") && plan.contains("Index Cond"), "\(plan)")
        await north.close()
        await south.close()
        try await logins.dropAll()
    }

    @Test("a login acting for no agency sees nothing and writes nothing: the policies fail closed")
    func unsetSeesNothing() async throws {
        let logins = Logins(try await TestDatabase.create())
        let (north, south) = try await Self.twoAgencies(logins)
        let nobody = try await logins.connect(in: "muster_app", agency: nil)
        for table in ["events", "coursework_currency", "access_log", "accounts", "sessions"] {
            #expect(try await Self.count(nobody, PostgresQuery(unsafeSQL: "SELECT count(*) FROM muster.\(table)")) == 0, "\(table)")
        }
        let error = await #expect(throws: PostgresError.self) { try await Self.insert(nobody, stream: "officer-x1") }
        #expect(error?.sqlState == SQLState.agencyViolation, "\(error?.message ?? "")")
        #expect(error?.message.contains("acts for no agency") == true)
        // An empty setting is no agency either.
        try await nobody.execute("SELECT set_config('muster.agency', '', false)")
        #expect(try await Self.count(nobody, "SELECT count(*) FROM muster.events") == 0)
        await #expect(throws: PostgresError.self) { try await Self.insert(nobody, stream: "officer-x2") }
        await #expect(throws: PostgresError.self) {
            try await nobody.execute(
                "INSERT INTO muster.accounts (user_id, password_hash, enrolled_at, updated_at) VALUES ('x', 'y', now(), now())")
        }
        await nobody.close()
        await north.close()
        await south.close()
        try await logins.dropAll()
    }

    @Test("a login of one agency cannot write into another's: not its streams, not its name, not a hire naming it, not its rows")
    func noCrossAgencyWrites() async throws {
        let logins = Logins(try await TestDatabase.create())
        let (north, south) = try await Self.twoAgencies(logins)
        let superuser = try await logins.database.client()
        let before = try await Self.count(superuser, "SELECT count(*) FROM muster.events")
        // Appending to the other agency's stream.
        var error = await #expect(throws: PostgresError.self) { try await Self.insert(north, stream: "officer-s1", version: 2) }
        #expect(error?.sqlState == SQLState.agencyViolation && error?.message.contains("not a stream of agency north") == true)
        // Starting a stream of the same name.
        error = await #expect(throws: PostgresError.self) { try await Self.insert(north, stream: "officer-s1") }
        #expect(error?.message.contains("taken by another agency") == true, "\(error?.message ?? "")")
        // A hire naming the other agency.
        error = await #expect(throws: PostgresError.self) {
            try await Self.insert(
                north, stream: "trainee-t9", type: "hiring.recruit-hired.v1",
                data: #"{"trainee":"t9","name":"X","badge":"B-9","hireDate":"2026-01-05","agency":"south"}"#)
        }
        #expect(error?.message.contains("the hire names agency south") == true, "\(error?.message ?? "")")
        // Choosing the agency column: not granted.
        error = await #expect(throws: PostgresError.self) {
            try await north.execute(
                """
                INSERT INTO muster.events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata, occurred_at, agency)
                VALUES ('officer-n9', 1, \(UUID()), 'course.v1', 1, '{}', '{"actor_id":"a","actor_role":"chief"}', now(), 'south')
                """)
        }
        #expect(error?.sqlState == SQLState.insufficientPrivilege)
        // A read-model row for the other agency's person, or naming the other agency.
        error = await #expect(throws: PostgresError.self) {
            try await north.execute(
                """
                INSERT INTO muster.coursework_currency (person_stream, person_name, course_type, completions, warning_days)
                VALUES ('officer-s1', 'Someone', 'implicit_bias', 1, 30)
                """)
        }
        #expect(error?.message.contains("row-level security") == true, "\(error?.message ?? "")")
        // A count of the other agency's trainees (the pipeline board reads these).
        error = await #expect(throws: PostgresError.self) {
            try await north.execute("INSERT INTO muster.stage_counts (agency, stage, trainees) VALUES ('south', 'academy', 99)")
        }
        #expect(error?.message.contains("row-level security") == true, "\(error?.message ?? "")")
        // Updating or deleting the other agency's rows touches none.
        try await north.execute("UPDATE muster.coursework_currency SET completions = 99 WHERE person_stream = 'officer-s1'")
        try await north.execute("DELETE FROM muster.coursework_currency WHERE person_stream = 'officer-s1'")
        #expect(
            try await Self.count(superuser, "SELECT count(*) FROM muster.coursework_currency WHERE person_stream = 'officer-s1' AND completions = 1")
                == 1)
        #expect(try await Self.count(superuser, "SELECT count(*) FROM muster.events") == before)
        #expect(try await Self.agencies(superuser, "events") == ["north", "south"])
        await superuser.close()
        await north.close()
        await south.close()
        try await logins.dropAll()
    }

    @Test("a superuser with triggers off who moves an event to another agency is caught by the audit: the hash covers the agency")
    func movedRowIsFound() async throws {
        let logins = Logins(try await TestDatabase.create())
        let (north, south) = try await Self.twoAgencies(logins)
        let superuser = try await logins.database.client()
        #expect(try await Audit(client: superuser).verify().ok)
        try await superuser.withConnection { connection in
            try connection.transaction { connection in
                try connection.query("SET LOCAL session_replication_role = replica")
                try connection.query("UPDATE muster.events SET agency = 'south' WHERE stream_id = 'officer-n1' AND stream_version = 2")
            }
        }
        #expect(try await Self.count(south, "SELECT count(*) FROM muster.events WHERE stream_id = 'officer-n1'") == 1)
        let report = try await Audit(client: superuser).verify()
        #expect(report.findings.map(\.kind) == [.edited], "\(report.findings)")
        #expect(report.findings.first?.stream == "officer-n1" && report.findings.first?.version == 2)
        await superuser.close()
        await north.close()
        await south.close()
        try await logins.dropAll()
    }

    @Test("the statewide role reads every agency and writes nothing")
    func statewideReadsOnly() async throws {
        let logins = Logins(try await TestDatabase.create())
        let (north, south) = try await Self.twoAgencies(logins)
        let state = try await logins.connect(in: "muster_state", agency: nil)
        for table in ["events", "coursework_currency", "access_log"] {
            #expect(try await Self.agencies(state, table) == ["north", "south"], "\(table)")
        }
        let writes = [
            "INSERT INTO muster.events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata, occurred_at) VALUES ('officer-q', 1, gen_random_uuid(), 't', 1, '{}', '{\"actor_id\":\"a\",\"actor_role\":\"chief\"}', now())",
            "UPDATE muster.coursework_currency SET completions = 5",
            "UPDATE muster.stage_counts SET trainees = 0",
            "DELETE FROM muster.trainee_status",
            "INSERT INTO muster.access_log (reader, reader_role, person, view, address, result, request_id) VALUES ('a','b','c','d','e','f','g')",
            "SELECT count(*) FROM muster.accounts",
            "SELECT count(*) FROM muster.sessions",
        ]
        for sql in writes {
            let error = await #expect(throws: PostgresError.self) { try await state.execute(PostgresQuery(unsafeSQL: sql)) }
            #expect(error?.sqlState == SQLState.insufficientPrivilege, "\(sql): \(error?.message ?? "")")
        }
        await state.close()
        await north.close()
        await south.close()
        try await logins.dropAll()
    }
}
