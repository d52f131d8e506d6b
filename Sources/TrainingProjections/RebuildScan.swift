import Dispatch
import EventLog
import EventLogPostgres
import Postgres
import TrainingDomain
import TrainingRecords

/// One pass over the whole log for a rebuild: a binary COPY below the safe horizon, decoded in
/// parallel and folded in log order.
///
/// The connection's thread reads tuples and keeps only the relevant ones (by stream prefix,
/// without decoding anything); batches of them are decoded on Dispatch's workers while the
/// reader goes on; the reader folds each decoded batch in order. A few batches are in flight
/// at most, so memory stays bounded by the folded files, not by the log.
enum RebuildScan {
    static let relevantPrefixes: [[UInt8]] = ProjectionRunner.categories.map { Array($0.prefix.utf8) }
    static let inFlight = 4

    /// Relevant tuples, back to back.
    struct RawBatch: Sendable {
        var bytes: [UInt8] = []
        var ends: [Int] = []
    }

    /// A batch being decoded; `done` is signalled once `result` is set.
    final class Decoding: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        var result: Result<[(StreamID, Entry)], any Error> = .success([])
    }

    /// Folds the log from its start.
    ///
    /// - Returns: the folded cache (complete, with the last position read) and how many
    ///   events were read.
    static func run(on connection: PostgresConnection, batchSize: Int, progress: (Int) -> Void) throws -> (ProjectionRunner.Cache, Int) {
        var cache = ProjectionRunner.Cache(checkpoint: .start, complete: true)
        var batch = RawBatch()
        var pending: [Decoding] = []
        var read = 0
        func fold(_ decoding: Decoding) throws {
            decoding.done.wait()
            for (stream, entry) in try decoding.result.get() { cache.apply(entry, to: stream) }
        }
        func submit() {
            guard !batch.ends.isEmpty else { return }
            let raw = batch
            batch = RawBatch()
            batch.bytes.reserveCapacity(raw.bytes.count)
            let decoding = Decoding()
            DispatchQueue.global().async {
                decoding.result = Result { try decode(raw) }
                decoding.done.signal()
            }
            pending.append(decoding)
        }
        try PostgresEventStore.scanLog(on: connection) { tuple in
            var reader = try PostgresBinaryCopy.Reader(tuple)
            guard reader.count == PostgresEventStore.scanColumnCount, let stream = try reader.next(), let transaction = try reader.int64(),
                let global = try reader.int64()
            else {
                throw EventLogError(code: .corruptEvent, message: "a rebuild read a log row of an unexpected shape")
            }
            cache.checkpoint = LogPosition(transaction: UInt64(bitPattern: transaction), global: global)
            read += 1
            if relevantPrefixes.contains(where: { stream.starts(with: $0) }) {
                batch.bytes.append(contentsOf: tuple)
                batch.ends.append(batch.bytes.count)
                if batch.ends.count >= batchSize {
                    submit()
                    while pending.count > inFlight { try fold(pending.removeFirst()) }
                }
            }
            if read % 50_000 == 0 { progress(read) }
        }
        submit()
        for decoding in pending { try fold(decoding) }
        progress(read)
        return (cache, read)
    }

    /// Decodes a batch of tuples into entries (pure; runs on any thread).
    static func decode(_ batch: RawBatch) throws -> [(StreamID, Entry)] {
        var entries: [(StreamID, Entry)] = []
        entries.reserveCapacity(batch.ends.count)
        try batch.bytes.withUnsafeBytes { bytes in
            var start = 0
            for end in batch.ends {
                var reader = try PostgresBinaryCopy.Reader(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                start = end
                func required<T>(_ value: T?, _ column: String) throws -> T {
                    guard let value else { throw EventLogError(code: .corruptEvent, message: "a rebuild read a log row without \(column)") }
                    return value
                }
                let stream = try StreamID(validating: try required(reader.text(), "stream_id"))
                _ = try reader.next()
                _ = try reader.next()
                let version = Int(try required(reader.int32(), "stream_version"))
                let id = try required(reader.text(), "event_id")
                let type = try required(reader.text(), "event_type")
                let schemaVersion = Int(try required(reader.int32(), "schema_version"))
                let json = Array(try required(reader.next(), "data"))
                let actorID = try reader.text() ?? ""
                let actorRole = try reader.text() ?? ""
                let day = Day(daysSince1970: Int(try required(reader.int32(), "occurred_at")))
                entries.append(
                    (
                        stream,
                        EntryMapping.entry(
                            id: id, occurredOn: day, actorID: actorID, actorRole: actorRole, type: type, schemaVersion: schemaVersion, json: json,
                            version: version)
                    ))
            }
        }
        return entries
    }
}
