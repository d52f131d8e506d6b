import EventLog
import Foundation
import Postgres
import TrainingProjections
import TrainingServices

// What row-level security costs (schema/0009_agencies.sql): the same SQL, in the same run, as
// an agency's session under the policies (`-c role=muster_app -c muster.agency=X`, as every
// service connects) and as the owner with the same agency set, whom the policies do not apply
// to. Reads name the agency themselves, so both answer the same rows through the same
// agency-leading index: the difference is the policy alone. Goals (issue 13): reads lose at
// most 15%, appends at most 5%.

func rlsCases(_ bench: Bench) async throws -> [BenchResult] {
    let agencies = 8
    let officers = bench.quick ? 4_000 : 16_000
    let name = "muster_bench_rls_\(ProcessInfo.processInfo.processIdentifier)"
    let admin = try await PostgresClient.connect(bench.configuration)
    try await admin.execute(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
    try await admin.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
    defer { Task { try? await admin.execute(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")) } }
    var owner = bench.configuration.database(name)
    let agency = "agency-3"
    owner.options = "-c muster.agency=\(agency)"
    var session = owner
    session.options = "-c role=muster_app -c muster.agency=\(agency)"
    let database = MusterDatabase(url: owner.connectionString)
    _ = try await database.migrate()
    log("row-level security: \(agencies) agencies, \(officers) officers, reading and writing as \(agency)")
    let seeded = try await database.syntheticSeeder().seed(agencies: agencies, officers: officers)
    try await database.withProjectionRunner { _ = try await $0.runUntilCaughtUp(batch: 5000) }
    let setup = try await PostgresClient.connect(owner)
    try await setup.execute("ANALYZE")
    let streams = try await setup.rows(
        "SELECT stream_id FROM muster.events WHERE agency = \(agency) AND stream_version = 1 ORDER BY stream_id LIMIT 2000"
    ) { try $0.decode(String.self, row: $1, column: 0) }
    await setup.close()
    log("  \(seeded) events; \(streams.count) of \(agency)'s streams for point reads")

    let policy = try await PostgresClient.connect(session)
    let bypass = try await PostgresClient.connect(owner)
    let clients = [(bypass, "owner (no policy)"), (policy, "muster_app (policy)")]
    var results: [BenchResult] = []

    // 1. The agency's log in keyset pages of 1,000.
    func pages(_ client: PostgresClient) async throws -> Int {
        try await client.withConnection { connection in
            var total = 0
            var after: (String, Int64) = ("0", 0)
            while true {
                let rows = try connection.query(
                    """
                    SELECT xact_id::text, global_position, stream_id, stream_version, event_type, data::text, metadata::text
                    FROM muster.events
                    WHERE agency = \(agency) AND (xact_id, global_position) > (\(after.0)::xid8, \(after.1))
                    ORDER BY xact_id, global_position LIMIT 1000
                    """, prepared: true
                ).decodeAll(as: String.self, Int64.self, String.self, Int.self, String.self, String.self, String.self)
                total += rows.count
                guard let last = rows.last, rows.count == 1000 else { return total }
                after = (last.0, last.1)
            }
        }
    }
    results.append(try await rlsCompare("rls_read_agency_log", unit: "events/s", goal: 0.85, bench, clients) { try await pages($0) })

    // 2. Point reads: whole streams by id, as the services read a person's file.
    results.append(
        try await rlsCompare("rls_read_streams", unit: "streams/s", goal: 0.85, bench, clients) { client in
            try await client.withConnection { connection in
                for stream in streams {
                    _ = try connection.query(
                        """
                        SELECT stream_version, event_type, data::text, metadata::text FROM muster.events
                        WHERE agency = \(agency) AND stream_id = \(stream) ORDER BY stream_version
                        """, prepared: true
                    ).decodeAll(as: Int.self, String.self, String.self, String.self)
                }
            }
            return streams.count
        })

    // 3. A board: the agency's field-training trainees and its lapsing coursework.
    let boardRepeats = bench.scaled(2000)
    results.append(
        try await rlsCompare("rls_boards", unit: "queries/s", goal: 0.85, bench, clients) { client in
            try await client.withConnection { connection in
                for _ in 0..<boardRepeats {
                    _ = try connection.query(
                        """
                        SELECT trainee_id, name FROM muster.trainee_status
                        WHERE agency = \(agency) AND stage = 'field_training' ORDER BY expected_solo_earliest_on, name, trainee_id LIMIT 100
                        """, prepared: true
                    ).decodeAll(as: String.self, String.self)
                    _ = try connection.query(
                        """
                        SELECT person_stream, course_type FROM muster.coursework_currency
                        WHERE agency = \(agency) AND expires_on <= current_date + 30 ORDER BY expires_on, person_stream, course_type LIMIT 100
                        """, prepared: true
                    ).decodeAll(as: String.self, String.self)
                }
            }
            return boardRepeats * 2
        })

    // 4. Appends, one event per transaction, the stamp's checks included for both.
    let appendCount = bench.scaled(1500)
    results.append(
        try await rlsCompare("rls_append_1_per_tx", unit: "events/s", goal: 0.95, bench, clients) { client in
            let stream = "officer-rls-\(UUID().uuidString.lowercased())"
            try await client.withConnection { connection in
                for version in 1...appendCount {
                    try connection.query(
                        """
                        INSERT INTO muster.events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata, occurred_at)
                        VALUES (\(stream), \(version), \(UUID()), \("bench.observed.v1"), \(1), \(benchPayload)::jsonb,
                                \(rawMetadata)::jsonb, \(Date()))
                        """, prepared: true)
                }
            }
            return appendCount
        })
    await policy.close()
    await bypass.close()
    return results
}

/// Rounds alternate the owner and the policy-bound session; each does the same work once to warm
/// up. The ratio is the session's rate over the owner's (1.0: the policy is free).
func rlsCompare(
    _ name: String, unit: String, goal: Double, _ bench: Bench, _ clients: [(PostgresClient, String)],
    _ work: (PostgresClient) async throws -> Int
) async throws -> BenchResult {
    for (client, _) in clients { _ = try await work(client) }
    var rates: [[Double]] = [[], []]
    for round in 0..<max(3, bench.rounds * 2) {
        for index in (round % 2 == 0 ? [0, 1] : [1, 0]) {
            var count = 0
            let elapsed = try await seconds { count = try await work(clients[index].0) }
            rates[index].append(Double(count) / elapsed)
        }
    }
    return compared(name, unit: unit, goal: goal, baseline: rates[0], muster: rates[1])
}
