import EventLog
import Foundation
import Postgres

/// One benchmark's outcome: Muster's median beside its baseline's, and their ratio.
struct BenchResult: Encodable {
    var name: String
    var value: Double
    var unit: String
    var baseline: Double
    var ratio: Double
    var goal: Double?
}

/// What every case needs: the server, how many rounds, how large.
struct Bench: Sendable {
    let configuration: PostgresConfiguration
    let databaseURL: String
    let rounds: Int
    let quick: Bool

    func scaled(_ count: Int) -> Int { max(10, quick ? count / 5 : count) }
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func log(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// Median of rounds for Muster and its baseline, as one result.
func compared(_ name: String, unit: String, goal: Double?, baseline: [Double], muster: [Double]) -> BenchResult {
    let result = BenchResult(
        name: name, value: median(muster), unit: unit, baseline: median(baseline), ratio: median(muster) / median(baseline), goal: goal)
    log(String(format: "  %@: %.0f %@ vs baseline %.0f (ratio %.2f)", name, result.value, unit, result.baseline, result.ratio))
    return result
}

/// Rounds measured in pairs, Muster and its baseline back to back (in alternating order), as
/// one result whose ratio is the median of the rounds' own ratios. Where a shared resource
/// drifts from one round to the next (here the disk's flush latency under eight writers), a
/// ratio of medians taken over different moments mixes that drift into the comparison.
func pairedRounds(_ name: String, unit: String, goal: Double?, baseline: [Double], muster: [Double]) -> BenchResult {
    let ratios = zip(muster, baseline).map { $0 / $1 }
    let result = BenchResult(name: name, value: median(muster), unit: unit, baseline: median(baseline), ratio: median(ratios), goal: goal)
    log(
        String(
            format: "  %@: %.0f %@ vs baseline %.0f (median of paired ratios %.2f; rounds %@)", name, result.value, unit, result.baseline,
            result.ratio, ratios.map { String(format: "%.2f", $0) }.joined(separator: " ")))
    return result
}

/// One paired round: the baseline and Muster back to back, the baseline first in even rounds
/// and second in odd ones, so neither always runs on the warmer (or the more tired) disk.
func backToBack(
    _ round: Int, baseline: () async throws -> Double, muster: () async throws -> Double
) async throws -> (baseline: Double, muster: Double) {
    if round.isMultiple(of: 2) {
        let first = try await baseline()
        return (first, try await muster())
    }
    let first = try await muster()
    return (try await baseline(), first)
}

/// An absolute goal (lower is better): the ratio is goal / value.
func limited(_ name: String, value: Double, unit: String, limit: Double, note: String) -> BenchResult {
    log(String(format: "  %@: %.1f %@ (%@; goal ≤ %.0f %@)", name, value, unit, note, limit, unit))
    return BenchResult(name: name, value: value, unit: unit, baseline: limit, ratio: limit / value, goal: 1.0)
}

/// Milliseconds at the median and the 99th percentile of `samples` runs of `body`.
func latencies(samples: Int, _ body: () async throws -> Void) async rethrows -> (p50: Double, p99: Double) {
    var timings: [Double] = []
    for _ in 0..<samples { timings.append(try await seconds(body) * 1000) }
    timings.sort()
    return (timings[timings.count / 2], timings[min(timings.count - 1, Int(Double(timings.count) * 0.99))])
}

let benchMetadata = EventMetadata(actorID: "bench", actorRole: "system", source: "bench")
let benchPayload = #"{"category":"report_writing","rating":4,"narrative":"Handled a traffic collision report with minor corrections."}"#

func makeEvents(_ count: Int) -> [EventData] {
    (0..<count).map { _ in
        // The payload is a literal known to be valid.
        try! EventData(id: UUID(), type: "bench.observed.v1", data: benchPayload, metadata: benchMetadata, occurredAt: Date())
    }
}

/// The whole log's rows and columns as a reader sees them, copied out: the read baseline.
func copyWholeLog(_ client: PostgresClient) async throws -> Int {
    try await client.withConnection { connection in
        var rows = 0
        try connection.copyOut(
            unsafeSQL: """
                COPY (SELECT stream_id, stream_version, xact_id, global_position, event_id, event_type, schema_version, data,
                             metadata->>'actor_id', metadata->>'actor_role', metadata->>'correlation_id',
                             metadata->>'causation_id', metadata->>'source', occurred_at, recorded_at
                      FROM muster.events ORDER BY xact_id, global_position) TO STDOUT
                """
        ) { _ in rows += 1 }
        return rows
    }
}

func count(_ client: PostgresClient, _ sql: String) async throws -> Int {
    try await client.rows(PostgresQuery(unsafeSQL: sql)) { try $0.decode(Int.self, row: $1, column: 0) }[0]
}
