import EventLog
import Foundation
import Postgres
import TrainingProjections
import TrainingServices

/// Projection rebuild over the whole log vs COPY of the same rows; then the command-staff
/// queries on the rebuilt tables. Loads `officers` synthetic officers first (about 9 events each).
func scaleCases(_ bench: Bench, officers: Int) async throws -> [BenchResult] {
    var results: [BenchResult] = []
    let database = MusterDatabase(url: bench.databaseURL)
    let admin = try await PostgresClient.connect(bench.configuration)
    let have = try await count(admin, "SELECT count(*) FROM muster.events WHERE stream_id LIKE 'officer-a%' OR stream_id LIKE 'trainee-a%'")
    if have == 0 {
        log("loading \(officers) synthetic officers (COPY)")
        let loaded = try await database.syntheticSeeder().seed(agencies: 10, officers: officers) { made, total in
            if made == total || made % 20_000 < 500 { log("  \(made) of \(total)") }
        }
        log("  loaded \(loaded) events")
    }
    try await admin.execute("VACUUM ANALYZE muster.events")
    let total = try await count(admin, "SELECT count(*) FROM muster.events")

    log("projection rebuild over \(total) events vs COPY TO STDOUT of the same rows")
    var copyRates: [Double] = []
    var rebuildRates: [Double] = []
    for _ in 0..<(bench.quick ? 1 : bench.rounds) {
        copyRates.append(Double(total) / (try await seconds { _ = try await copyWholeLog(admin) }))
        let runner = ProjectionRunner(client: try await PostgresClient.connect(bench.configuration))
        rebuildRates.append(
            Double(total)
                / (try await seconds {
                    try await runner.rebuild { folded in if folded % 200_000 < 10_000 { log("  folded \(folded)") } }
                }))
        await runner.close()
    }
    results.append(compared("projection_rebuild", unit: "events/s", goal: 0.40, baseline: copyRates, muster: rebuildRates))

    let queries = ReadModelQueries(client: try await PostgresClient.connect(bench.configuration))
    let people = try await count(admin, "SELECT count(DISTINCT person_stream) FROM muster.coursework_currency")
    let readiness: @Sendable () async throws -> Void = { _ = try await queries.readiness(withinDays: 90, limit: 100) }
    let expiring: @Sendable () async throws -> Void = { _ = try await queries.expiring(withinDays: 90, limit: 100) }
    for (name, query) in [("readiness_board_query", readiness), ("expiring_coursework_query", expiring)] {
        for _ in 0..<10 { try await query() }
        let timing = try await latencies(samples: 200, query)
        results.append(
            limited(name + "_p99", value: timing.p99, unit: "ms", limit: 20, note: String(format: "%d people, p50 %.2f ms", people, timing.p50)))
    }
    await admin.close()
    return results
}
