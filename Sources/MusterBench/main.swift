import EventLog
import EventLogPostgres
import Foundation
import Postgres
import TrainingDomain
import TrainingProjections
import TrainingServices

// muster-bench: each Muster case beside a raw-SQL baseline on an identical table, in the same
// run, on the same server. Rounds alternate baseline and Muster; the median of each is
// reported with their ratio, because these machines are shared and noisy.
//
// Usage: muster-bench --database-url URL [--rounds 3] [--output bench-results.json] [--quick]

struct Result: Encodable {
    var name: String
    var value: Double
    var unit: String
    var baseline: Double
    var ratio: Double
    var goal: Double?
}

let arguments = CommandLine.arguments
func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}
let quick = arguments.contains("--quick")
let rounds = Int(option("--rounds") ?? "") ?? (quick ? 1 : 3)
let output = option("--output") ?? "bench-results.json"
let configuration = PostgresConfiguration(conninfo: option("--database-url") ?? ProcessInfo.processInfo.environment["MUSTER_DATABASE_URL"] ?? "")
let scale = quick ? 0.2 : 1.0
func scaled(_ count: Int) -> Int { max(10, Int(Double(count) * scale)) }

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

let metadata = EventMetadata(actorID: "bench", actorRole: "system", source: "bench")
let payload = #"{"category":"report_writing","rating":4,"narrative":"Handled a traffic collision report with minor corrections."}"#
func makeEvents(_ count: Int) -> [EventData] {
    (0..<count).map { _ in try! EventData(id: UUID(), type: "bench.observed.v1", data: payload, metadata: metadata, occurredAt: Date()) }
}

// MARK: - Raw baseline: the same row shape, values prepared beforehand, one INSERT per transaction.

let rawColumns = "stream_id, stream_version, event_id, event_type, schema_version, data, metadata, occurred_at, recorded_at, prev_hash, hash"
let canonicalMetadata = makeEvents(1)[0].canonicalMetadata

/// 32 bytes that differ per row, cheaply (the baseline must not pay for randomness).
func fakeHash(_ seed: Int) -> PostgresBytes {
    PostgresBytes((0..<32).map { UInt8(truncatingIfNeeded: seed &* 131 &+ $0 &* 7) })
}

func rawInsert(_ connection: PostgresConnection, stream: String, version: Int) throws {
    let hash = fakeHash(version)
    try connection.query(
        """
        INSERT INTO public.bench_raw (\(unsafeSQL: rawColumns))
        VALUES (\(stream), \(version), \(UUID()), \("bench.observed.v1"), \(1), \(payload)::jsonb, \(canonicalMetadata)::jsonb,
                \(Date()), now(), \(hash), \(hash))
        """, prepared: true)
}

func rawInsertBatch(_ connection: PostgresConnection, stream: String, from version: Int, count: Int) throws {
    var bindings = PostgresBindings()
    bindings.append(stream)
    var sql = "INSERT INTO public.bench_raw (\(rawColumns)) VALUES "
    for offset in 0..<count {
        let first = bindings.count + 1
        let hash = fakeHash(version + offset)
        bindings.append(version + offset)
        bindings.append(UUID())
        bindings.append("bench.observed.v1")
        bindings.append(1)
        bindings.append(payload)
        bindings.append(canonicalMetadata)
        bindings.append(Date())
        bindings.append(hash)
        bindings.append(hash)
        let p = (first..<(first + 9)).map { "$\($0)" }
        sql += (offset == 0 ? "" : ", ") + "($1, \(p[0]), \(p[1]), \(p[2]), \(p[3]), \(p[4])::jsonb, \(p[5])::jsonb, \(p[6]), now(), \(p[7]), \(p[8]))"
    }
    try connection.query(PostgresQuery(unsafeSQL: sql, bindings: bindings), prepared: true)
}

// MARK: - Cases


func record(_ results: inout [Result], _ name: String, unit: String, goal: Double?, baseline: [Double], muster: [Double]) {
    let result = Result(name: name, value: median(muster), unit: unit, baseline: median(baseline), ratio: median(muster) / median(baseline), goal: goal)
    results.append(result)
    log(String(format: "  %@: %.0f %@ vs baseline %.0f (ratio %.2f)", name, result.value, unit, result.baseline, result.ratio))
}

func runCases() async throws -> [Result] {
    var results: [Result] = []

    // 0. Folding events in memory (pure domain, one core); the goal is absolute.
    let histories = quick ? 40 : 200
    log("fold \(histories) trainee histories of 5,000 events in memory")
    var folds: [Double] = []
    for _ in 0..<rounds { folds.append(foldEventsPerSecond(histories: histories, length: 5000)) }
    let fold = median(folds)
    results.append(Result(name: "fold_events_in_memory", value: fold, unit: "events/s", baseline: 1_000_000, ratio: fold / 1_000_000, goal: 1.0))
    log(String(format: "  fold_events_in_memory: %.0f events/s (goal 1,000,000)", fold))

    let admin = try await PostgresClient.connect(configuration)
    try await admin.execute("DROP TABLE IF EXISTS public.bench_raw")
    // An identical table: same columns, defaults, identity, constraints and indexes.
    try await admin.execute("CREATE TABLE public.bench_raw (LIKE muster.events INCLUDING ALL)")
    let settings = try await admin.rows("SELECT current_setting('fsync') || '/' || current_setting('synchronous_commit')") {
        try $0.decode(String.self, row: $1, column: 0)
    }
    log("durability (fsync/synchronous_commit): \(settings.first ?? "?") for both tables; \(rounds) round(s)")

    // 1. One event per transaction, one writer.
    let singleCount = scaled(2000)
    var baseline: [Double] = []
    var muster: [Double] = []
    log("append, 1 event per transaction, 1 writer (\(singleCount) events)")
    for _ in 0..<rounds {
        let rawStream = "bench-\(UUID().uuidString.lowercased())"
        baseline.append(Double(singleCount) / (try await seconds {
            try await admin.withConnection { connection in
                for version in 1...singleCount { try rawInsert(connection, stream: rawStream, version: version) }
            }
        }))
        let store = try await PostgresEventStore.connect(configuration)
        let stream = try StreamID(category: "bench", id: UUID().uuidString.lowercased())
        let events = makeEvents(singleCount)
        muster.append(Double(singleCount) / (try await seconds {
            for event in events { _ = try await store.append([event], to: stream, expectedVersion: .any) }
        }))
        await store.close()
    }
    record(&results, "append_1_per_tx_1_writer", unit: "events/s", goal: 0.85, baseline: baseline, muster: muster)

    // 2. One event per transaction, 8 writers on distinct streams.
    let writers = 8
    let perWriter = scaled(600)
    baseline = []
    muster = []
    log("append, 1 event per transaction, \(writers) writers (\(writers * perWriter) events)")
    for _ in 0..<rounds {
        var clients: [PostgresClient] = []
        for _ in 0..<writers { clients.append(try await PostgresClient.connect(configuration)) }
        let rawClients = clients
        baseline.append(Double(writers * perWriter) / (try await seconds {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in rawClients {
                    group.addTask {
                        let stream = "bench-\(UUID().uuidString.lowercased())"
                        try await client.withConnection { connection in
                            for version in 1...perWriter { try rawInsert(connection, stream: stream, version: version) }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }))
        for client in clients { await client.close() }
        var stores: [PostgresEventStore] = []
        for _ in 0..<writers { stores.append(try await PostgresEventStore.connect(configuration)) }
        let workload = stores.map { ($0, makeEvents(perWriter)) }
        muster.append(Double(writers * perWriter) / (try await seconds {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (store, events) in workload {
                    group.addTask {
                        let stream = try StreamID(category: "bench", id: UUID().uuidString.lowercased())
                        for event in events { _ = try await store.append([event], to: stream, expectedVersion: .any) }
                    }
                }
                try await group.waitForAll()
            }
        }))
        for store in stores { await store.close() }
    }
    record(&results, "append_1_per_tx_8_writers", unit: "events/s", goal: 0.80, baseline: baseline, muster: muster)

    if arguments.contains("--diagnose") {
        // The same raw INSERTs, but one client call per INSERT (the hop every store call makes):
        // separates the event store's own cost from the driver's thread-per-connection design.
        var perCall: [Double] = []
        for _ in 0..<rounds {
            var clients: [PostgresClient] = []
            for _ in 0..<writers { clients.append(try await PostgresClient.connect(configuration)) }
            let rawClients = clients
            perCall.append(Double(writers * perWriter) / (try await seconds {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for client in rawClients {
                        group.addTask {
                            let stream = "bench-\(UUID().uuidString.lowercased())"
                            for version in 1...perWriter {
                                try await client.withConnection { try rawInsert($0, stream: stream, version: version) }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }))
            for client in clients { await client.close() }
        }
        record(&results, "diagnose_raw_8_writers_one_call_per_insert", unit: "events/s", goal: nil, baseline: baseline, muster: perCall)
    }

    // 3. 100 events per transaction.
    let batches = scaled(100)
    baseline = []
    muster = []
    log("append, 100 events per transaction (\(batches * 100) events)")
    for _ in 0..<rounds {
        let rawStream = "bench-\(UUID().uuidString.lowercased())"
        baseline.append(Double(batches * 100) / (try await seconds {
            try await admin.withConnection { connection in
                for batch in 0..<batches { try rawInsertBatch(connection, stream: rawStream, from: batch * 100 + 1, count: 100) }
            }
        }))
        let store = try await PostgresEventStore.connect(configuration)
        let stream = try StreamID(category: "bench", id: UUID().uuidString.lowercased())
        let eventBatches = (0..<batches).map { _ in makeEvents(100) }
        muster.append(Double(batches * 100) / (try await seconds {
            for events in eventBatches { _ = try await store.append(events, to: stream, expectedVersion: .any) }
        }))
        await store.close()
    }
    record(&results, "append_100_per_tx", unit: "events/s", goal: 0.70, baseline: baseline, muster: muster)

    // 4. Catch-up read of the whole log vs COPY of the same rows and columns.
    let target = scaled(100_000)
    let have = try await admin.rows("SELECT count(*) FROM muster.events") { try $0.decode(Int.self, row: $1, column: 0) }[0]
    if have < target {
        log("loading \(target - have) more events for the read benchmark")
        let store = try await PostgresEventStore.connect(configuration)
        var loaded = have
        while loaded < target {
            let stream = try StreamID(category: "load", id: UUID().uuidString.lowercased())
            _ = try await store.append(makeEvents(500), to: stream, expectedVersion: .noStream)
            loaded += 500
        }
        await store.close()
    }
    let total = try await admin.rows("SELECT count(*) FROM muster.events") { try $0.decode(Int.self, row: $1, column: 0) }[0]
    baseline = []
    muster = []
    log("read all in batches of 1000 (\(total) events)")
    for _ in 0..<rounds {
        baseline.append(Double(total) / (try await seconds {
            _ = try await admin.withConnection { connection in
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
        }))
        let store = try await PostgresEventStore.connect(configuration)
        var read = 0
        muster.append(Double(total) / (try await seconds {
            var position = LogPosition.start
            while true {
                let page = try await store.readAll(after: position, limit: 1000)
                guard let last = page.last else { break }
                read += page.count
                position = last.position
            }
        }))
        await store.close()
        guard read == total else { throw UserFacing("read \(read) of \(total) events") }
    }
    record(&results, "read_all_batches", unit: "events/s", goal: 0.50, baseline: baseline, muster: muster)

    try await admin.execute("DROP TABLE IF EXISTS public.bench_raw")

    // 5. Load and fold one trainee with 5,000 events (goal: 65 ms or less).
    log("load and fold one trainee with 5,000 events")
    let serviceStore = try await PostgresEventStore.connect(configuration)
    let fold5000 = try await loadAndFoldMilliseconds(store: serviceStore, length: 5000, runs: quick ? 5 : 21)
    results.append(Result(name: "load_and_fold_5000_events", value: fold5000.median, unit: "ms", baseline: 65, ratio: 65 / fold5000.median, goal: 1.0))
    log(String(format: "  load_and_fold_5000_events: median %.1f ms, p99 %.1f ms (goal ≤ 65 ms)", fold5000.median, fold5000.p99))

    // 6. `muster ft dor` as a whole process (goal: 100 ms or less wall).
    if let binary = option("--muster") {
        log("muster ft dor as a whole process")
        let wall = try await cliDORMilliseconds(binary: binary, databaseURL: option("--database-url") ?? "", store: serviceStore, runs: quick ? 3 : 11)
        results.append(Result(name: "cli_log_one_dor_wall", value: wall, unit: "ms", baseline: 100, ratio: 100 / wall, goal: 1.0))
        log(String(format: "  cli_log_one_dor_wall: median %.0f ms (goal ≤ 100 ms)", wall))
    }
    await serviceStore.close()
    await admin.close()

    // 7. Scale: projection rebuild of about a million events, and queries with 100,000+ officers.
    if !arguments.contains("--no-scale") {
        results += try await scaleCases(
            configuration: configuration, databaseURL: option("--database-url") ?? "", officers: quick ? 20_000 : 110_000, rounds: quick ? 1 : 3)
    }
    return results
}

let results: [Result]
do {
    results = try await runCases()
} catch {
    log("benchmark failed: \(error)")
    exit(1)
}

struct UserFacing: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// Table for people, JSON for programs.
print("\n" + ["CASE", "MUSTER", "BASELINE", "RATIO", "GOAL"].map { $0.padding(toLength: 28, withPad: " ", startingAt: 0) }.joined())
for result in results {
    let cells = [
        result.name, String(format: "%.0f %@", result.value, result.unit), String(format: "%.0f %@", result.baseline, result.unit),
        String(format: "%.2f", result.ratio), result.goal.map { String(format: "≥ %.2f %@", $0, result.ratio >= $0 ? "met" : "MISSED") } ?? "-",
    ]
    print(cells.map { $0.padding(toLength: 28, withPad: " ", startingAt: 0) }.joined())
}
let encoder = JSONEncoder()
encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
try encoder.encode(results).write(to: URL(fileURLWithPath: output))
log("\nwrote \(output)")
