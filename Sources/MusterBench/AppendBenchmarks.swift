import EventLog
import EventLogPostgres
import Foundation
import Postgres

// Appends through the event store against raw INSERTs of the same rows: into an identical table
// (same columns, constraints, indexes and the same stamping trigger, which sets position,
// transaction, recorded time and chain hash), and into a bare table with only a primary key and
// the stream-version key (whose rows the client hashes itself), so the price of the log's own
// shape shows beside the price of Muster's client.

let rawColumns = "stream_id, stream_version, event_id, event_type, schema_version, data, metadata, occurred_at"
let bareColumns = "stream_id, stream_version, event_id, event_type, schema_version, data, metadata, occurred_at, recorded_at, prev_hash, hash"
let rawMetadata = makeEvents(1)[0].canonicalMetadata

/// The two baseline tables, made fresh.
func createBaselineTables(_ admin: PostgresClient) async throws {
    try await admin.execute("DROP TABLE IF EXISTS public.bench_raw, public.bench_bare")
    try await admin.execute("DROP SEQUENCE IF EXISTS public.bench_raw_seq")
    try await admin.execute("CREATE TABLE public.bench_raw (LIKE muster.events INCLUDING ALL)")
    try await admin.execute("CREATE SEQUENCE public.bench_raw_seq")
    // The log's own stamping function, pointed at the copy.
    let definition = try await admin.rows("SELECT pg_get_functiondef('muster.stamp_event'::regproc)") {
        try $0.decode(String.self, row: $1, column: 0)
    }[0]
    let copy = definition.replacingOccurrences(of: "muster.stamp_event", with: "public.bench_stamp")
        .replacingOccurrences(of: "FROM muster.events", with: "FROM public.bench_raw")
        .replacingOccurrences(of: "muster.events_position_seq", with: "public.bench_raw_seq")
    try await admin.withConnection { try $0.simpleQuery(copy) }
    try await admin.execute("CREATE TRIGGER bench_raw_stamp BEFORE INSERT ON public.bench_raw FOR EACH ROW EXECUTE FUNCTION public.bench_stamp()")
    try await admin.execute(
        """
        CREATE TABLE public.bench_bare (
            global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, stream_id text NOT NULL, stream_version integer NOT NULL,
            event_id uuid NOT NULL, event_type text NOT NULL, schema_version integer NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL,
            occurred_at timestamptz NOT NULL, recorded_at timestamptz NOT NULL, xact_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
            prev_hash bytea NOT NULL, hash bytea NOT NULL, UNIQUE (stream_id, stream_version))
        """)
}

func bareInsert(_ connection: PostgresConnection, stream: String, version: Int) throws {
    let hash = fakeHash(version)
    try connection.query(
        """
        INSERT INTO public.bench_bare (\(unsafeSQL: bareColumns))
        VALUES (\(stream), \(version), \(UUID()), \("bench.observed.v1"), \(1), \(benchPayload)::jsonb, \(rawMetadata)::jsonb,
                \(Date()), now(), \(hash), \(hash))
        """, prepared: true)
}

/// 32 bytes that differ per row, cheaply (the baseline must not pay for randomness).
func fakeHash(_ seed: Int) -> PostgresBytes {
    PostgresBytes((0..<32).map { UInt8(truncatingIfNeeded: seed &* 131 &+ $0 &* 7) })
}

func rawInsert(_ connection: PostgresConnection, stream: String, version: Int) throws {
    try connection.query(
        """
        INSERT INTO public.bench_raw (\(unsafeSQL: rawColumns))
        VALUES (\(stream), \(version), \(UUID()), \("bench.observed.v1"), \(1), \(benchPayload)::jsonb, \(rawMetadata)::jsonb, \(Date()))
        """, prepared: true)
}

func rawInsertBatch(_ connection: PostgresConnection, stream: String, from version: Int, count: Int) throws {
    var bindings = PostgresBindings()
    bindings.append(stream)
    var sql = "INSERT INTO public.bench_raw (\(rawColumns)) VALUES "
    for offset in 0..<count {
        let first = bindings.count + 1
        bindings.append(version + offset)
        bindings.append(UUID())
        bindings.append("bench.observed.v1")
        bindings.append(1)
        bindings.append(benchPayload)
        bindings.append(rawMetadata)
        bindings.append(Date())
        let p = (first..<(first + 7)).map { "$\($0)" }
        sql += (offset == 0 ? "" : ", ") + "($1, \(p[0]), \(p[1]), \(p[2]), \(p[3]), \(p[4])::jsonb, \(p[5])::jsonb, \(p[6]))"
    }
    try connection.query(PostgresQuery(unsafeSQL: sql, bindings: bindings), prepared: true)
}

/// `writers` clients each run `perClient` on its own stream, concurrently.
func concurrently<Client: Sendable>(_ clients: [Client], _ perClient: @escaping @Sendable (Client) async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for client in clients { group.addTask { try await perClient(client) } }
        try await group.waitForAll()
    }
}

func appendCases(_ bench: Bench, diagnose: Bool) async throws -> [BenchResult] {
    let admin = try await PostgresClient.connect(bench.configuration)
    try await createBaselineTables(admin)
    let settings = try await admin.rows("SELECT current_setting('fsync') || '/' || current_setting('synchronous_commit')") {
        try $0.decode(String.self, row: $1, column: 0)
    }
    log("durability (fsync/synchronous_commit): \(settings.first ?? "?") for both tables; \(bench.rounds) round(s)")
    var results: [BenchResult] = []

    // 1. One event per transaction, one writer: paired rounds like the eight writers' (each
    //    commit waits for its own flush, so the disk's drift between rounds is all there is).
    let singleCount = bench.scaled(2000)
    let pairedCount = bench.quick ? bench.rounds : max(bench.rounds, 5)
    var baseline: [Double] = []
    var muster: [Double] = []
    log("append, 1 event per transaction, 1 writer (\(singleCount) events, \(pairedCount) paired rounds)")
    for round in 0..<pairedCount {
        let rawStream = "bench-\(UUID().uuidString.lowercased())"
        let store = try await PostgresEventStore.connect(bench.configuration)
        let stream = try StreamID(category: "bench", id: UUID().uuidString.lowercased())
        let events = makeEvents(singleCount)
        let raw = {
            Double(singleCount)
                / (try await seconds {
                    try await admin.withConnection { connection in
                        for version in 1...singleCount { try rawInsert(connection, stream: rawStream, version: version) }
                    }
                })
        }
        let appended = {
            Double(singleCount)
                / (try await seconds {
                    for event in events { _ = try await store.append([event], to: stream, expectedVersion: .any) }
                })
        }
        let (rawRate, storeRate) = try await backToBack(round, baseline: raw, muster: appended)
        baseline.append(rawRate)
        muster.append(storeRate)
        await store.close()
    }
    results.append(pairedRounds("append_1_per_tx_1_writer", unit: "events/s", goal: 0.85, baseline: baseline, muster: muster))

    // 2. One event per transaction, 8 writers on distinct streams. Every round measures the
    //    raw INSERTs and the store back to back, in alternating order, and at least five rounds
    //    run: the disk's flush latency drifts between rounds by more than the gap being
    //    measured, so the ratio is taken per round (see `pairedRounds`).
    let writers = 8
    let perWriter = bench.scaled(600)
    var perCall: [Double] = []
    var bare: [Double] = []
    baseline = []
    muster = []
    log("append, 1 event per transaction, \(writers) writers (\(writers * perWriter) events, \(pairedCount) paired rounds)")
    for round in 0..<pairedCount {
        var clients: [PostgresClient] = []
        for _ in 0..<writers { clients.append(try await PostgresClient.connect(bench.configuration)) }
        var stores: [PostgresEventStore] = []
        for _ in 0..<writers { stores.append(try await PostgresEventStore.connect(bench.configuration)) }
        let workload = stores.map { ($0, makeEvents(perWriter)) }
        let raw = {
            Double(writers * perWriter)
                / (try await seconds {
                    try await concurrently(clients) { client in
                        let stream = "bench-\(UUID().uuidString.lowercased())"
                        try await client.withConnection { connection in
                            for version in 1...perWriter { try rawInsert(connection, stream: stream, version: version) }
                        }
                    }
                })
        }
        let store = {
            Double(writers * perWriter)
                / (try await seconds {
                    try await concurrently(workload) { store, events in
                        let stream = try StreamID(category: "bench", id: UUID().uuidString.lowercased())
                        for event in events { _ = try await store.append([event], to: stream, expectedVersion: .any) }
                    }
                })
        }
        let (rawRate, storeRate) = try await backToBack(round, baseline: raw, muster: store)
        baseline.append(rawRate)
        muster.append(storeRate)
        bare.append(
            Double(writers * perWriter)
                / (try await seconds {
                    try await concurrently(clients) { client in
                        let stream = "bench-\(UUID().uuidString.lowercased())"
                        try await client.withConnection { connection in
                            for version in 1...perWriter { try bareInsert(connection, stream: stream, version: version) }
                        }
                    }
                }))
        if diagnose {
            // The same raw INSERTs, one client call each (the hop every store call makes): separates
            // the event store's own cost from the driver's thread-per-connection design.
            perCall.append(
                Double(writers * perWriter)
                    / (try await seconds {
                        try await concurrently(clients) { client in
                            let stream = "bench-\(UUID().uuidString.lowercased())"
                            for version in 1...perWriter { try await client.withConnection { try rawInsert($0, stream: stream, version: version) } }
                        }
                    }))
        }
        for client in clients { await client.close() }
        for store in stores { await store.close() }
    }
    results.append(pairedRounds("append_1_per_tx_8_writers", unit: "events/s", goal: 0.80, baseline: baseline, muster: muster))
    // The price of the log's shape (stamp, chain, indexes, checks): the identical table against a bare one.
    results.append(compared("log_shape_8_writers_vs_bare_table", unit: "events/s", goal: nil, baseline: bare, muster: baseline))
    results.append(compared("append_1_per_tx_8_writers_vs_bare_table", unit: "events/s", goal: nil, baseline: bare, muster: muster))
    if diagnose {
        results.append(compared("diagnose_raw_8_writers_one_call_per_insert", unit: "events/s", goal: nil, baseline: baseline, muster: perCall))
    }

    // 3. 100 events per transaction.
    let batches = bench.scaled(100)
    baseline = []
    muster = []
    log("append, 100 events per transaction (\(batches * 100) events)")
    for _ in 0..<bench.rounds {
        let rawStream = "bench-\(UUID().uuidString.lowercased())"
        baseline.append(
            Double(batches * 100)
                / (try await seconds {
                    try await admin.withConnection { connection in
                        for batch in 0..<batches { try rawInsertBatch(connection, stream: rawStream, from: batch * 100 + 1, count: 100) }
                    }
                }))
        let store = try await PostgresEventStore.connect(bench.configuration)
        let stream = try StreamID(category: "bench", id: UUID().uuidString.lowercased())
        let eventBatches = (0..<batches).map { _ in makeEvents(100) }
        muster.append(
            Double(batches * 100)
                / (try await seconds {
                    for events in eventBatches { _ = try await store.append(events, to: stream, expectedVersion: .any) }
                }))
        await store.close()
    }
    results.append(compared("append_100_per_tx", unit: "events/s", goal: 0.70, baseline: baseline, muster: muster))
    try await admin.execute("DROP TABLE IF EXISTS public.bench_raw, public.bench_bare")
    await admin.close()
    return results
}
