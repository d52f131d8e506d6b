import EventLog
import Foundation
import Postgres
import TrainingProjections
import TrainingServices

/// Projection rebuild over the whole log vs COPY of the same rows; then the command-staff
/// queries on the rebuilt tables. Loads `officers` synthetic officers first (about 9 events each).
func scaleCases(configuration: PostgresConfiguration, databaseURL: String, officers: Int, rounds: Int) async throws -> [Result] {
    var results: [Result] = []
    let database = MusterDatabase(url: databaseURL)
    let admin = try await PostgresClient.connect(configuration)
    let have = try await admin.rows("SELECT count(*) FROM muster.events WHERE stream_id LIKE 'officer-a%' OR stream_id LIKE 'trainee-a%'") {
        try $0.decode(Int.self, row: $1, column: 0)
    }[0]
    if have == 0 {
        log("loading \(officers) synthetic officers (COPY)")
        let loaded = try await database.syntheticSeeder(today: EntryMapping.day(Date())).seed(agencies: 10, officers: officers) { made, total in
            if made == total || made % 20_000 < 500 { log("  \(made) of \(total)") }
        }
        log("  loaded \(loaded) events")
    }
    try await admin.execute("VACUUM ANALYZE muster.events")
    let total = try await admin.rows("SELECT count(*) FROM muster.events") { try $0.decode(Int.self, row: $1, column: 0) }[0]

    log("projection rebuild over \(total) events vs COPY TO STDOUT of the same rows")
    var copyRates: [Double] = []
    var rebuildRates: [Double] = []
    for _ in 0..<rounds {
        copyRates.append(Double(total) / (try await seconds {
            _ = try await admin.withConnection { connection in
                try connection.copyOut(
                    unsafeSQL: """
                        COPY (SELECT stream_id, stream_version, xact_id, global_position, event_id, event_type, schema_version, data,
                                     metadata->>'actor_id', metadata->>'actor_role', metadata->>'correlation_id',
                                     metadata->>'causation_id', metadata->>'source', occurred_at, recorded_at
                              FROM muster.events ORDER BY xact_id, global_position) TO STDOUT
                        """
                ) { _ in }
            }
        }))
        let runner = ProjectionRunner(client: try await PostgresClient.connect(configuration))
        rebuildRates.append(Double(total) / (try await seconds {
            try await runner.rebuild { folded in if folded % 200_000 < 10_000 { log("  folded \(folded)") } }
        }))
        await runner.close()
    }
    record(&results, "projection_rebuild", unit: "events/s", goal: 0.40, baseline: copyRates, muster: rebuildRates)

    let queries = ReadModelQueries(client: try await PostgresClient.connect(configuration))
    let people = try await admin.rows("SELECT count(DISTINCT person_stream) FROM muster.coursework_currency") { try $0.decode(Int.self, row: $1, column: 0) }[0]
    let readiness: @Sendable () async throws -> Void = { _ = try await queries.readiness(withinDays: 90, limit: 100) }
    let expiring: @Sendable () async throws -> Void = { _ = try await queries.expiring(withinDays: 90, limit: 100) }
    for (name, query) in [("readiness_board_query", readiness), ("expiring_coursework_query", expiring)] {
        for _ in 0..<10 { try await query() }
        var timings: [Double] = []
        for _ in 0..<200 { timings.append(try await seconds { try await query() } * 1000) }
        timings.sort()
        let p50 = timings[timings.count / 2]
        let p99 = timings[Int(Double(timings.count) * 0.99)]
        results.append(Result(name: name + "_p99", value: p99, unit: "ms", baseline: 20, ratio: 20 / p99, goal: 1.0))
        log(String(format: "  %@ over %d people: p50 %.2f ms, p99 %.2f ms (goal p99 ≤ 20 ms)", name, people, p50, p99))
    }
    await admin.close()
    return results
}
