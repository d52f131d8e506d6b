import Foundation
import Postgres
import TrainingDomain
import TrainingProjections

// The boards at state scale (issue 13, part 3), on the database `scripts/bench-rebuild` loaded
// and rebuilt: readiness, expiring and pipeline as one agency's session sees them (row-level
// security, `muster_app`) and as the statewide role sees them (every agency), each p50 and p99
// of many runs; and the statewide report (`muster statewide`), whose answer aggregates every
// agency's rows. Goal: the boards' p99 ≤ 20 ms, for one agency and statewide.

func stateBoardCases(_ bench: Bench) async throws -> [BenchResult] {
    let admin = try await PostgresClient.connect(bench.configuration)
    let agencies = try await admin.rows("SELECT DISTINCT agency FROM muster.trainee_status ORDER BY 1") {
        try $0.decode(String.self, row: $1, column: 0)
    }
    let people = try await count(admin, "SELECT count(*) FROM muster.trainee_status")
    let courses = try await count(admin, "SELECT count(*) FROM muster.coursework_currency")
    await admin.close()
    guard let agency = agencies.dropFirst(agencies.count / 2).first else { throw BenchFailure("no read-model rows: rebuild first") }
    log("boards at state scale: \(agencies.count) agencies, \(people) trainees, \(courses) course rows; one agency is \(agency)")
    var session = bench.configuration
    session.options = "-c role=muster_app -c muster.agency=\(agency)"
    var statewide = bench.configuration
    statewide.options = "-c role=muster_state -c default_transaction_read_only=on"
    let samples = bench.quick ? 50 : 200
    var results: [BenchResult] = []
    for (scope, configuration) in [("agency", session), ("statewide", statewide)] {
        let client = try await PostgresClient.connect(configuration)
        let queries = ReadModelQueries(client: client)
        let boards: [(String, () async throws -> Void)] = [
            ("readiness", { _ = try await queries.readiness(withinDays: 90, limit: 100) }),
            ("expiring", { _ = try await queries.expiring(withinDays: 60, limit: 100) }),
            ("pipeline", { _ = try await queries.pipeline() }),
        ]
        for (name, board) in boards {
            try await board()
            let (p50, p99) = try await latencies(samples: samples) { try await board() }
            results.append(limited("board_\(name)_\(scope)_p99", value: p99, unit: "ms", limit: 20, note: String(format: "p50 %.1f ms", p50)))
        }
        if scope == "statewide" {
            let today = Day(daysSince1970: Int(Date().timeIntervalSince1970 / 86_400))
            let (p50, p99) = try await latencies(samples: max(5, samples / 20)) { _ = try await queries.statewide(on: today) }
            log(String(format: "  statewide report (every agency's summary): p50 %.0f ms, p99 %.0f ms (a report, no goal)", p50, p99))
            results.append(
                BenchResult(name: "statewide_report_p50", value: p50, unit: "ms", baseline: p50, ratio: 1, goal: nil))
        }
        await client.close()
    }
    return results
}
