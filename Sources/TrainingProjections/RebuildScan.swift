import EventLog
import EventLogPostgres
import Foundation
import Postgres
import Synchronization
import TrainingDomain
import TrainingRecords

/// The people's part of a rebuild: the log read in stream order, in parallel across ranges of
/// streams, folded one person at a time and loaded into the fresh tables as it goes.
///
/// Each worker has two connections of its own. Its reader takes one range of streams with a
/// binary COPY (``PostgresEventStore/scanStreams(from:to:below:on:_:)``): a stream's events
/// arrive together and in version order, so the reader folds each event into the one file it
/// holds, and when the next stream begins, encodes that person's rows and lets the file go.
/// Rows go in batches to the worker's loader, which writes each batch with COPY while the
/// reader goes on. A worker holds one folded file, the batch it is filling and at most
/// ``queuedBatches`` batches waiting: memory is bounded by the largest stream and the batch
/// size, never by the log.
enum RebuildScan {
    /// Streams a rebuild folds here (policies are read before, in log order).
    static let personnelPrefixes: [[UInt8]] = Streams.personnelFiles.map { Array($0.prefix.utf8) }
    /// Batches waiting for a loader before its reader waits.
    static let queuedBatches = 2
    /// A batch is handed over at this many bytes of rows, even with fewer people.
    static let batchBytes = 8 << 20

    /// What the people's scan found.
    struct Outcome: Sendable {
        /// Events read (below the horizon, in the ranges read, whatever their stream).
        var read: Int
        /// Unreadable entries in the files folded.
        var quarantine: [ProjectionRunner.QuarantineRow]
    }

    /// What every worker shares.
    struct Job: Sendable {
        var horizon: UInt64
        var policy: TrainingPolicy
        /// People per batch of rows.
        var batch: Int
        var probe: RebuildProbe
        var progress: Progress
    }

    /// A running count of events read, across workers, reported every `every` events.
    final class Progress: Sendable {
        private let state = Mutex<(total: Int, reported: Int)>((0, 0))
        let every: Int
        let report: @Sendable (Int) -> Void

        init(every: Int = 50_000, report: @escaping @Sendable (Int) -> Void) {
            self.every = every
            self.report = report
        }

        func add(_ count: Int) {
            state.withLock { state in
                state.total += count
                if state.total / every > state.reported / every {
                    state.reported = state.total
                    report(state.total)
                }
            }
        }

        /// Reports the final total.
        func finish() -> Int {
            state.withLock { state in
                report(state.total)
                return state.total
            }
        }
    }

    /// The ranges `[splits[i-1], splits[i])` of stream ids, unbounded at both ends.
    static func ranges(_ splits: [String]) -> [(from: String?, to: String?)] {
        let bounds: [String?] = [nil] + splits.map { $0 } + [nil]
        return (0..<(bounds.count - 1)).map { (bounds[$0], bounds[$0 + 1]) }
    }

    /// Reads, folds and loads every range, one worker per range, each on two new connections
    /// to `configuration` (closed on every path).
    static func run(ranges: [(from: String?, to: String?)], configuration: PostgresConfiguration, job: Job) async throws -> Outcome {
        try await withThrowingTaskGroup(of: Outcome.self) { group in
            for (worker, range) in ranges.enumerated() {
                group.addTask { try await runWorker(worker, range: range, configuration: configuration, job: job) }
            }
            var total = Outcome(read: 0, quarantine: [])
            for try await outcome in group {
                total.read += outcome.read
                total.quarantine += outcome.quarantine
            }
            return total
        }
    }

    static func runWorker(_ worker: Int, range: (from: String?, to: String?), configuration: PostgresConfiguration, job: Job) async throws
        -> Outcome
    {
        let reader = try await PostgresClient.connect(configuration)
        let loader: PostgresClient
        do {
            loader = try await PostgresClient.connect(configuration)
        } catch {
            await reader.close()
            throw error
        }
        let handOff = RowHandOff(capacity: queuedBatches)
        do {
            let outcome = try await withThrowingTaskGroup(of: Outcome?.self) { group in
                group.addTask {
                    try await loader.withConnection { connection in
                        do {
                            // The fresh tables matter only once swapped in, and the swap commits
                            // durably after them: no flush to wait for per batch.
                            try connection.simpleQuery("SET synchronous_commit = off")
                            while let rows = try handOff.take() {
                                try ReadModelCopy.copy([rows], suffix: "_rebuild", on: connection)
                            }
                        } catch {
                            handOff.fail(error)
                            throw error
                        }
                    }
                    return nil
                }
                group.addTask {
                    try await reader.withConnection { connection in
                        do {
                            // Compiling the scan's expressions costs more than it saves on one pass.
                            try connection.simpleQuery("SET jit = off")
                            return try read(range, worker: worker, job: job, into: handOff, on: connection)
                        } catch {
                            handOff.fail(error)
                            throw error
                        }
                    }
                }
                var outcome: Outcome?
                for try await result in group { outcome = result ?? outcome }
                return outcome!
            }
            await reader.close()
            await loader.close()
            return outcome
        } catch {
            await reader.close()
            await loader.close()
            throw error
        }
    }

    /// One worker's reading, on its reader's thread: folds each stream of the range, hands
    /// its rows over in batches, and says when it is done.
    static func read(
        _ range: (from: String?, to: String?), worker: Int, job: Job, into handOff: RowHandOff, on connection: PostgresConnection
    ) throws -> Outcome {
        var streamBytes: [UInt8] = []
        var stream: StreamID?
        var agency: String?
        var file = PersonnelFile()
        var rows = ReadModelCopy.Rows()
        var people = 0
        var quarantine: [ProjectionRunner.QuarantineRow] = []
        var read = 0

        func handOver() throws {
            guard !rows.isEmpty else { return }
            let depth = try handOff.put(rows)
            job.probe.queued(worker, depth)
            rows = ReadModelCopy.Rows()
            people = 0
        }
        // Encodes the file's rows and lets it go.
        func release() throws {
            guard let held = stream else { return }
            guard let named = agency else { throw EventLogError(code: .corruptEvent, message: "a rebuild read a log row without agency") }
            // The rows carry their agency, read with the log: the fresh tables' per-row stamp
            // trigger is added after the load, not run for every row.
            let part = ReadModelCopy.encode(CollectionOfOne((held, file)), policy: job.policy, agency: named)
            rows.append(part)
            quarantine += ProjectionRunner.quarantineRows(CollectionOfOne((held, file)))
            stream = nil
            agency = nil
            file = PersonnelFile()
            job.probe.file(worker, held.rawValue, false)
            people += 1
            if people >= job.batch || rows.byteCount >= batchBytes { try handOver() }
        }

        try PostgresEventStore.scanStreams(from: range.from, to: range.to, below: job.horizon, on: connection) { tuple in
            var reader = try PostgresBinaryCopy.Reader(tuple)
            guard reader.count == PostgresEventStore.scanColumnCount, let id = try reader.next() else {
                throw EventLogError(code: .corruptEvent, message: "a rebuild read a log row of an unexpected shape")
            }
            read += 1
            if read % 10_000 == 0 { job.progress.add(10_000) }
            if !id.elementsEqual(streamBytes) {
                try release()
                streamBytes = Array(id)
                if personnelPrefixes.contains(where: { id.starts(with: $0) }) {
                    let next = try StreamID(validating: String(decoding: id, as: UTF8.self))
                    stream = next
                    job.probe.file(worker, next.rawValue, true)
                }
            }
            guard stream != nil else { return }
            let next = try entry(&reader)
            if agency == nil { agency = try reader.text() }
            TrainingDecider.evolve(&file, next)
        }
        try release()
        try handOver()
        handOff.finish()
        job.progress.add(read % 10_000)
        return Outcome(read: read, quarantine: quarantine)
    }

    /// The entry in the rest of a scanned tuple (after its stream id).
    static func entry(_ reader: inout PostgresBinaryCopy.Reader) throws -> Entry {
        func required<T>(_ value: T?, _ column: String) throws -> T {
            guard let value else { throw EventLogError(code: .corruptEvent, message: "a rebuild read a log row without \(column)") }
            return value
        }
        _ = try reader.next()  // xact_id
        _ = try reader.next()  // global_position
        let version = Int(try required(reader.int32(), "stream_version"))
        let id = try required(reader.text(), "event_id")
        let type = try required(reader.text(), "event_type")
        let schemaVersion = Int(try required(reader.int32(), "schema_version"))
        let json = Array(try required(reader.next(), "data"))
        let actorID = try reader.text() ?? ""
        let actorRole = try reader.text() ?? ""
        let day = Day(daysSince1970: Int(try required(reader.int32(), "occurred_at")))
        return EntryMapping.entry(
            id: id, occurredOn: day, actorID: actorID, actorRole: actorRole, type: type, schemaVersion: schemaVersion, json: json, version: version)
    }
}

/// Batches of rows from a worker's reader to its loader. At most `capacity` wait (the reader
/// waits for room); a failure on either side ends the other's wait with that error.
final class RowHandOff: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: [ReadModelCopy.Rows] = []
    private var finished = false
    private var failure: (any Error)?
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Queues `rows`; returns how many batches wait now.
    func put(_ rows: ReadModelCopy.Rows) throws -> Int {
        condition.lock()
        defer { condition.unlock() }
        while waiting.count >= capacity && failure == nil { condition.wait() }
        if let failure { throw failure }
        waiting.append(rows)
        condition.broadcast()
        return waiting.count
    }

    /// The next batch; `nil` once the reader has finished and nothing waits.
    func take() throws -> ReadModelCopy.Rows? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty && !finished && failure == nil { condition.wait() }
        if let failure { throw failure }
        guard !waiting.isEmpty else { return nil }
        condition.broadcast()
        return waiting.removeFirst()
    }

    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    func fail(_ error: any Error) {
        condition.lock()
        if failure == nil { failure = error }
        condition.broadcast()
        condition.unlock()
    }
}

/// What a rebuild reports as it goes, so tests can check its memory is bounded by how it is
/// built rather than by a size measured once.
package struct RebuildProbe: Sendable {
    /// A worker began folding a stream (`true`) or let its file go (`false`).
    package var file: @Sendable (_ worker: Int, _ stream: String, _ held: Bool) -> Void
    /// Batches of rows waiting for a worker's loader, right after its reader queued one.
    package var queued: @Sendable (_ worker: Int, _ depth: Int) -> Void

    package init(
        file: @escaping @Sendable (_ worker: Int, _ stream: String, _ held: Bool) -> Void = { _, _, _ in },
        queued: @escaping @Sendable (_ worker: Int, _ depth: Int) -> Void = { _, _ in }
    ) {
        self.file = file
        self.queued = queued
    }
}
