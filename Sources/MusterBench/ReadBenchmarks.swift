import EventLog
import EventLogPostgres
import Foundation
import Postgres

/// A catch-up read of the whole log in pages of 1,000 against COPY of the same rows and columns.
func readCases(_ bench: Bench) async throws -> [BenchResult] {
    let admin = try await PostgresClient.connect(bench.configuration)
    let target = bench.scaled(100_000)
    let have = try await count(admin, "SELECT count(*) FROM muster.events")
    if have < target {
        log("loading \(target - have) more events for the read benchmark")
        let store = try await PostgresEventStore.connect(bench.configuration)
        var loaded = have
        while loaded < target {
            let stream = try StreamID(category: "load", id: UUID().uuidString.lowercased())
            _ = try await store.append(makeEvents(500), to: stream, expectedVersion: .noStream)
            loaded += 500
        }
        await store.close()
    }
    let total = try await count(admin, "SELECT count(*) FROM muster.events")
    var baseline: [Double] = []
    var muster: [Double] = []
    log("read all in batches of 1000 (\(total) events)")
    for _ in 0..<bench.rounds {
        baseline.append(Double(total) / (try await seconds { _ = try await copyWholeLog(admin) }))
        let store = try await PostgresEventStore.connect(bench.configuration)
        var read = 0
        muster.append(
            Double(total)
                / (try await seconds {
                    var position = LogPosition.start
                    while true {
                        let page = try await store.readAll(after: position, limit: 1000)
                        guard let last = page.last else { break }
                        read += page.count
                        position = last.position
                    }
                }))
        await store.close()
        guard read == total else { throw BenchFailure("read \(read) of \(total) events") }
    }
    await admin.close()
    return [compared("read_all_batches", unit: "events/s", goal: 0.50, baseline: baseline, muster: muster)]
}
